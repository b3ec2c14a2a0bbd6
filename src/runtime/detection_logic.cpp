#include "runtime/detection_logic.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace tinykws::runtime {

PosteriorSmoother::PosteriorSmoother(int runs, size_t labels)
    : runs_(std::max(1, runs)),
      labels_(labels),
      history_(static_cast<size_t>(runs_) * labels, 0.0f),
      mean_(labels, 0.0f) {}

const float* PosteriorSmoother::Add(const float* scores) {
  std::copy(scores, scores + labels_,
            history_.begin() + static_cast<size_t>(next_) * labels_);
  next_ = (next_ + 1) % runs_;
  count_ = std::min(count_ + 1, runs_);
  const int oldest = (next_ - count_ + runs_) % runs_;
  for (size_t k = 0; k < labels_; ++k) {
    float sum = 0.0f;
    for (int i = 0; i < count_; ++i) {
      sum += history_[static_cast<size_t>((oldest + i) % runs_) * labels_ + k];
    }
    mean_[k] = sum / static_cast<float>(count_);
  }
  return mean_.data();
}

void PosteriorSmoother::Reset() {
  count_ = 0;
  next_ = 0;
}

DetectionGate::DetectionGate(const std::vector<std::string>& labels,
                             const std::vector<float>& thresholds,
                             int64_t refractory_samples)
    : thresholds_(thresholds),
      keyword_(labels.size()),
      above_(labels.size(), 0),
      pending_(labels.size(), 0),
      fired_(labels.size(), 0),
      last_sample_(labels.size(), 0),
      refractory_samples_(refractory_samples) {
  for (size_t k = 0; k < labels.size(); ++k) {
    keyword_[k] = IsKeywordLabel(labels[k]) ? 1 : 0;
  }
}

int DetectionGate::Check(const float* smoothed, int64_t sample) {
  int best = -1;
  for (size_t k = 0; k < keyword_.size(); ++k) {
    if (!keyword_[k]) continue;
    const bool above = smoothed[k] >= thresholds_[k];
    const bool rising = above && !above_[k];
    above_[k] = above ? 1 : 0;
    if (!above) {
      pending_[k] = 0;  // a deferred edge that fell back is dropped
      continue;
    }
    const bool resting =
        fired_[k] && sample - last_sample_[k] < refractory_samples_;
    bool fires = false;
    if (rising) {
      // Inside its own refractory period the edge waits for its end.
      pending_[k] = resting ? 1 : 0;
      fires = !resting;
    } else if (pending_[k] && !resting) {
      fires = true;  // a deferred edge, still above at the period's end
    }
    if (fires) {
      pending_[k] = 0;  // fires now, or loses to a higher score: used up
      if (best < 0 || smoothed[k] > smoothed[best]) best = static_cast<int>(k);
    }
  }
  if (best < 0) return -1;
  fired_[best] = 1;
  last_sample_[best] = sample;
  return best;
}

void DetectionGate::SetThreshold(size_t label, float threshold) {
  thresholds_[label] = threshold;
}

void DetectionGate::Reset() {
  std::fill(above_.begin(), above_.end(), 0);
  std::fill(pending_.begin(), pending_.end(), 0);
  std::fill(fired_.begin(), fired_.end(), 0);
  std::fill(last_sample_.begin(), last_sample_.end(), 0);
}

int64_t RefractorySamples(float refractory_ms, int sample_rate) {
  return std::llround(static_cast<double>(refractory_ms) * sample_rate /
                      1000.0);
}

}  // namespace tinykws::runtime
