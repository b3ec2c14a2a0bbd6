#include "xnnpack/inputs.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "quant/requantize.hpp"
#include "tinykws/features.hpp"

namespace tinykws::bench {
namespace {

std::vector<int16_t> SyntheticClip(int samples, int sample_rate,
                                   std::mt19937* rng) {
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const float pole = 1.9f * u(*rng) - 0.95f;  // low- to high-pass tilt
  const float noise_level = std::pow(10.0f, -3.5f * u(*rng));
  std::vector<float> x(samples);
  float y = 0.0f;
  for (float& v : x) {
    y = normal(*rng) + pole * y;
    v = noise_level * 0.3f * (1.0f - std::fabs(pole)) * y;
  }
  const int tones = static_cast<int>(4.0f * u(*rng));
  for (int t = 0; t < tones; ++t) {
    const float hz = 100.0f + 3000.0f * u(*rng);
    const float amp = 0.3f * std::pow(10.0f, -2.0f * u(*rng));
    const int begin = static_cast<int>(u(*rng) * samples * 0.8f);
    const int end = std::min(
        samples, begin + samples / 5 + static_cast<int>(u(*rng) * samples));
    for (int n = begin; n < end; ++n) {
      x[n] += amp * std::sin(6.2831853f * hz * n / sample_rate);
    }
  }
  std::vector<int16_t> pcm(samples);
  for (int n = 0; n < samples; ++n) {
    pcm[n] =
        static_cast<int16_t>(std::clamp(x[n] * 32768.0f, -32768.0f, 32767.0f));
  }
  return pcm;
}

}  // namespace

std::vector<std::vector<int8_t>> MfccLikeInputs(const format::ModelFile& model,
                                                int count, uint32_t seed) {
  StatusOr<MfccExtractor> extractor = MfccExtractor::Create(model.features);
  if (!extractor.ok()) {
    std::fprintf(stderr, "error: %s\n", extractor.status().message().c_str());
    std::exit(1);
  }
  std::mt19937 rng(seed);
  const FeatureConfig& f = model.features;
  std::vector<float> mfcc(f.num_features());
  std::vector<std::vector<int8_t>> inputs;
  for (int i = 0; i < count; ++i) {
    const std::vector<int16_t> pcm =
        SyntheticClip(f.clip_samples, f.sample_rate, &rng);
    const Status status =
        extractor->Compute(pcm.data(), pcm.size(), mfcc.data(), mfcc.size());
    if (!status.ok()) {
      std::fprintf(stderr, "error: %s\n", status.message().c_str());
      std::exit(1);
    }
    std::vector<int8_t> q(mfcc.size());
    for (size_t j = 0; j < q.size(); ++j) {
      q[j] = quant::QuantizeInput(mfcc[j], 1.0f / model.input_scale,
                                  model.input_zero_point);
    }
    inputs.push_back(std::move(q));
  }
  return inputs;
}

std::vector<std::vector<int8_t>> UniformInputs(const format::ModelFile& model,
                                               int count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> u(-128, 127);
  std::vector<std::vector<int8_t>> inputs(count);
  for (std::vector<int8_t>& q : inputs) {
    q.resize(model.features.num_features());
    for (int8_t& v : q) v = static_cast<int8_t>(u(rng));
  }
  return inputs;
}

std::vector<float> Dequantize(const std::vector<int8_t>& q, float scale,
                              int32_t zero_point) {
  std::vector<float> x(q.size());
  for (size_t i = 0; i < q.size(); ++i) {
    x[i] = static_cast<float>(int32_t{q[i]} - zero_point) * scale;
  }
  return x;
}

}  // namespace tinykws::bench
