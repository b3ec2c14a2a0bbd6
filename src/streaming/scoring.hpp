// Scoring detections on a stream with known events: which keywords were
// found, how late, and which detections were false alarms.
//
// Rule (docs/streaming.md): detections are taken in time order; one of
// keyword k at sample s is a hit for the earliest keyword-k event not yet
// found whose window [start, end + window) contains s, where window is the
// model's clip length (the network looks back one clip). Every other
// detection is a false alarm: on silence, noise or another word, a wrong
// keyword, or a repeat. Delay = detection time - end of the event's speech.
#pragma once

#include <cstdint>
#include <vector>

#include "streaming/stream_builder.hpp"
#include "tinykws/spotter.hpp"

namespace tinykws::streaming {

struct StreamScore {
  int keywords = 0;  // keyword events
  int found = 0;
  int false_alarms = 0;
  double seconds = 0.0;              // audio length
  std::vector<double> delays_s;      // of the found events
  std::vector<int> event_hit;        // per event: detection index or -1
  std::vector<int> detection_event;  // per detection: event index or -1
  // Per label (keywords only have non-zero entries).
  std::vector<int> keywords_per_label, found_per_label, false_alarms_per_label;

  void Add(const StreamScore& other);  // totals only (not the per-item lists)
};

StreamScore ScoreDetections(const std::vector<StreamEvent>& events,
                            const std::vector<Detection>& detections,
                            size_t num_labels, int64_t window_samples,
                            int sample_rate, int64_t stream_samples);

}  // namespace tinykws::streaming
