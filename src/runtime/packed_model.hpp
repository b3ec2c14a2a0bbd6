// The host kernels' prepare step: a validated int8 model file rearranged
// for the conv kernels: weights
// widened to int16 and packed in channel pairs, per-channel arrays padded to
// whole vectors, and the padded activation buffer geometry of every layer.
#pragma once

#include <vector>

#include "format/model_file.hpp"
#include "runtime/conv_kernels.hpp"

namespace tinykws::runtime {

struct PackedConv {
  ConvPlan plan;  // points into the vectors below (set by PackModel)
  std::vector<int16_t> weights;
  std::vector<int32_t> bias, multiplier, right_shift;
  // The padded input buffer: (in_height + pads) x (in_width + pads) pixels
  // of plan.pixel_stride int16 values.
  int in_height = 0, in_width = 0, pad_top = 0, pad_left = 0;
  int padded_height = 0, padded_width = 0;
  int32_t input_zero_point = 0;
  // Where the output goes: the next layer's buffer at this offset (pixel
  // (0, 0) inside its padding) with these strides; unused by the last layer.
  size_t out_offset = 0;
  int out_row_stride = 0, out_pixel_stride = 0;
  size_t BufferElements() const {
    return static_cast<size_t>(padded_height) * padded_width *
           plan.pixel_stride;
  }
};

struct PackedModel {
  std::vector<PackedConv> convs;
  float input_inv_scale = 0.0f;
  int32_t input_zero_point = 0;
  int pool_channels = 0;  // last conv's blocks * kBlock
  // The dense layer runs in the core's graph code, from the model bytes.
};

// Precondition: model is int8 and passed format::Validate.
PackedModel PackModel(const format::ModelFile& model);

}  // namespace tinykws::runtime
