// Training progress on stderr: one updating line per epoch on a terminal,
// one plain line per epoch otherwise, nothing with quiet.
#pragma once

#include <chrono>
#include <cstdint>

#include "train/run_dir.hpp"

namespace tinykws::train {

class Progress {
 public:
  Progress(bool quiet, int epochs, int64_t steps_per_epoch);

  // Within an epoch (1-based): redraws at most every 100 ms on a terminal.
  void Step(int epoch, int64_t step, double loss, double acc,
            double clips_per_s, double eta_seconds);
  void EndEpoch(const EpochMetrics& m, bool best, double eta_seconds);

 private:
  bool quiet_;
  bool tty_;
  int epochs_;
  int64_t steps_per_epoch_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace tinykws::train
