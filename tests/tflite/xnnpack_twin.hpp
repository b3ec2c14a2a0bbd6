// What the interpreter we test against computes for our int8 convs. tfjs-
// tflite hands the whole graph to TFLite's XNNPACK delegate (its profile
// shows "Convolution (NHWC, QC8) IGEMM"), and XNNPACK requantizes per-channel
// int8 convolutions in float: y = round_half_even(float(acc) * scale) + zp
// with scale = input_scale * weight_scale / output_scale in float, where
// TFLite's reference kernels (and tinykws) use gemmlowp's fixed-point
// multiplier with two roundings. The two differ by one step on a small
// fraction of values, and a difference can grow through later layers.
//
// Everything else (input quantization, weight layout, padding, strides,
// dilations, bias, zero points, ReLU bound) is shared with
// quant::RunInt8Reference, so the interpreter must equal this twin exactly:
// that checks the graph with tolerance 0.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "format/model_file.hpp"
#include "quant/int8_reference.hpp"
#include "quant/requantize.hpp"

namespace tinykws::testing {

// The last conv's int8 output for one input, XNNPACK style.
inline std::vector<int8_t> XnnpackLastActivation(const format::ModelFile& m,
                                                 const float* mfcc) {
  const int input_size = m.features.num_features();
  std::vector<int8_t> in(input_size);
  const float inv_scale = 1.0f / m.input_scale;  // XNNPACK's convert, too
  for (int i = 0; i < input_size; ++i) {
    in[i] = quant::QuantizeInput(mfcc[i], inv_scale, m.input_zero_point);
  }
  int32_t in_zp = m.input_zero_point;
  float in_scale = m.input_scale;
  for (const format::ConvLayer& c : m.convs) {
    std::vector<int8_t> out(static_cast<size_t>(c.out_height) * c.out_width *
                            c.out_channels);
    // Clamped before the cast (the conv clamps again to int8): no float
    // beyond int32 is ever converted.
    quant::RunInt8Conv(
        c, in.data(), in_zp,
        [&](int32_t acc, int channel) {
          const float scale =
              in_scale * c.weight_scales[channel] / c.output_scale;
          return static_cast<int32_t>(
              std::clamp(std::nearbyint(static_cast<float>(acc) * scale),
                         -512.0f, 512.0f));
        },
        out.data());
    in = std::move(out);
    in_zp = c.output_zero_point;
    in_scale = c.output_scale;
  }
  return in;
}

// The logits of the dense layer (DenseLayer semantics, exact integers) on a
// last activation: what the float head computes, up to float rounding.
inline std::vector<double> LogitsOf(const format::ModelFile& m,
                                    const std::vector<int8_t>& activation) {
  const format::DenseLayer& d = m.dense;
  const int32_t zp = m.convs.back().output_zero_point;
  std::vector<int64_t> sums(d.in_channels, 0);
  for (int p = 0; p < d.pool_count; ++p) {
    for (int c = 0; c < d.in_channels; ++c) {
      sums[c] += activation[p * d.in_channels + c] - zp;
    }
  }
  std::vector<double> logits(d.out_channels);
  for (int k = 0; k < d.out_channels; ++k) {
    int64_t acc = d.bias[k];
    for (int c = 0; c < d.in_channels; ++c) {
      acc += sums[c] * d.weights[k * d.in_channels + c];
    }
    logits[k] = static_cast<double>(acc) * d.output_scales[k];
  }
  return logits;
}

}  // namespace tinykws::testing
