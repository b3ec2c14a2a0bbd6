// Command-line overrides of a model's detector (kws spot, kws spot-eval,
// kws calibrate), and the domains of number flags: a value outside its
// domain is a usage error (exit 2) that names the flag (docs/cli.md).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "../common/number_flags.hpp"
#include "tinykws/spotter.hpp"

namespace kws {

using tinykws::cli::NumberIn;
using tinykws::cli::ParseNumber;
using tinykws::cli::WholeIn;

using tinykws::cli::kMaxThreads;

struct DetectorFlags {
  std::vector<std::string> thresholds;  // "go=0.8"
  int hop_frames = 0;                   // 0: not given (the model's)
  int smoothing_runs = 0;               // 0: not given
  float refractory_ms = -1.0f;          // < 0: not given
};

void AddDetectorFlags(CLI::App* cmd, DetectorFlags* flags);
// --hop-frames and --refractory-ms alone (kws calibrate).
void AddHopAndRefractoryFlags(CLI::App* cmd, int* hop_frames,
                              float* refractory_ms, const char* hop_help,
                              const char* refractory_help);

// The overrides as SpotterOptions for `model` (threshold labels by name).
// Every error is a usage error: a malformed or out-of-range threshold, a
// label that is no keyword of the model, a hop longer than its clip.
tinykws::Status ResolveDetectorFlags(const tinykws::Model& model,
                                     const DetectorFlags& flags,
                                     tinykws::SpotterOptions* options);

// --hop-frames against the model: at most its frames per clip (0 passes:
// not given).
tinykws::Status CheckHopFrames(const tinykws::Model& model, int hop_frames);

}  // namespace kws
