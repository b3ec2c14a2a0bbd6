#include "runtime/detection_logic.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

namespace tinykws::runtime {

namespace {

// The little-endian float32 bytes the core reads (as in a model file).
void EncodeF32(float value, uint8_t* out) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>(bits >> (8 * i));
}

}  // namespace

PosteriorSmoother::PosteriorSmoother(int runs, size_t labels)
    : history_(static_cast<size_t>(std::max(1, runs)) * labels, 0.0f),
      mean_(labels, 0.0f) {
  core_.labels = static_cast<int32_t>(labels);
  core_.runs = std::max(1, runs);
  kws_detector_reset(Core());
}

kws_detector* PosteriorSmoother::Core() {
  core_.history = history_.data();
  core_.smoothed = mean_.data();
  return &core_;
}

const float* PosteriorSmoother::Add(const float* scores) {
  return kws_detector_smooth(Core(), scores);
}

void PosteriorSmoother::Reset() { kws_detector_reset(Core()); }

DetectionGate::DetectionGate(const std::vector<std::string>& labels,
                             const std::vector<float>& thresholds,
                             int64_t refractory_samples)
    : thresholds_(4 * labels.size()),
      flags_(labels.size()),
      resting_(labels.size(), 0) {
  for (size_t k = 0; k < labels.size(); ++k) {
    flags_[k] = IsKeywordLabel(labels[k]) ? KWS_DETECTOR_KEYWORD : 0;
    EncodeF32(k < thresholds.size() ? thresholds[k] : KWS_DEFAULT_THRESHOLD,
              &thresholds_[4 * k]);
  }
  core_.labels = static_cast<int32_t>(labels.size());
  core_.runs = 1;
  core_.refractory = static_cast<int32_t>(std::clamp<int64_t>(
      refractory_samples, 0, std::numeric_limits<int32_t>::max()));
  kws_detector_reset(Core());
}

kws_detector* DetectionGate::Core() {
  core_.flags = flags_.data();
  core_.resting = resting_.data();
  return &core_;
}

int DetectionGate::Check(const float* smoothed, int64_t sample) {
  const int64_t elapsed = sample - previous_sample_;
  previous_sample_ = sample;
  return kws_detector_gate(Core(), smoothed, thresholds_.data(), elapsed);
}

void DetectionGate::SetThreshold(size_t label, float threshold) {
  if (label < flags_.size()) EncodeF32(threshold, &thresholds_[4 * label]);
}

void DetectionGate::Reset() {
  kws_detector_reset(Core());
  previous_sample_ = 0;
}

int64_t RefractorySamples(float refractory_ms, int sample_rate) {
  return kws_refractory_samples(refractory_ms, sample_rate);
}

}  // namespace tinykws::runtime
