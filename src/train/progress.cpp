#include "train/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace tinykws::train {

Progress::Progress(bool quiet, int epochs, int64_t steps_per_epoch)
    : quiet_(quiet),
      tty_(isatty(STDERR_FILENO) != 0),
      epochs_(epochs),
      steps_per_epoch_(steps_per_epoch) {}

void Progress::Step(int epoch, int64_t step, double loss, double acc,
                    double clips_per_s, double eta_seconds) {
  if (quiet_ || !tty_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  std::fprintf(stderr,
               "\r\033[Kepoch %d/%d  step %lld/%lld  loss %.4f  acc %.2f%%  "
               "%.0f clips/s  ETA %.0fs",
               epoch, epochs_, static_cast<long long>(step),
               static_cast<long long>(steps_per_epoch_), loss, 100.0 * acc,
               clips_per_s, eta_seconds);
  std::fflush(stderr);
}

void Progress::EndEpoch(const EpochMetrics& m, bool best, double eta_seconds) {
  if (quiet_) return;
  std::fprintf(stderr,
               "%sepoch %d/%d  lr %.3g  train loss %.4f acc %.2f%%  val loss "
               "%.4f acc %.2f%%%s  %.1fs  ETA %.0fs\n",
               tty_ ? "\r\033[K" : "", m.epoch, epochs_, m.lr, m.train_loss,
               100.0 * m.train_acc, m.val_loss, 100.0 * m.val_acc,
               best ? " *" : "", m.seconds, eta_seconds);
}

}  // namespace tinykws::train
