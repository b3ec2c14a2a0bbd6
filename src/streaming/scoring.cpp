#include "streaming/scoring.hpp"

#include <algorithm>

namespace tinykws::streaming {

void StreamScore::Add(const StreamScore& o) {
  keywords += o.keywords;
  found += o.found;
  false_alarms += o.false_alarms;
  seconds += o.seconds;
  delays_s.insert(delays_s.end(), o.delays_s.begin(), o.delays_s.end());
  const size_t n =
      std::max(keywords_per_label.size(), o.keywords_per_label.size());
  keywords_per_label.resize(n, 0);
  found_per_label.resize(n, 0);
  false_alarms_per_label.resize(n, 0);
  for (size_t k = 0; k < o.keywords_per_label.size(); ++k) {
    keywords_per_label[k] += o.keywords_per_label[k];
    found_per_label[k] += o.found_per_label[k];
    false_alarms_per_label[k] += o.false_alarms_per_label[k];
  }
}

StreamScore ScoreDetections(const std::vector<StreamEvent>& events,
                            const std::vector<Detection>& detections,
                            size_t num_labels, int64_t window_samples,
                            int sample_rate, int64_t stream_samples) {
  StreamScore s;
  s.seconds = static_cast<double>(stream_samples) / sample_rate;
  s.keywords_per_label.assign(num_labels, 0);
  s.found_per_label.assign(num_labels, 0);
  s.false_alarms_per_label.assign(num_labels, 0);
  s.event_hit.assign(events.size(), -1);
  s.detection_event.assign(detections.size(), -1);
  for (const StreamEvent& e : events) {
    if (e.label >= 0 && static_cast<size_t>(e.label) < num_labels) {
      ++s.keywords;
      ++s.keywords_per_label[e.label];
    }
  }
  // Events are in time order; `first` skips those whose window has passed.
  size_t first = 0;
  for (size_t d = 0; d < detections.size(); ++d) {
    const Detection& det = detections[d];
    while (first < events.size() &&
           events[first].end + window_samples < det.sample) {
      ++first;
    }
    int hit = -1;
    for (size_t e = first; e < events.size() && events[e].start <= det.sample;
         ++e) {
      const StreamEvent& ev = events[e];
      if (ev.label == det.label && s.event_hit[e] < 0 &&
          det.sample <= ev.end + window_samples) {
        hit = static_cast<int>(e);
        break;
      }
    }
    if (hit >= 0) {
      s.event_hit[hit] = static_cast<int>(d);
      s.detection_event[d] = hit;
      ++s.found;
      ++s.found_per_label[det.label];
      s.delays_s.push_back(
          static_cast<double>(det.sample + 1 - events[hit].speech_end) /
          sample_rate);
    } else {
      ++s.false_alarms;
      if (det.label >= 0 && static_cast<size_t>(det.label) < num_labels) {
        ++s.false_alarms_per_label[det.label];
      }
    }
  }
  return s;
}

}  // namespace tinykws::streaming
