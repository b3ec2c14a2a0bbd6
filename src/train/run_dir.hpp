// A training run's folder: resolved config, metrics.jsonl, checkpoint.pt,
// best.pt, summary.json. Decides whether a run may start, resume or must be
// forced, and writes every file atomically.
#pragma once

#include <string>
#include <vector>

#include "common/folder_lock.hpp"
#include "tinykws/status.hpp"

namespace tinykws::train {

struct EpochMetrics {
  int epoch = 0;    // 1-based
  double lr = 0.0;  // learning rate of the epoch's last step
  double train_loss = 0.0, train_acc = 0.0;
  double val_loss = 0.0, val_acc = 0.0;
  double seconds = 0.0;
};

// A run's metrics.jsonl (path), one entry per finished epoch; none when the
// file does not exist.
StatusOr<std::vector<EpochMetrics>> ReadMetrics(const std::string& path);

class RunDir {
 public:
  // resume: continue the unfinished run in path (from the start if it was
  // killed before its first checkpoint). force: start over even if
  // path holds a run (finished or not), or other files (kept, but a
  // config.toml there is replaced). Otherwise path must be new, empty, or
  // hold a run. Temporary files a killed run left behind are removed. The
  // folder is locked (common/folder_lock.hpp) until the RunDir is gone: a
  // second run into it is refused, naming the first one's pid.
  static StatusOr<RunDir> Open(const std::string& path, bool resume,
                               bool force);

  // A process of a data-parallel run other than rank 0: no folder (rank 0
  // writes it), nothing to resume from (rank 0 sends the checkpoint).
  static RunDir Replica() { return RunDir(); }

  // After a failure before the first checkpoint: removes what this run
  // wrote, and the folder if Open created it (an empty folder would look
  // like a run that started).
  void Abandon();

  std::string File(const std::string& name) const { return path_ + "/" + name; }
  // resuming: the run's config.toml is used (not --config);
  // has_checkpoint: training continues from checkpoint.pt (a run killed
  // before its first one resumes from the start).
  bool resuming() const { return resuming_; }
  bool has_checkpoint() const { return has_checkpoint_; }

  // metrics.jsonl: the lines of epochs already done (on resume), and the
  // whole file rewritten atomically after each epoch.
  const std::vector<EpochMetrics>& metrics() const { return metrics_; }
  Status AppendMetrics(const EpochMetrics& m);
  // Keeps the first `epochs` entries (a resumed run drops any later line).
  void TruncateMetrics(size_t epochs);

 private:
  static StatusOr<RunDir> OpenLocked(const std::string& path, bool resume,
                                     bool force, bool existed);
  std::string path_;
  FolderLock lock_;
  bool resuming_ = false;
  bool has_checkpoint_ = false;
  bool created_ = false;
  std::vector<EpochMetrics> metrics_;
};

}  // namespace tinykws::train
