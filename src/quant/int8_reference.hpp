// The plain int8 executor of a model file: the exporter's simulation of the
// device, and the twin every optimized runtime kernel is compared with (it
// must agree bit for bit).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "format/model_file.hpp"

namespace tinykws::quant {

struct Int8Trace {
  std::vector<int8_t> input;                     // quantized MFCC
  std::vector<std::vector<int8_t>> activations;  // each conv's output
  std::vector<int32_t> pooled;                   // per channel: sum - n * zp
  std::vector<int32_t> logit_accumulators;       // dense accumulators
  std::vector<float> logits;                     // accumulators * scales
};

// One int8 conv as the reference computes it: in is [in_height][in_width]
// [in_channels] with zero point in_zp, out [out_height][out_width]
// [out_channels]. requantize(acc, channel) scales a channel's int32
// accumulator to the output step (before the zero point; gemmlowp's
// fixed point here, an interpreter's float rounding in the interop tests'
// twins); the result is clamped to [-128, 127], and ReLU's lower bound is
// the output zero point (real 0). Padding taps are skipped: real 0.
template <typename RequantizeFn>
void RunInt8Conv(const format::ConvLayer& c, const int8_t* in, int32_t in_zp,
                 RequantizeFn requantize, int8_t* out) {
  const int32_t lowest = c.relu ? std::max(-128, c.output_zero_point) : -128;
  for (int oy = 0; oy < c.out_height; ++oy) {
    for (int ox = 0; ox < c.out_width; ++ox) {
      for (int oc = 0; oc < c.out_channels; ++oc) {
        int32_t acc = c.bias[oc];
        for (int ky = 0; ky < c.kernel_h; ++ky) {
          const int iy = oy * c.stride_h + ky * c.dilation_h - c.pad_top;
          if (iy < 0 || iy >= c.in_height) continue;
          for (int kx = 0; kx < c.kernel_w; ++kx) {
            const int ix = ox * c.stride_w + kx * c.dilation_w - c.pad_left;
            if (ix < 0 || ix >= c.in_width) continue;
            const int8_t* x = in + (iy * c.in_width + ix) * c.in_channels;
            const int8_t* w =
                c.weights.data() +
                ((oc * c.kernel_h + ky) * c.kernel_w + kx) * c.in_channels;
            for (int ic = 0; ic < c.in_channels; ++ic) {
              acc += (int32_t{x[ic]} - in_zp) * w[ic];
            }
          }
        }
        const int32_t y = requantize(acc, oc) + c.output_zero_point;
        out[(oy * c.out_width + ox) * c.out_channels + oc] =
            static_cast<int8_t>(std::clamp(y, lowest, int32_t{127}));
      }
    }
  }
}

// mfcc: [frames][num_mfcc] floats. model must be int8 and valid.
void RunInt8Reference(const format::ModelFile& model, const float* mfcc,
                      Int8Trace* trace);

// Softmax of logits (float, max-subtracted); out may not alias logits. The
// runtime uses the pointer form (no allocation).
void Softmax(const float* logits, size_t n, float* out);
std::vector<float> Softmax(const std::vector<float>& logits);

}  // namespace tinykws::quant
