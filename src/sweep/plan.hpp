// Which trials a sweep runs, and in what steps: the trial list (grid or
// seeded random sample of the space, plus marks), the rungs of successive
// halving, and the schedule that hands out work items (one trial, one
// training seed, up to a rung's epochs) and decides from their results which
// trials go on. Everything here is deterministic: the same space and the
// same item results give the same decisions, whatever ran the items and in
// which order they finished.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sweep/space.hpp"
#include "sweep/sweep_result.hpp"

namespace tinykws::sweep {

struct PlannedTrial {
  std::string id;  // "t000" or a mark's name
  bool mark = false;
  std::string mark_config;   // the mark's path as written
  std::vector<int> choice;   // one index per dimension (empty for marks)
  std::string config_toml;   // resolved config; "" when it is invalid
  int epochs = 0;            // its training length (marks may differ)
  std::string config_error;  // why the combination is not a valid config
  std::vector<std::pair<std::string, nlohmann::json>> overrides;
};

// Marks first, then the space's trials: grid = every combination (an error
// when there are more than max_trials > 0), random = max_trials (or the
// space's `trials`) distinct combinations drawn with the space's seed, in
// enumeration order. epochs > 0 overrides every trial's epochs.
StatusOr<std::vector<PlannedTrial>> PlanTrials(const SweepSpace& space,
                                               int max_trials, int epochs);

// Epochs at which halving compares trials, ending with `epochs`:
// min_epochs, min_epochs * eta, ... (min_epochs 0: epochs / eta^2).
// Without halving: {epochs}.
std::vector<int> Rungs(int epochs, int min_epochs, int eta, bool halving);

struct WorkItem {
  int trial = 0;       // index into the planned trials
  int seed_index = 0;  // 0 .. seeds - 1
  int epochs = 0;      // train up to this epoch ...
  bool final = false;  // ... which ends the run: then export and measure
};

struct ItemResult {
  bool ok = false;
  std::string error;
  double best_val_fp32 = kNaN;  // best validation accuracy so far (fp32)
  // final items only: the int8 model through the runtime
  double val_int8 = kNaN, test_int8 = kNaN;
  int64_t model_bytes = 0, macs = 0, parameters = 0;
  double train_seconds = 0;
  int rank = -1;
};

class Schedule {
 public:
  // trials[i].mark: trained to the end without being compared; a trial with
  // a config_error fails at once.
  Schedule(const std::vector<PlannedTrial>& trials, int seeds,
           std::vector<int> rungs, int eta);

  // Items that may run now and were not handed out before.
  std::vector<WorkItem> TakeReady();
  // Records an item's result; may make the next rung's items ready.
  void Complete(const WorkItem& item, const ItemResult& result);
  bool Finished() const;
  // Per trial (trial order): status, accuracies and sizes so far.
  std::vector<TrialResult> Results(const std::vector<PlannedTrial>& trials,
                                   const std::vector<int64_t>& seeds) const;
  const std::vector<int>& rungs() const { return rungs_; }

 private:
  struct TrialState {
    bool mark = false;
    std::string status = "pending";
    std::string error;
    int epochs = 0;  // the whole run
    int rung = 0;    // index of the rung being trained
    int epochs_done = 0;
    std::vector<ItemResult> seeds;  // latest result per seed
    std::vector<bool> done;         // per seed, for the current rung
  };
  int RungEpochs(const TrialState& st, int rung) const;
  void Enqueue(int trial, int rung);
  void MaybeCloseRung();

  int seeds_;
  std::vector<int> rungs_;
  int eta_;
  std::vector<TrialState> state_;
  std::vector<WorkItem> ready_;
  int open_rung_ = 0;  // the rung the compared trials are in
};

}  // namespace tinykws::sweep
