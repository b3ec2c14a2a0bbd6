// A hand-made model that hears tones, for streaming tests: label "low" for a
// 300 Hz tone, "high" for a 4 kHz tone, "_silence_" for digital silence. It
// reads MFCC c1 (spectral tilt: +4.3 for the 300 Hz tone at amplitude 0.2,
// -13.3 for 4 kHz, exactly 0 for silence): conv [1 x num_mfcc] -> 2 channels
// ReLU(c1) and ReLU(-c1 / 3), global average pooling, dense 3 x (mean) - 3.
// A tone filling ~half the 1 s window gives its label a score of ~0.95.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "quant/conv_from_spec.hpp"
#include "quant/float_model.hpp"
#include "quant/quantizer.hpp"
#include "seed_config.hpp"
#include "tinykws/features.hpp"

namespace tinykws::testing {

struct ToneEvent {
  double start_s = 0.0;
  double seconds = 0.5;
  bool high = false;  // 4 kHz ("high") or 300 Hz ("low")
};

// Silence with the tones added at amplitude 0.2.
inline std::vector<int16_t> ToneStream(const std::vector<ToneEvent>& events,
                                       double total_s, int rate = 16000) {
  std::vector<int16_t> pcm(static_cast<size_t>(total_s * rate), 0);
  for (const ToneEvent& e : events) {
    const double hz = e.high ? 4000.0 : 300.0;
    const size_t begin = static_cast<size_t>(e.start_s * rate);
    const size_t n = static_cast<size_t>(e.seconds * rate);
    for (size_t i = 0; i < n && begin + i < pcm.size(); ++i) {
      pcm[begin + i] = static_cast<int16_t>(
          std::lround(0.2 * 32767.0 * std::sin(2.0 * M_PI * hz * i / rate)));
    }
  }
  return pcm;
}

inline quant::FloatModel ToneFloatModel() {
  quant::FloatModel m;
  m.features = SeedFeatureConfig();
  m.labels = {"low", "high", "_silence_"};
  const int frames = m.features.num_frames();
  const int coeffs = m.features.num_mfcc;
  BlockSpec block;
  block.type = BlockType::kConv;
  block.filters = 2;
  block.kernel_h = 1;
  block.kernel_w = coeffs;
  block.padding = Padding::kValid;
  format::ConvLayer conv =
      quant::ConvLayerFromSpec(block, frames, coeffs, 1, /*relu=*/true);
  conv.float_weights.assign(2 * static_cast<size_t>(coeffs), 0.0f);
  conv.float_weights[1] = 1.0f;                   // channel 0: c1
  conv.float_weights[coeffs + 1] = -1.0f / 3.0f;  // channel 1: -c1 / 3
  conv.float_bias = {0.0f, 0.0f};
  m.convs.push_back(conv);
  m.dense.in_channels = 2;
  m.dense.out_channels = 3;
  m.dense.pool_count = frames;
  m.dense.float_weights = {3.0f, 0.0f, 0.0f, 3.0f, 0.0f, 0.0f};
  m.dense.float_bias = {-3.0f, -3.0f, 0.0f};
  return m;
}

// The tone model as a model file: float32, or int8 calibrated (min/max) on
// the MFCC windows of a stream with both tones.
inline format::ModelFile ToneModelFile(bool int8) {
  const quant::FloatModel model = ToneFloatModel();
  if (!int8) return quant::FloatModelFile(model);
  const std::vector<int16_t> pcm =
      ToneStream({{0.5, 0.6, false}, {2.0, 0.6, true}}, 3.5);
  StatusOr<MfccExtractor> extractor = MfccExtractor::Create(model.features);
  quant::FloatExecutor executor(model);
  quant::ActivationRanges ranges;
  std::vector<float> mfcc(model.features.num_features()), logits(3);
  for (size_t at = 0; at + 16000 <= pcm.size(); at += 1600) {
    extractor->Compute(pcm.data() + at, 16000, mfcc.data(), mfcc.size());
    executor.Run(mfcc.data(), logits.data(), &ranges);
  }
  StatusOr<format::ModelFile> file = quant::QuantizeModel(model, ranges, {});
  return file.ok() ? *file : format::ModelFile{};
}

}  // namespace tinykws::testing
