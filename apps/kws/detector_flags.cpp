#include "detector_flags.hpp"

#include <algorithm>

namespace kws {

void AddHopAndRefractoryFlags(CLI::App* cmd, int* hop_frames,
                              float* refractory_ms, const char* hop_help,
                              const char* refractory_help) {
  // The upper bound of the hop is the model's frames per clip
  // (CheckHopFrames); 1000 only keeps the number sane before that.
  cmd->add_option("--hop-frames", *hop_frames, hop_help)
      ->check(WholeIn(1, 1000));
  cmd->add_option("--refractory-ms", *refractory_ms, refractory_help)
      ->check(NumberIn(0.0, tinykws::kMaxRefractoryMs));
}

void AddDetectorFlags(CLI::App* cmd, DetectorFlags* flags) {
  cmd->add_option("--threshold", flags->thresholds,
                  "Override a keyword's threshold, LABEL=VALUE with VALUE in "
                  "(0, 1] (repeatable)");
  AddHopAndRefractoryFlags(
      cmd, &flags->hop_frames, &flags->refractory_ms,
      "Run the network every N MFCC frames, 1 to the model's frames per "
      "clip (default: the model's)",
      "No detection this soon after one (default: the model's)");
  cmd->add_option("--smoothing", flags->smoothing_runs,
                  "Average posteriors over N runs (default: the model's)")
      ->check(WholeIn(1, tinykws::kMaxSmoothingRuns));
}

tinykws::Status CheckHopFrames(const tinykws::Model& model, int hop_frames) {
  const int frames = model.features().num_frames();
  if (hop_frames <= frames) return tinykws::Status::Ok();
  return tinykws::InvalidArgument(
      "--hop-frames: must be at most the model's " + std::to_string(frames) +
      " frames per clip, got " + std::to_string(hop_frames));
}

tinykws::Status ResolveDetectorFlags(const tinykws::Model& model,
                                     const DetectorFlags& flags,
                                     tinykws::SpotterOptions* options) {
  TINYKWS_RETURN_IF_ERROR(CheckHopFrames(model, flags.hop_frames));
  options->hop_frames = flags.hop_frames;
  options->smoothing_runs = flags.smoothing_runs;
  options->refractory_ms = flags.refractory_ms;
  if (flags.thresholds.empty()) return tinykws::Status::Ok();
  options->thresholds = model.detector().thresholds;
  const std::vector<std::string>& labels = model.labels();
  for (const std::string& item : flags.thresholds) {
    const size_t eq = item.find('=');
    const std::string name = item.substr(0, eq);
    const auto it = std::find(labels.begin(), labels.end(), name);
    double v = 0.0;
    if (eq == std::string::npos || !ParseNumber(item.substr(eq + 1), &v)) {
      return tinykws::InvalidArgument(
          "--threshold expects LABEL=VALUE with a number, got '" + item + "'");
    }
    // 0 would fire at the stream's first run and never again.
    if (!(v > 0.0 && v <= 1.0)) {
      return tinykws::InvalidArgument(
          "--threshold: the value must be in (0, 1], got '" + item + "'");
    }
    if (it == labels.end() || !tinykws::IsKeywordLabel(name)) {
      std::string keywords;
      for (const std::string& l : labels) {
        if (tinykws::IsKeywordLabel(l))
          keywords += (keywords.empty() ? "" : ", ") + l;
      }
      return tinykws::InvalidArgument("--threshold: '" + name +
                                      "' is not a keyword of the model (" +
                                      keywords + ")");
    }
    options->thresholds[static_cast<size_t>(it - labels.begin())] =
        static_cast<float>(v);
  }
  return tinykws::Status::Ok();
}

}  // namespace kws
