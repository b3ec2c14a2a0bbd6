// The Spotter's decision logic, separate from audio and network so that
// calibration and evaluation can replay it over recorded posteriors and get
// exactly the detections a Spotter would report.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

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
  int runs_;
  size_t labels_;
  std::vector<float> history_;  // runs_ x labels_, a ring
  std::vector<float> mean_;
  int count_ = 0;  // runs stored (<= runs_)
  int next_ = 0;   // ring slot of the next run
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
  // The label that fires at this run (sample = the run's last sample), or -1.
  int Check(const float* smoothed, int64_t sample);
  void SetThreshold(size_t label, float threshold);
  void Reset();

 private:
  std::vector<float> thresholds_;
  std::vector<char> keyword_;
  std::vector<char> above_;    // at the previous run
  std::vector<char> pending_;  // an edge deferred by its refractory period
  std::vector<char> fired_;    // has fired since the stream began
  std::vector<int64_t> last_sample_;  // of its last detection
  int64_t refractory_samples_;
};

// refractory_ms in samples at sample_rate (rounded to nearest).
int64_t RefractorySamples(float refractory_ms, int sample_rate);

}  // namespace tinykws::runtime
