// Plain records of a training run's progress (no LibTorch).
#pragma once

#include <cstdint>

namespace tinykws::train {

// Where the loop stands; with the model and optimizer this is everything a
// resumed run needs (all randomness is keyed by seed, epoch and step).
struct LoopState {
  int64_t epoch = 0;            // epoch in progress (0-based)
  int64_t batch = 0;            // next batch within it
  int64_t global_step = 0;      // optimizer steps taken
  double epoch_loss_sum = 0.0;  // sum over seen clips, this epoch so far
  int64_t epoch_correct = 0;
  int64_t epoch_seen = 0;
  double epoch_seconds = 0.0;
  double best_val_acc = -1.0;
  double best_val_loss = 0.0;
  int64_t best_epoch = -1;     // 1-based epoch of best.pt, -1 = none yet
  double total_seconds = 0.0;  // training time of all sessions so far
};

struct Evaluation {
  double loss = 0.0;  // mean cross-entropy (no label smoothing)
  double accuracy = 0.0;
  int64_t clips = 0;
};

}  // namespace tinykws::train
