#include "quant/int8_reference.hpp"

#include <algorithm>
#include <cmath>

#include "common/kws_math.h"
#include "quant/requantize.hpp"

namespace tinykws::quant {

void RunInt8Reference(const format::ModelFile& model, const float* mfcc,
                      Int8Trace* trace) {
  const int input_size = model.features.num_features();
  const float inv_scale = 1.0f / model.input_scale;
  trace->input.resize(input_size);
  for (int i = 0; i < input_size; ++i) {
    trace->input[i] = QuantizeInput(mfcc[i], inv_scale, model.input_zero_point);
  }
  trace->activations.clear();
  const std::vector<int8_t>* in = &trace->input;
  int32_t in_zp = model.input_zero_point;
  for (const format::ConvLayer& c : model.convs) {
    std::vector<int8_t> out(static_cast<size_t>(c.out_height) * c.out_width *
                            c.out_channels);
    RunInt8Conv(
        c, in->data(), in_zp,
        [&c](int32_t acc, int channel) {
          return Requantize(acc, c.multipliers[channel], c.shifts[channel]);
        },
        out.data());
    trace->activations.push_back(std::move(out));
    in = &trace->activations.back();
    in_zp = c.output_zero_point;
  }
  const format::DenseLayer& d = model.dense;
  trace->pooled.assign(d.in_channels, 0);
  for (int p = 0; p < d.pool_count; ++p) {
    for (int ch = 0; ch < d.in_channels; ++ch) {
      trace->pooled[ch] += int32_t{(*in)[p * d.in_channels + ch]} - in_zp;
    }
  }
  trace->logit_accumulators.assign(d.out_channels, 0);
  trace->logits.assign(d.out_channels, 0.0f);
  for (int k = 0; k < d.out_channels; ++k) {
    int32_t acc = d.bias[k];
    for (int ch = 0; ch < d.in_channels; ++ch) {
      acc += trace->pooled[ch] * d.weights[k * d.in_channels + ch];
    }
    trace->logit_accumulators[k] = acc;
    trace->logits[k] = static_cast<float>(acc) * d.output_scales[k];
  }
}

void Softmax(const float* logits, size_t n, float* out) {
  if (n == 0) return;
  const float top = *std::max_element(logits, logits + n);
  float sum = 0.0f;
  // kws_expf, not std::exp: the micro runtime computes the same bits with
  // any C library (src/common/kws_math.h).
  for (size_t i = 0; i < n; ++i) sum += out[i] = kws_expf(logits[i] - top);
  for (size_t i = 0; i < n; ++i) out[i] /= sum;
}

std::vector<float> Softmax(const std::vector<float>& logits) {
  std::vector<float> p(logits.size());
  Softmax(logits.data(), logits.size(), p.data());
  return p;
}

}  // namespace tinykws::quant
