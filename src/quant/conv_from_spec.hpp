// The geometry of a model-file conv layer from a config's conv block: the one
// translation from BlockSpec to format::ConvLayer (the exporter and the test
// model builders use it). Weights are left to the caller.
#pragma once

#include "format/model_file.hpp"
#include "tinykws/config.hpp"

namespace tinykws::quant {

// block: a conv block; in_*: the input it sees. Precondition: the block
// fits (InferModelShape accepted it).
inline format::ConvLayer ConvLayerFromSpec(const BlockSpec& block,
                                           int in_height, int in_width,
                                           int in_channels, bool relu) {
  const ConvGeometry g = ConvOutput(block, in_height, in_width);
  format::ConvLayer c;
  c.in_channels = in_channels;
  c.out_channels = block.filters;
  c.kernel_h = block.kernel_h;
  c.kernel_w = block.kernel_w;
  c.stride_h = block.stride_h;
  c.stride_w = block.stride_w;
  c.dilation_h = block.dilation_h;
  c.dilation_w = block.dilation_w;
  c.pad_top = g.pad_top;
  c.pad_bottom = g.pad_bottom;
  c.pad_left = g.pad_left;
  c.pad_right = g.pad_right;
  c.in_height = in_height;
  c.in_width = in_width;
  c.out_height = g.out_height;
  c.out_width = g.out_width;
  c.relu = relu;
  return c;
}

}  // namespace tinykws::quant
