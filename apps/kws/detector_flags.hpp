// Command-line overrides of a model's detector (kws spot, kws spot-eval).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "tinykws/spotter.hpp"

namespace kws {

struct DetectorFlags {
  std::vector<std::string> thresholds;  // "go=0.8"
  int hop_frames = 0;
  int smoothing_runs = 0;
  float refractory_ms = -1.0f;
};

void AddDetectorFlags(CLI::App* cmd, DetectorFlags* flags);

// The overrides as SpotterOptions for `model` (threshold labels by name).
tinykws::Status ResolveDetectorFlags(const tinykws::Model& model,
                                     const DetectorFlags& flags,
                                     tinykws::SpotterOptions* options);

}  // namespace kws
