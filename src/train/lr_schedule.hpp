// Learning rate per optimizer step, from the [training] section.
#pragma once

#include <cmath>
#include <cstdint>

#include "tinykws/config.hpp"

namespace tinykws::train {

// step in [0, total_steps): optional linear warm-up from 0, then linear or
// cosine decay from learning_rate at the first step after warm-up to
// final_learning_rate at the last step.
inline double LearningRate(const TrainingSpec& t, int64_t step,
                           int64_t total_steps, int64_t steps_per_epoch) {
  const int64_t warmup =
      static_cast<int64_t>(std::llround(t.warmup_epochs * steps_per_epoch));
  if (step < warmup) return t.learning_rate * (step + 1.0) / warmup;
  const int64_t span = total_steps - warmup - 1;
  const double progress =
      span > 0 ? static_cast<double>(step - warmup) / span : 1.0;
  const double lo = t.final_learning_rate, hi = t.learning_rate;
  if (t.lr_schedule == "cosine") {
    return lo + 0.5 * (hi - lo) * (1.0 + std::cos(M_PI * progress));
  }
  return hi + (lo - hi) * progress;
}

}  // namespace tinykws::train
