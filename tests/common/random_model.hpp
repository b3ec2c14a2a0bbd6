// Random but well-formed float and int8 models for kernel and runtime tests:
// any conv geometry, weights drawn with a fixed seed, int8 calibrated on
// MFCC-like random inputs through the real quantizer.
#pragma once

#include <random>
#include <vector>

#include "quant/conv_from_spec.hpp"
#include "quant/float_model.hpp"
#include "quant/quantizer.hpp"
#include "seed_config.hpp"
#include "tinykws/config.hpp"

namespace tinykws::testing {

struct ConvShape {
  int out_channels = 8;
  int kernel_h = 3, kernel_w = 3;
  int stride_h = 1, stride_w = 1;
  int dilation_h = 1, dilation_w = 1;
  bool same = true;  // TF "same" padding, else "valid"
  bool relu = true;
};

// The seed feature config, read from configs/go_stop.toml (the one home of
// its numbers).
inline FeatureConfig SmallFeatures() { return SeedFeatureConfig(); }

// MFCC-like values: c0 around -40 +- 30, the others +-15.
inline std::vector<float> RandomMfcc(const FeatureConfig& f,
                                     std::mt19937& rng) {
  std::normal_distribution<float> c0(-40.0f, 15.0f), other(0.0f, 6.0f);
  std::vector<float> x(f.num_features());
  for (int i = 0; i < f.num_features(); ++i)
    x[i] = i % f.num_mfcc == 0 ? c0(rng) : other(rng);
  return x;
}

inline quant::FloatModel RandomFloatModel(const FeatureConfig& f,
                                          const std::vector<ConvShape>& shapes,
                                          int labels, uint32_t seed) {
  std::mt19937 rng(seed);
  quant::FloatModel m;
  m.features = f;
  for (int i = 0; i < labels; ++i)
    m.labels.push_back("label" + std::to_string(i));
  int h = f.num_frames(), w = f.num_mfcc, c = 1;
  for (const ConvShape& s : shapes) {
    BlockSpec block;
    block.type = BlockType::kConv;
    block.filters = s.out_channels;
    block.kernel_h = s.kernel_h;
    block.kernel_w = s.kernel_w;
    block.stride_h = s.stride_h;
    block.stride_w = s.stride_w;
    block.dilation_h = s.dilation_h;
    block.dilation_w = s.dilation_w;
    block.padding = s.same ? Padding::kSame : Padding::kValid;
    format::ConvLayer conv = quant::ConvLayerFromSpec(block, h, w, c, s.relu);
    const int fan_in = s.kernel_h * s.kernel_w * c;
    std::normal_distribution<float> weight(
        0.0f, 1.0f / std::sqrt(static_cast<float>(fan_in)));
    std::normal_distribution<float> bias(0.0f, 0.5f);
    conv.float_weights.resize(static_cast<size_t>(s.out_channels) * fan_in);
    for (float& v : conv.float_weights)
      v = weight(rng) * (c == 1 ? 0.05f : 1.0f);
    conv.float_bias.resize(s.out_channels);
    for (float& v : conv.float_bias) v = bias(rng);
    m.convs.push_back(conv);
    h = conv.out_height;
    w = conv.out_width;
    c = s.out_channels;
  }
  m.dense.in_channels = c;
  m.dense.out_channels = labels;
  m.dense.pool_count = h * w;
  std::normal_distribution<float> weight(0.0f, 1.0f);
  m.dense.float_weights.resize(static_cast<size_t>(labels) * c);
  for (float& v : m.dense.float_weights) v = weight(rng);
  m.dense.float_bias.assign(labels, 0.1f);
  return m;
}

// Quantized with min/max calibration on `calibration` random inputs.
inline format::ModelFile RandomInt8Model(const quant::FloatModel& model,
                                         uint32_t seed, int calibration = 20) {
  std::mt19937 rng(seed);
  quant::FloatExecutor executor(model);
  quant::ActivationRanges ranges;
  std::vector<float> logits(model.labels.size());
  for (int i = 0; i < calibration; ++i) {
    const std::vector<float> x = RandomMfcc(model.features, rng);
    executor.Run(x.data(), logits.data(), &ranges);
  }
  StatusOr<format::ModelFile> file = quant::QuantizeModel(model, ranges, {});
  return file.ok() ? *file : format::ModelFile{};
}

}  // namespace tinykws::testing
