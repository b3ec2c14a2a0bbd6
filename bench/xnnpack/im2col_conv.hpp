// A 1-input-channel conv as XNNPACK sees it best: our im2col (every kernel
// tap becomes a channel, padding filled with the input zero point) and then
// one XNNPACK qc8 1x1 convolution (a GEMM with K = kernel_h * kernel_w).
// Tells whether the direct qc8 conv's cost comes from K = 1 per tap (its
// kernels round each tap's channels up to 8, so 8x the MACs).
#pragma once

#include <cstdint>
#include <vector>

#include "format/model_file.hpp"
#include "xnnpack/xnn_net.hpp"

namespace tinykws::bench {

class Im2colConv {
 public:
  // conv.in_channels must be 1. in/out: the conv's input and output quant.
  Im2colConv(const format::ConvLayer& conv, Quant in, Quant out);
  ~Im2colConv();
  Im2colConv(const Im2colConv&) = delete;
  Im2colConv& operator=(const Im2colConv&) = delete;

  // input: in_height x in_width int8; output: out_height x out_width x out.
  void Run(const int8_t* input, int8_t* output) {
    Im2col(input);
    Gemm(output);
  }
  void Im2col(const int8_t* input);  // our part
  void Gemm(int8_t* output);         // XNNPACK's part

 private:
  const format::ConvLayer& c_;
  int8_t zero_point_;
  int padded_width_;
  std::vector<int8_t> padded_;   // the input inside a zero-point border
  std::vector<int8_t> columns_;  // [out_height][out_width][kernel_h*kernel_w]
  xnn_operator* op_ = nullptr;
  int8_t* output_ = nullptr;  // the output op_ is set up with
};

}  // namespace tinykws::bench
