#include "quant/float_model.hpp"

#include <algorithm>
#include <cmath>

namespace tinykws::quant {

void FoldBatchNorm(const std::vector<float>& gamma,
                   const std::vector<float>& beta,
                   const std::vector<float>& mean,
                   const std::vector<float>& var, float eps, FloatConv* conv) {
  const int out = conv->out_channels;
  const size_t per_channel = conv->float_weights.size() / out;
  if (conv->float_bias.empty()) conv->float_bias.assign(out, 0.0f);
  for (int c = 0; c < out; ++c) {
    // In double so the folded float values are correctly rounded.
    const double factor =
        gamma[c] / std::sqrt(static_cast<double>(var[c]) + eps);
    for (size_t i = 0; i < per_channel; ++i) {
      float& w = conv->float_weights[c * per_channel + i];
      w = static_cast<float>(w * factor);
    }
    conv->float_bias[c] =
        static_cast<float>((conv->float_bias[c] - mean[c]) * factor + beta[c]);
  }
}

void ConvFloat(const format::ConvLayer& c, const float* weights,
               const float* bias, const float* in, float* out) {
  for (int oy = 0; oy < c.out_height; ++oy) {
    for (int ox = 0; ox < c.out_width; ++ox) {
      for (int oc = 0; oc < c.out_channels; ++oc) {
        double acc = bias[oc];
        for (int ky = 0; ky < c.kernel_h; ++ky) {
          const int iy = oy * c.stride_h + ky * c.dilation_h - c.pad_top;
          if (iy < 0 || iy >= c.in_height) continue;
          for (int kx = 0; kx < c.kernel_w; ++kx) {
            const int ix = ox * c.stride_w + kx * c.dilation_w - c.pad_left;
            if (ix < 0 || ix >= c.in_width) continue;
            const float* x = in + (iy * c.in_width + ix) * c.in_channels;
            const float* w =
                weights +
                ((oc * c.kernel_h + ky) * c.kernel_w + kx) * c.in_channels;
            for (int ic = 0; ic < c.in_channels; ++ic)
              acc += double{x[ic]} * w[ic];
          }
        }
        float v = static_cast<float>(acc);
        if (c.relu) v = std::max(v, 0.0f);
        out[(oy * c.out_width + ox) * c.out_channels + oc] = v;
      }
    }
  }
}

FloatExecutor::FloatExecutor(const FloatModel& model) : model_(model) {
  size_t largest = 0;
  for (const FloatConv& c : model.convs) {
    largest = std::max(largest, static_cast<size_t>(c.out_height) *
                                    c.out_width * c.out_channels);
  }
  a_.resize(largest);
  b_.resize(largest);
  pooled_.resize(model.dense.in_channels);
}

void FloatExecutor::Run(const float* mfcc, float* logits,
                        ActivationRanges* ranges) {
  const int input_size = model_.features.num_features();
  if (ranges != nullptr) {
    ranges->input.insert(ranges->input.end(), mfcc, mfcc + input_size);
    ranges->conv_outputs.resize(model_.convs.size());
  }
  const float* in = mfcc;
  float* out = a_.data();
  for (size_t i = 0; i < model_.convs.size(); ++i) {
    const FloatConv& c = model_.convs[i];
    ConvFloat(c, c.float_weights.data(), c.float_bias.data(), in, out);
    const size_t n =
        static_cast<size_t>(c.out_height) * c.out_width * c.out_channels;
    if (ranges != nullptr) {
      ranges->conv_outputs[i].insert(ranges->conv_outputs[i].end(), out,
                                     out + n);
    }
    in = out;
    out = out == a_.data() ? b_.data() : a_.data();
  }
  const format::DenseLayer& d = model_.dense;
  std::vector<double>& pooled = pooled_;  // allocated once: no heap per call
  std::fill(pooled.begin(), pooled.end(), 0.0);
  for (int p = 0; p < d.pool_count; ++p) {
    for (int c = 0; c < d.in_channels; ++c)
      pooled[c] += in[p * d.in_channels + c];
  }
  for (int k = 0; k < d.out_channels; ++k) {
    double acc = d.float_bias[k];
    for (int c = 0; c < d.in_channels; ++c) {
      acc += pooled[c] / d.pool_count * d.float_weights[k * d.in_channels + c];
    }
    logits[k] = static_cast<float>(acc);
  }
}

}  // namespace tinykws::quant
