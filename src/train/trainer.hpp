// kws-train train: the training loop and its run folder.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tinykws/status.hpp"

namespace tinykws::train {

struct TrainOptions {
  std::string config_path;  // ignored when resuming (the run's own is used)
  std::string data_dir;
  // More data folders for training (`--data` given again): added to the
  // config's [data] extra when the run starts.
  std::vector<std::string> extra_data_dirs;
  std::string out_dir;
  std::string cache_dir;  // "" = no feature cache
  // Overrides of the config's [training] values; < 0 = keep.
  int epochs = -1;
  int64_t seed = -1;
  int batch_size = -1;
  double learning_rate = -1.0;
  int threads = 0;  // 0 = all cores
  bool resume = false;
  bool force = false;
  bool quiet = false;
  bool verbose = false;
  bool skip_bad_clips = false;
  // Acts as if interrupted after this many optimizer steps of this session
  // (< 0 = never); how the tests stop a run at a known point.
  int64_t stop_after_steps = -1;
  // Stops (as if interrupted, with a checkpoint) once this many epochs are
  // done, unless that is the last epoch (< 0 = never): how a sweep trains a
  // trial rung by rung with the full run's learning-rate schedule.
  int stop_after_epoch = -1;
  // Ctrl-C writes a checkpoint and returns (interrupted). Off: the default
  // action (a sweep's processes stop at once; finished items are kept).
  bool handle_interrupt = true;
  // Data-parallel when MASTER_ADDR/MASTER_PORT/RANK/WORLD_SIZE are set.
  // Off: one process whatever the environment (a sweep's trials, whose
  // processes use that environment for the sweep).
  bool data_parallel = true;
  // The processes' shared secret (--token-file; "": the environment's).
  std::string token_file;
};

struct TrainResult {
  bool interrupted = false;
  // A data-parallel process other than rank 0: it trained, rank 0 wrote
  // the run folder and measured the testing split.
  bool replica = false;
  double best_val_acc = 0.0;
  double test_acc = 0.0;
  int64_t test_clips = 0;  // 0: the data folder has no testing split
  int best_epoch = 0;
  double train_seconds = 0.0;
};

Status RunTraining(const TrainOptions& options, TrainResult* result);

}  // namespace tinykws::train
