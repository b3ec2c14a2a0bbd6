// The Spotter's decision logic, separate from audio and network so that
// calibration and evaluation can replay it over recorded posteriors and get
// exactly the detections a Spotter would report. Both classes wrap the C99
// core (src/micro/detector.h) the micro runtime runs: one implementation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "micro/detector.h"
#include "tinykws/detector.hpp"

namespace tinykws::runtime {

// Mean of the last `runs` posterior vectors (fewer at the start of a
// stream). The mean is recomputed from the stored runs, oldest first, so it
// does not depend on how long the stream has been running.
class PosteriorSmoother {
 public:
  PosteriorSmoother(int runs, size_t labels);
  // Adds one run's posteriors; returns the smoothed scores (labels values,
  // valid until the next call).
  const float* Add(const float* scores);
  void Reset();

 private:
  kws_detector* Core();  // core_ pointed at this object's buffers

  std::vector<float> history_;  // runs x labels, a ring
  std::vector<float> mean_;
  kws_detector core_{};
};

// Rising-edge thresholding with a refractory period per keyword: keyword k
// fires at a run when its smoothed score is >= thresholds[k] and was below
// it at the previous run, unless k itself fired less than
// refractory_samples before; then the edge is deferred and fires at the
// first run after the period if k is still above its threshold (dropped if
// it falls below first). Another keyword's detection never holds k back.
// When several keywords fire at the same run the highest score wins (the
// others' edges are used up: one sound, one detection).
class DetectionGate {
 public:
  DetectionGate(const std::vector<std::string>& labels,
                const std::vector<float>& thresholds,
                int64_t refractory_samples);
  // The label that fires at this run (sample = the run's last sample, not
  // below the previous run's), or -1. refractory_samples beyond INT32_MAX
  // (37 h at 16 kHz) count as INT32_MAX.
  int Check(const float* smoothed, int64_t sample);
  void SetThreshold(size_t label, float threshold);
  void Reset();

 private:
  kws_detector* Core();  // core_ pointed at this object's buffers

  std::vector<uint8_t> thresholds_;  // labels x little-endian float32
  std::vector<uint8_t> flags_;       // KWS_DETECTOR_* per label
  std::vector<int32_t> resting_;     // refractory samples still to run
  int64_t previous_sample_ = 0;      // of the previous Check
  kws_detector core_{};
};

// refractory_ms in samples at sample_rate (rounded to nearest).
int64_t RefractorySamples(float refractory_ms, int sample_rate);

}  // namespace tinykws::runtime
