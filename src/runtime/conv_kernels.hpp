// int8 convolution kernels (requantize + ReLU clamp fused), one layout for
// every instruction set: activations are int16 holding q - zero_point in a
// buffer with the padding already in place (zeros = real 0), weights are
// int16 packed so that pairs of input channels feed one multiply-add
// (vpmaddwd on AVX2). Results are exact integers: every kernel agrees with
// quant::RunInt8Reference bit for bit.
#pragma once

#include <cstddef>
#include <cstdint>

#include "micro/graph.h"

namespace tinykws::runtime {

inline constexpr int kBlock = 8;  // output channels per vector

struct ConvPlan {
  int pixel_stride = 0;  // input elements per pixel (channels, even)
  int row_stride = 0;    // input elements per padded row
  int pairs = 0;         // pixel_stride / 2
  int kernel_h = 0, kernel_w = 0;
  int stride_h = 1, stride_w = 1;
  int dilation_h = 1, dilation_w = 1;
  int out_height = 0, out_width = 0;
  int blocks = 0;  // output channel blocks of kBlock (channels padded)
  // [block][tap][pair][kBlock lanes][2] int16 weights (zero padded)
  const int16_t* weights = nullptr;
  // blocks * kBlock each; padding lanes: bias 0, multiplier 2^30, shift 0.
  const int32_t* bias = nullptr;
  const int32_t* multiplier = nullptr;
  const int32_t* right_shift = nullptr;  // -shift, >= 0
  // Stored value = clamp(requantized, lowest, highest), zero point removed.
  int32_t lowest = 0, highest = 0;
};

struct ConvTarget {
  // Either store into the next layer's padded buffer ...
  int16_t* data = nullptr;  // output pixel (0, 0), channel 0
  int row_stride = 0;       // elements per output row
  int pixel_stride = 0;     // elements per output pixel (>= blocks * kBlock)
  // ... or, for the last layer, sum every output pixel per channel
  // (global average pooling): blocks * kBlock int32, zeroed by the caller.
  int32_t* pool = nullptr;
};

using ConvKernel = void (*)(const ConvPlan& plan, const int16_t* in,
                            const ConvTarget& out);

void ConvPortable(const ConvPlan& plan, const int16_t* in,
                  const ConvTarget& out);
#if defined(TINYKWS_HAVE_X86_KERNELS)
void ConvAvx2(const ConvPlan& plan, const int16_t* in, const ConvTarget& out);
void ConvAvx512Vnni(const ConvPlan& plan, const int16_t* in,
                    const ConvTarget& out);
#endif
#if defined(__aarch64__)
void ConvNeon(const ConvPlan& plan, const int16_t* in, const ConvTarget& out);
#endif

// The host's kernel sets for the core's graph code (src/micro/graph.h):
// each runs one kernel above on the PackedConv that PackModel made of the
// layer (packed_model.cpp).
extern const kws_kernels kPortableKernels;
#if defined(TINYKWS_HAVE_X86_KERNELS)
extern const kws_kernels kAvx2Kernels, kAvx512VnniKernels;
#endif
#if defined(__aarch64__)
extern const kws_kernels kNeonKernels;
#endif
// The fastest set this CPU runs.
const kws_kernels& BestConvKernels();

}  // namespace tinykws::runtime
