#include <cmath>
#include <cstdio>

#include "tinykws/detector.hpp"

namespace tinykws {

namespace {

std::string Number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", v);
  return text;
}

}  // namespace

bool IsKeywordLabel(const std::string& label) {
  return !label.empty() && label[0] != '_';
}

DetectorParams DefaultDetectorParams(size_t num_labels) {
  DetectorParams p;
  p.hop_frames = 2;
  p.smoothing_runs = 3;
  p.refractory_ms = 1000.0f;
  p.thresholds.assign(num_labels, 0.9f);
  return p;
}

Status ValidateDetectorParams(const DetectorParams& p, size_t num_labels,
                              int num_frames) {
  if (p.hop_frames < 1 || p.hop_frames > num_frames) {
    return InvalidArgument(
        "detector hop_frames must be 1.." + std::to_string(num_frames) +
        " (the model's frames per clip), got " + std::to_string(p.hop_frames));
  }
  if (p.smoothing_runs < 1 || p.smoothing_runs > kMaxSmoothingRuns) {
    return InvalidArgument("detector smoothing_runs must be 1.." +
                           std::to_string(kMaxSmoothingRuns) + ", got " +
                           std::to_string(p.smoothing_runs));
  }
  if (!std::isfinite(p.refractory_ms) || p.refractory_ms < 0.0f ||
      p.refractory_ms > kMaxRefractoryMs) {
    return InvalidArgument("detector refractory_ms must be in 0.." +
                           Number(kMaxRefractoryMs) + ", got " +
                           Number(p.refractory_ms));
  }
  if (p.thresholds.size() != num_labels) {
    return InvalidArgument("detector has " +
                           std::to_string(p.thresholds.size()) +
                           " thresholds, expected one per label (" +
                           std::to_string(num_labels) + ")");
  }
  for (size_t i = 0; i < p.thresholds.size(); ++i) {
    const float t = p.thresholds[i];
    if (!std::isfinite(t) || t < 0.0f || t > 1.0f) {
      return InvalidArgument("detector threshold " + std::to_string(i) +
                             " must be in [0, 1], got " + Number(t));
    }
  }
  return Status::Ok();
}

}  // namespace tinykws
