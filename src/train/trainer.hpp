// kws-train train: the training loop and its run folder.
#pragma once

#include <cstdint>
#include <string>

#include "tinykws/status.hpp"

namespace tinykws::train {

struct TrainOptions {
  std::string config_path;  // ignored when resuming (the run's own is used)
  std::string data_dir;
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
};

struct TrainResult {
  bool interrupted = false;
  double best_val_acc = 0.0;
  double test_acc = 0.0;
  int best_epoch = 0;
  double train_seconds = 0.0;
};

Status RunTraining(const TrainOptions& options, TrainResult* result);

}  // namespace tinykws::train
