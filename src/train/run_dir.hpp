// A training run's folder: resolved config, metrics.jsonl, checkpoint.pt,
// best.pt, summary.json. Decides whether a run may start, resume or must be
// forced, and writes every file atomically.
#pragma once

#include <string>
#include <vector>

#include "tinykws/status.hpp"

namespace tinykws::train {

struct EpochMetrics {
  int epoch = 0;    // 1-based
  double lr = 0.0;  // learning rate of the epoch's last step
  double train_loss = 0.0, train_acc = 0.0;
  double val_loss = 0.0, val_acc = 0.0;
  double seconds = 0.0;
};

class RunDir {
 public:
  // resume: continue the unfinished run in path. force: start over even if
  // path holds a run (finished or not). Otherwise path must hold no run.
  static StatusOr<RunDir> Open(const std::string& path, bool resume,
                               bool force);

  std::string File(const std::string& name) const { return path_ + "/" + name; }
  bool resuming() const { return resuming_; }

  // metrics.jsonl: the lines of epochs already done (on resume), and the
  // whole file rewritten atomically after each epoch.
  const std::vector<EpochMetrics>& metrics() const { return metrics_; }
  Status AppendMetrics(const EpochMetrics& m);
  // Keeps the first `epochs` entries (a resumed run drops any later line).
  void TruncateMetrics(size_t epochs);

 private:
  std::string path_;
  bool resuming_ = false;
  std::vector<EpochMetrics> metrics_;
};

}  // namespace tinykws::train
