// The portable kernel: plain loops in the packed layout.
#include <algorithm>

#include "quant/requantize.hpp"
#include "runtime/conv_kernels.hpp"

namespace tinykws::runtime {

void ConvPortable(const ConvPlan& plan, const int16_t* in,
                  const ConvTarget& out) {
  const int taps = plan.kernel_h * plan.kernel_w;
  const size_t block_weights =
      static_cast<size_t>(taps) * plan.pairs * kBlock * 2;
  for (int oy = 0; oy < plan.out_height; ++oy) {
    for (int ox = 0; ox < plan.out_width; ++ox) {
      for (int b = 0; b < plan.blocks; ++b) {
        const int16_t* w = plan.weights + b * block_weights;
        int32_t acc[kBlock];
        for (int j = 0; j < kBlock; ++j) acc[j] = plan.bias[b * kBlock + j];
        for (int t = 0; t < taps; ++t) {
          const int iy =
              oy * plan.stride_h + (t / plan.kernel_w) * plan.dilation_h;
          const int ix =
              ox * plan.stride_w + (t % plan.kernel_w) * plan.dilation_w;
          const int16_t* x = in + static_cast<size_t>(iy) * plan.row_stride +
                             static_cast<size_t>(ix) * plan.pixel_stride;
          for (int p = 0; p < plan.pairs; ++p) {
            const int16_t* wp =
                w + (static_cast<size_t>(t) * plan.pairs + p) * kBlock * 2;
            for (int j = 0; j < kBlock; ++j) {
              acc[j] += x[2 * p] * wp[2 * j] + x[2 * p + 1] * wp[2 * j + 1];
            }
          }
        }
        for (int j = 0; j < kBlock; ++j) {
          const int c = b * kBlock + j;
          const int32_t y =
              std::clamp(quant::Requantize(acc[j], plan.multiplier[c],
                                           -plan.right_shift[c]),
                         plan.lowest, plan.highest);
          if (out.pool != nullptr) {
            out.pool[c] += y;
          } else {
            out.data[static_cast<size_t>(oy) * out.row_stride +
                     static_cast<size_t>(ox) * out.pixel_stride + c] =
                static_cast<int16_t>(y);
          }
        }
      }
    }
  }
}

}  // namespace tinykws::runtime
