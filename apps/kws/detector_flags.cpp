#include "detector_flags.hpp"

#include <algorithm>
#include <cstdlib>

namespace kws {

void AddDetectorFlags(CLI::App* cmd, DetectorFlags* flags) {
  cmd->add_option("--threshold", flags->thresholds,
                  "Override a keyword's threshold, LABEL=VALUE in [0, 1] "
                  "(repeatable)");
  cmd->add_option("--hop-frames", flags->hop_frames,
                  "Run the network every N MFCC frames (default: the model's)");
  cmd->add_option("--smoothing", flags->smoothing_runs,
                  "Average posteriors over N runs (default: the model's)");
  cmd->add_option("--refractory-ms", flags->refractory_ms,
                  "No detection this soon after one (default: the model's)");
}

tinykws::Status ResolveDetectorFlags(const tinykws::Model& model,
                                     const DetectorFlags& flags,
                                     tinykws::SpotterOptions* options) {
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
    char* end = nullptr;
    const std::string value =
        eq == std::string::npos ? "" : item.substr(eq + 1);
    const float v = std::strtof(value.c_str(), &end);
    if (eq == std::string::npos || value.empty() || *end != '\0') {
      return tinykws::InvalidArgument("--threshold expects LABEL=VALUE, got '" +
                                      item + "'");
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
    options->thresholds[static_cast<size_t>(it - labels.begin())] = v;
  }
  return tinykws::Status::Ok();
}

}  // namespace kws
