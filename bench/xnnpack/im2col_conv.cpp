#include "xnnpack/im2col_conv.hpp"

#include <xnnpack.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace tinykws::bench {

Im2colConv::Im2colConv(const format::ConvLayer& conv, Quant in, Quant out)
    : c_(conv),
      zero_point_(static_cast<int8_t>(in.zero_point)),
      padded_width_(conv.in_width + conv.pad_left + conv.pad_right) {
  padded_.assign(
      static_cast<size_t>(c_.in_height + c_.pad_top + c_.pad_bottom) *
          padded_width_,
      zero_point_);
  const int taps = c_.kernel_h * c_.kernel_w;
  xnn_initialize(nullptr);  // idempotent
  columns_.resize(static_cast<size_t>(c_.out_height) * c_.out_width * taps +
                  XNN_EXTRA_BYTES);
  const int8_t lowest =
      static_cast<int8_t>(c_.relu ? std::max(-128, out.zero_point) : -128);
  // Weights [out][kh][kw][1] are already [out][taps]: the 1x1 conv's layout.
  const xnn_status status = xnn_create_convolution2d_nhwc_qc8(
      0, 0, 0, 0, 1, 1, 1, 1, 1, 1, /*groups=*/1, taps, c_.out_channels, taps,
      c_.out_channels, zero_point_, in.scale, c_.weight_scales.data(),
      c_.weights.data(), c_.bias.data(), static_cast<int8_t>(out.zero_point),
      out.scale, lowest, 127, /*flags=*/0, &op_);
  if (status != xnn_status_success || c_.in_channels != 1) {
    std::fprintf(stderr, "error: im2col conv: XNNPACK status %d\n", status);
    std::exit(1);
  }
}

Im2colConv::~Im2colConv() { xnn_delete_operator(op_); }

void Im2colConv::Im2col(const int8_t* input) {
  for (int y = 0; y < c_.in_height; ++y) {
    std::copy(input + y * c_.in_width, input + (y + 1) * c_.in_width,
              padded_.data() + (y + c_.pad_top) * padded_width_ + c_.pad_left);
  }
  int8_t* col = columns_.data();
  for (int oy = 0; oy < c_.out_height; ++oy) {
    for (int ox = 0; ox < c_.out_width; ++ox) {
      const int8_t* at =
          padded_.data() + oy * c_.stride_h * padded_width_ + ox * c_.stride_w;
      for (int ky = 0; ky < c_.kernel_h; ++ky) {
        const int8_t* row = at + ky * c_.dilation_h * padded_width_;
        for (int kx = 0; kx < c_.kernel_w; ++kx) {
          *col++ = row[kx * c_.dilation_w];
        }
      }
    }
  }
}

void Im2colConv::Gemm(int8_t* output) {
  if (output != output_) {
    xnn_setup_convolution2d_nhwc_qc8(op_, 1, c_.out_height, c_.out_width,
                                     columns_.data(), output, nullptr);
    output_ = output;
  }
  xnn_run_operator(op_, nullptr);
}

}  // namespace tinykws::bench
