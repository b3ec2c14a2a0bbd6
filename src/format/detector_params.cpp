// The detector's defaults and rules come from the core: model_limits.h for
// the numbers, kws_check_detector_head / kws_check_threshold for the checks
// its reader applies to a model's 'detector' section.
#include <string>

#include "format/layout.hpp"
#include "micro/micro_internal.h"
#include "tinykws/detector.hpp"

namespace tinykws {

namespace {

Status CoreRefusal(const char* message) {
  return InvalidArgument(format::WithoutCorePrefix(message));
}

}  // namespace

bool IsKeywordLabel(const std::string& label) {
  return kws_is_keyword_label(label.data(), label.size()) != 0;
}

DetectorParams DefaultDetectorParams(size_t num_labels) {
  DetectorParams p;
  p.hop_frames = KWS_DEFAULT_HOP_FRAMES;
  p.smoothing_runs = KWS_DEFAULT_SMOOTHING_RUNS;
  p.refractory_ms = KWS_DEFAULT_REFRACTORY_MS;
  p.thresholds.assign(num_labels, KWS_DEFAULT_THRESHOLD);
  return p;
}

Status ValidateDetectorParams(const DetectorParams& p, size_t num_labels,
                              int num_frames) {
  char message[160];
  kws_text text;
  kws_text_init(&text, message, sizeof message);
  if (kws_check_detector_head(p.hop_frames, p.smoothing_runs, p.refractory_ms,
                              num_frames, &text) != KWS_MICRO_OK) {
    return CoreRefusal(message);
  }
  if (p.thresholds.size() != num_labels) {
    return InvalidArgument("detector has " +
                           std::to_string(p.thresholds.size()) +
                           " thresholds, expected one per label (" +
                           std::to_string(num_labels) + ")");
  }
  for (size_t i = 0; i < p.thresholds.size(); ++i) {
    if (kws_check_threshold(static_cast<uint32_t>(i), p.thresholds[i], &text) !=
        KWS_MICRO_OK) {
      return CoreRefusal(message);
    }
  }
  return Status::Ok();
}

}  // namespace tinykws
