// Choosing detector thresholds for a target false-alarm rate, and the DET
// curve (miss rate against false alarms per hour over thresholds), from
// recorded spot traces: the network runs once, every candidate is a replay.
#pragma once

#include <vector>

#include "streaming/scoring.hpp"
#include "streaming/spot_trace.hpp"

namespace tinykws::streaming {

// A traced stream: its events (empty for keyword-free audio).
struct TracedStream {
  const SpotTrace* trace = nullptr;
  const std::vector<StreamEvent>* events = nullptr;  // may be null
};

// The highest target accepted (CalibrateModel refuses more; Calibrate
// clamps to it): one false alarm every 3.6 s is no detector anyone wants,
// and the bound keeps target x hours far inside an int.
inline constexpr double kMaxTargetFaPerHour = 1000.0;

struct CalibrationOptions {
  double target_fa_per_hour = 0.5;  // in [0, kMaxTargetFaPerHour]
  // Smoothing windows tried (the hop and refractory period stay as given).
  std::vector<int> smoothing_candidates = {1, 2, 3, 4, 5, 6, 8, 10, 12, 16};
};

struct CalibrationResult {
  DetectorParams params;
  StreamScore score;  // all streams, at params
  double hours = 0.0;
  int budget = 0;  // false alarms allowed: floor(target * hours)
  bool target_met = false;
};

// The candidate thresholds, ascending: 0.30 to 0.98 in steps of 0.02, then
// 1 - m * 10^-d for d = 2..6 and m = 9..1, then 1.
std::vector<float> ThresholdGrid();

// For each smoothing candidate: per keyword, the hits and false alarms of
// every grid threshold with only that keyword enabled; the thresholds that
// find the most keywords with at most `budget` false alarms in total (for
// equal hits, the highest threshold: the most margin on unseen audio); then
// all keywords together, replayed as a Spotter would. The candidate with the
// most keywords found within the budget wins (then the shorter window).
// base supplies hop_frames and refractory_ms. window_samples: the model's
// clip length (the scoring window).
CalibrationResult Calibrate(const std::vector<TracedStream>& streams,
                            const std::vector<std::string>& labels,
                            const DetectorParams& base, int sample_rate,
                            int64_t window_samples,
                            const CalibrationOptions& options);

struct DetPoint {
  float threshold = 0.0f;
  double miss_rate = 0.0;
  double fa_per_hour = 0.0;
};

// Every keyword at the same threshold, for each grid threshold.
std::vector<DetPoint> DetCurve(const std::vector<TracedStream>& streams,
                               const std::vector<std::string>& labels,
                               const DetectorParams& params, int sample_rate,
                               int64_t window_samples);

// Replays every stream at params and scores the detections.
StreamScore ScoreAll(const std::vector<TracedStream>& streams,
                     const std::vector<std::string>& labels,
                     const DetectorParams& params, int sample_rate,
                     int64_t window_samples);

}  // namespace tinykws::streaming
