// Field-by-field comparison of two ModelFiles (floats compared bit for bit).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "format/model_file.hpp"

namespace tinykws::format::testing {

inline uint32_t Bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

inline std::vector<uint32_t> Bits(const std::vector<float>& v) {
  std::vector<uint32_t> out;
  for (float f : v) out.push_back(Bits(f));
  return out;
}

inline void ExpectConvsEqual(const ConvLayer& a, const ConvLayer& b, size_t i) {
  SCOPED_TRACE("conv " + std::to_string(i));
  EXPECT_EQ(a.in_channels, b.in_channels);
  EXPECT_EQ(a.out_channels, b.out_channels);
  EXPECT_EQ(a.kernel_h, b.kernel_h);
  EXPECT_EQ(a.kernel_w, b.kernel_w);
  EXPECT_EQ(a.stride_h, b.stride_h);
  EXPECT_EQ(a.stride_w, b.stride_w);
  EXPECT_EQ(a.dilation_h, b.dilation_h);
  EXPECT_EQ(a.dilation_w, b.dilation_w);
  EXPECT_EQ(a.pad_top, b.pad_top);
  EXPECT_EQ(a.pad_bottom, b.pad_bottom);
  EXPECT_EQ(a.pad_left, b.pad_left);
  EXPECT_EQ(a.pad_right, b.pad_right);
  EXPECT_EQ(a.in_height, b.in_height);
  EXPECT_EQ(a.in_width, b.in_width);
  EXPECT_EQ(a.out_height, b.out_height);
  EXPECT_EQ(a.out_width, b.out_width);
  EXPECT_EQ(a.relu, b.relu);
  EXPECT_EQ(a.weights, b.weights);
  EXPECT_EQ(a.bias, b.bias);
  EXPECT_EQ(Bits(a.weight_scales), Bits(b.weight_scales));
  EXPECT_EQ(Bits(a.output_scale), Bits(b.output_scale));
  EXPECT_EQ(a.output_zero_point, b.output_zero_point);
  EXPECT_EQ(a.multipliers, b.multipliers);
  EXPECT_EQ(a.shifts, b.shifts);
  EXPECT_EQ(Bits(a.float_weights), Bits(b.float_weights));
  EXPECT_EQ(Bits(a.float_bias), Bits(b.float_bias));
}

inline void ExpectModelsEqual(const ModelFile& a, const ModelFile& b) {
  EXPECT_EQ(a.precision, b.precision);
  EXPECT_EQ(a.features, b.features);
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_EQ(Bits(a.input_scale), Bits(b.input_scale));
  EXPECT_EQ(a.input_zero_point, b.input_zero_point);
  ASSERT_EQ(a.convs.size(), b.convs.size());
  for (size_t i = 0; i < a.convs.size(); ++i) {
    ExpectConvsEqual(a.convs[i], b.convs[i], i);
  }
  EXPECT_EQ(a.dense.in_channels, b.dense.in_channels);
  EXPECT_EQ(a.dense.out_channels, b.dense.out_channels);
  EXPECT_EQ(a.dense.pool_count, b.dense.pool_count);
  EXPECT_EQ(a.dense.weights, b.dense.weights);
  EXPECT_EQ(a.dense.bias, b.dense.bias);
  EXPECT_EQ(Bits(a.dense.weight_scales), Bits(b.dense.weight_scales));
  EXPECT_EQ(Bits(a.dense.output_scales), Bits(b.dense.output_scales));
  EXPECT_EQ(Bits(a.dense.float_weights), Bits(b.dense.float_weights));
  EXPECT_EQ(Bits(a.dense.float_bias), Bits(b.dense.float_bias));
  EXPECT_EQ(a.metadata, b.metadata);
  EXPECT_EQ(a.has_detector, b.has_detector);
  if (a.has_detector && b.has_detector) {
    EXPECT_EQ(a.detector.hop_frames, b.detector.hop_frames);
    EXPECT_EQ(a.detector.smoothing_runs, b.detector.smoothing_runs);
    EXPECT_EQ(Bits(a.detector.refractory_ms), Bits(b.detector.refractory_ms));
    EXPECT_EQ(Bits(a.detector.thresholds), Bits(b.detector.thresholds));
  }
}

}  // namespace tinykws::format::testing
