// kws-train sweep: every trial of a search space trained, exported and
// measured by one or more processes (docs/sweep.md). Rank 0 plans the
// trials, hands out work items through the store, keeps every result in
// the output folder as it arrives, re-runs the items of a process that
// stopped, times the finished models on a quiet machine and writes the
// reports. The other ranks (local --workers, or processes started with
// MASTER_ADDR/MASTER_PORT/RANK/WORLD_SIZE) only run items.
#pragma once

#include <string>
#include <vector>

#include "sweep/sweep_result.hpp"
#include "tinykws/status.hpp"

namespace tinykws::train {

// --workers above this is a usage error: processes on one machine, each
// with its own copy of the data in memory.
inline constexpr int kMaxLocalWorkers = 64;
// --worker-timeout: (0, this] seconds (11.6 days).
inline constexpr double kMaxWorkerTimeoutSeconds = 1e6;

struct SweepOptions {
  std::string space_path;  // rank 0
  std::string data_dir;
  std::string out_dir;    // rank 0: results; every rank: its run folders
  std::string cache_dir;  // "" = no feature cache
  int trials = 0;         // > 0: overrides the space's
  int seeds = 0;          // > 0: overrides the space's
  int epochs = 0;         // > 0: overrides every trial's epochs
  int workers = 1;        // processes on this machine (without the env)
  int threads = 0;        // per process; 0 = cores / local processes
  bool resume = false;
  bool force = false;
  bool quiet = false;
  double worker_timeout_s = 60;  // a silent process's items are re-run
  std::string token_file;        // the shared secret ("": environment)
  // How to start a local worker: this program's argv.
  std::vector<std::string> argv;
};

// Returns the report rank 0 wrote (other ranks: an empty one).
Status RunSweep(const SweepOptions& options, sweep::SweepReport* report);

}  // namespace tinykws::train
