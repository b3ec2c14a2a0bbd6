// Calibrating a model's detector on streams: a keyword stream built from
// positive clips, keyword-free streams, and the user's own negative
// recordings. Shared by `kws-train export` (validation split) and
// `kws calibrate` (the user's recordings).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "streaming/calibration.hpp"
#include "streaming/stream_builder.hpp"

namespace tinykws::streaming {

// The most keyword-free audio built for one calibration or evaluation
// (100 hours): each half hour is a planned stream held in memory.
inline constexpr double kMaxKeywordFreeMinutes = 6000.0;

struct ModelCalibrationOptions {
  double target_fa_per_hour = 0.5;  // in [0, kMaxTargetFaPerHour]
  // Keyword-free synthetic audio from the sources' other words and noise,
  // in [0, kMaxKeywordFreeMinutes].
  double keyword_free_minutes = 0.0;
  std::vector<std::string> negative_files;  // keyword-free recordings
  uint64_t seed = 1;
  int threads = 1;
  CalibrationOptions search;  // smoothing candidates
  // Hop and refractory period to calibrate for (0 / < 0: the model's).
  SpotterOptions spotter;
};

struct CalibratedStream {
  std::string name;  // "keywords", "keyword-free 1", a file path
  double seconds = 0.0;
  int keywords = 0, found = 0, false_alarms = 0;
};

struct ModelCalibration {
  CalibrationResult result;
  std::vector<CalibratedStream> streams;
  double spot_seconds = 0.0;  // summed over streams
  double target_fa_per_hour = 0.0;
  // Not empty when the audio is too short for the target to allow a single
  // false alarm (ShortAudioWarning): callers print it.
  std::string warning;
  // Recordings (and positives) shorter than their headers say, read as far
  // as they go (AudioClip::truncated): callers warn.
  std::vector<std::string> truncated_files;
};

// "4.0 min of audio at a target of 0.5 false alarms per hour: 0 false
// alarms allowed, ...; record >= 2 h of keyword-free audio".
std::string ShortAudioWarning(double hours, double target_fa_per_hour);

// Runs the model's network once over every stream (hop_frames and
// refractory_ms of its current detector unless options.spotter overrides
// them), then picks smoothing and thresholds (Calibrate). The returned params
// are ready for a model file.
StatusOr<ModelCalibration> CalibrateModel(
    const std::shared_ptr<const Model>& model,
    const std::shared_ptr<const StreamSources>& positives,
    const ModelCalibrationOptions& options);

// "validation stream 24.1 min + 180 min keyword-free, target 0.5 FA/h:
// found 201/206 (97.6 %), 1 false alarm in 3.4 h (0.30 FA/h)" for the
// model's metadata and the command line.
std::string DescribeCalibration(const ModelCalibration& c,
                                const std::string& source);

// Audio of the keyword-free parts: streams of at most this many minutes,
// so long totals run in parallel.
inline constexpr double kKeywordFreePartMinutes = 30.0;

// The seed of part `index` of a recipe seeded with `seed`.
uint64_t PartSeed(uint64_t seed, int index);

// `minutes` (finite, 0..kMaxKeywordFreeMinutes) of keyword-free audio as
// parts of at most kKeywordFreePartMinutes, part i seeded with
// PartSeed(seed, i).
StatusOr<std::vector<std::unique_ptr<SyntheticStream>>> PlanKeywordFree(
    const std::shared_ptr<const StreamSources>& sources, double minutes,
    uint64_t seed);

}  // namespace tinykws::streaming
