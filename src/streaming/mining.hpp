// Hard-negative mining: run a model's detector over long keyword-free audio
// and keep the 1 s windows where a keyword scored highest, to train the next
// model on them as _unknown_ (`kws-train mine`, docs/training.md round 7).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tinykws/runtime.hpp"
#include "tinykws/spotter.hpp"

namespace tinykws::streaming {

struct MiningOptions {
  // A run is a candidate when a keyword's smoothed score reaches this: the
  // near misses teach as much as the false alarms.
  float min_score = 0.5f;
  size_t max_windows = 2000;     // the highest-scoring ones are kept
  double min_gap_seconds = 0.5;  // between windows of one recording
  int threads = 1;
};

struct MinedWindow {
  size_t recording = 0;  // index into the recordings mined
  int64_t end = 0;       // last sample of the network's window
  int label = -1;        // the keyword that scored
  float score = 0.0f;    // its smoothed score
};

// The highest-scoring peaks of every recording (at least min_gap_seconds
// apart within a recording), best first, at most max_windows.
StatusOr<std::vector<MinedWindow>> MineRecordings(
    const std::shared_ptr<const Model>& model,
    const std::vector<std::string>& recordings, const MiningOptions& options);

// The clips (the window's clip_samples samples ending at `end`), in the order
// of `windows`, decoded from the recordings at the model's rate.
StatusOr<std::vector<std::vector<int16_t>>> CutWindows(
    const std::vector<std::string>& recordings,
    const std::vector<MinedWindow>& windows, int sample_rate, int clip_samples);

}  // namespace tinykws::streaming
