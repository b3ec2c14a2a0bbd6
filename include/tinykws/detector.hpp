// How the streaming Spotter turns the network's posteriors into detections.
// A model file stores these next to the weights (section 'detector',
// written by `kws-train export` and `kws calibrate`); a spotter may override
// any of them. Models without the section get DefaultDetectorParams().
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tinykws/export.hpp"
#include "tinykws/model_limits.h"
#include "tinykws/status.hpp"

namespace tinykws {

struct DetectorParams {
  // The network runs every hop_frames MFCC frames (frame_step samples each)
  // over the last clip's worth of frames.
  int hop_frames = 0;
  // A label's smoothed score is the mean of its posteriors over the last
  // smoothing_runs network runs.
  int smoothing_runs = 0;
  // After a keyword's detection, its next rise waits this long (other
  // keywords are not held back).
  float refractory_ms = 0.0f;
  // One per label, in label order: a keyword fires when its smoothed score
  // is >= its threshold. Entries of filler labels are stored but unused.
  std::vector<float> thresholds;
};

// Limits of the fields (and of the model file's 'detector' record).
inline constexpr int kMaxSmoothingRuns = KWS_MAX_SMOOTHING_RUNS;
inline constexpr float kMaxRefractoryMs = KWS_MAX_REFRACTORY_MS;

// Keywords are the labels a spotter reports: every label whose name does not
// start with '_' (_unknown_ and _silence_ are fillers).
TINYKWS_API bool IsKeywordLabel(const std::string& label);

// For models without a stored detector: hop 2 frames, smoothing over 3
// runs, refractory 1000 ms, every threshold 0.9.
TINYKWS_API DetectorParams DefaultDetectorParams(size_t num_labels);

// hop_frames in 1..num_frames, smoothing_runs in 1..kMaxSmoothingRuns,
// refractory_ms finite in [0, kMaxRefractoryMs], one threshold per label,
// each finite in [0, 1]. The message names the field and the value.
TINYKWS_API Status ValidateDetectorParams(const DetectorParams& params,
                                          size_t num_labels, int num_frames);

}  // namespace tinykws
