// Realistic models for the format tests and the fuzzer's seed corpus: the
// go_stop recipe's features (read from configs/go_stop.toml, the one home of
// those numbers), two 3x3 "same" convs of 24 filters with ReLU, global
// average pooling, dense to the labels; fixed-seed pseudo-random values.
// No gtest here, so the fuzz seed generator can use it too.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "format/model_file.hpp"
#include "tinykws/config.hpp"

namespace tinykws::format::testing {

// Small deterministic generator (64-bit LCG, high bits out).
class Lcg {
 public:
  explicit Lcg(uint64_t seed) : state_(seed) {}
  uint32_t Next() {
    state_ = state_ * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(state_ >> 32);
  }
  // Uniform integer in [lo, hi].
  int64_t Range(int64_t lo, int64_t hi) {
    return lo +
           static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  // Uniform float in [lo, hi).
  float Uniform(float lo, float hi) {
    return lo + (hi - lo) * static_cast<float>(Next() >> 8) / 16777216.0f;
  }

 private:
  uint64_t state_;
};

// The seed recipe's config; an empty config (which fails validation) when
// the file cannot be read.
inline KwsConfig SeedConfig() {
  StatusOr<KwsConfig> config =
      LoadConfig(std::string(TINYKWS_SOURCE_DIR) + "/configs/go_stop.toml");
  return config.ok() ? *config : KwsConfig{};
}

// Geometry of a stride-1 "same" conv (TF: the extra pad goes at the end).
inline ConvLayer SameConv(int in_channels, int out_channels, int kernel,
                          int in_height, int in_width, bool relu) {
  ConvLayer c;
  c.in_channels = in_channels;
  c.out_channels = out_channels;
  c.kernel_h = c.kernel_w = kernel;
  c.pad_top = c.pad_left = (kernel - 1) / 2;
  c.pad_bottom = c.pad_right = kernel - 1 - (kernel - 1) / 2;
  c.in_height = c.out_height = in_height;
  c.in_width = c.out_width = in_width;
  c.relu = relu;
  return c;
}

inline void FillInt8(ConvLayer& c, Lcg& rng) {
  const size_t out = static_cast<size_t>(c.out_channels);
  c.weights.resize(out * c.kernel_h * c.kernel_w * c.in_channels);
  for (int8_t& w : c.weights) w = static_cast<int8_t>(rng.Range(-127, 127));
  for (size_t k = 0; k < out; ++k) {
    c.bias.push_back(static_cast<int32_t>(rng.Range(-3000, 3000)));
    c.weight_scales.push_back(rng.Uniform(0.001f, 0.02f));
    c.multipliers.push_back(static_cast<int32_t>(
        rng.Range(int64_t{1} << 30, (int64_t{1} << 31) - 1)));
    c.shifts.push_back(static_cast<int32_t>(rng.Range(-12, -6)));
  }
  c.output_scale = rng.Uniform(0.02f, 0.1f);
  c.output_zero_point = c.relu ? -128 : 0;
}

inline void FillFloat(ConvLayer& c, Lcg& rng) {
  const size_t out = static_cast<size_t>(c.out_channels);
  c.float_weights.resize(out * c.kernel_h * c.kernel_w * c.in_channels);
  for (float& w : c.float_weights) w = rng.Uniform(-0.5f, 0.5f);
  for (size_t k = 0; k < out; ++k) c.float_bias.push_back(rng.Uniform(-1, 1));
}

// features -> conv 1->24 k3 same ReLU -> conv 24->24 k3 same ReLU -> GAP ->
// dense 24 -> labels.
inline ModelFile GoStopLikeModel(Precision precision = Precision::kInt8,
                                 uint64_t seed = 20240601) {
  const KwsConfig config = SeedConfig();
  ModelFile m;
  m.precision = precision;
  m.features = config.features;
  m.labels = config.labels;
  const int h = config.features.num_frames();
  const int w = config.features.num_mfcc;
  m.convs.push_back(SameConv(1, 24, 3, h, w, true));
  m.convs.push_back(SameConv(24, 24, 3, h, w, true));
  m.dense.in_channels = 24;
  m.dense.out_channels = static_cast<int32_t>(m.labels.size());
  m.dense.pool_count = h * w;
  m.metadata = {{"training_run", "go_stop-20240601-120000"},
                {"created_by", "tinykws 0.1.0"}};

  Lcg rng(seed);
  const size_t dense_weights =
      static_cast<size_t>(m.dense.out_channels) * m.dense.in_channels;
  if (precision == Precision::kInt8) {
    m.input_scale = 1.17647064f;
    m.input_zero_point = 84;
    for (ConvLayer& c : m.convs) FillInt8(c, rng);
    for (size_t i = 0; i < dense_weights; ++i) {
      m.dense.weights.push_back(static_cast<int8_t>(rng.Range(-127, 127)));
    }
    for (int k = 0; k < m.dense.out_channels; ++k) {
      m.dense.bias.push_back(static_cast<int32_t>(rng.Range(-20000, 20000)));
      m.dense.weight_scales.push_back(rng.Uniform(0.005f, 0.05f));
      m.dense.output_scales.push_back(rng.Uniform(1e-5f, 1e-4f));
    }
  } else {
    for (ConvLayer& c : m.convs) FillFloat(c, rng);
    for (size_t i = 0; i < dense_weights; ++i) {
      m.dense.float_weights.push_back(rng.Uniform(-1, 1));
    }
    for (int k = 0; k < m.dense.out_channels; ++k) {
      m.dense.float_bias.push_back(rng.Uniform(-1, 1));
    }
  }
  return m;
}

}  // namespace tinykws::format::testing
