// A sweep's output folder (rank 0): the plan it was started with, each
// item's result and run files as they arrive, and the reports.
//   OUT/plan.json                      trials (configs), seeds, rungs
//   OUT/trials/<id>/seed<k>/           the run (config, metrics, weights,
//                                      model.kws once final)
//   OUT/trials/<id>/seed<k>/e<N>.json  the result after N epochs
//   OUT/sweep.json, sweep.md, sweep.html
//   OUT/work/rank<r>/                  scratch of each process's items
#pragma once

#include <string>
#include <vector>

#include "sweep/plan.hpp"
#include "sweep/work_codec.hpp"
#include "train/sweep_runner.hpp"

namespace tinykws::train {

// Before any work: a new or empty folder, or one holding a sweep with
// --resume (or --force to start over).
Status CheckSweepFolder(const SweepOptions& o);

class SweepFolder {
 public:
  SweepFolder(const SweepOptions& o, const sweep::SweepSpace& space,
              int world_size, int epochs);

  // Writes plan.json, or with --resume checks that the plan is the same.
  Status Open(const std::vector<sweep::PlannedTrial>& trials,
              const std::vector<int64_t>& seeds, const std::vector<int>& rungs);
  // The result of an item finished before (NotFound otherwise).
  StatusOr<sweep::ItemResult> KeptResult(const std::string& id,
                                         const sweep::WorkItem& item) const;
  StatusOr<std::string> RunFiles(const std::string& id, int seed_index) const;
  // Stores an item's run files, then its result (which marks it done).
  Status Keep(const std::string& id, const sweep::WorkItem& item,
              const sweep::ResultMessage& result);
  Status WriteProgress(const sweep::Schedule& schedule,
                       const std::vector<sweep::PlannedTrial>& trials,
                       const std::vector<int64_t>& seeds);
  // Times every finished model on one thread (the workers have stopped),
  // marks the Pareto front and writes the reports.
  Status Finish(const sweep::Schedule& schedule,
                const std::vector<sweep::PlannedTrial>& trials,
                const std::vector<int64_t>& seeds, sweep::SweepReport* report);

 private:
  std::string RunDir(const std::string& id, int seed_index) const;
  sweep::SweepReport Report(const sweep::Schedule& schedule,
                            const std::vector<sweep::PlannedTrial>& trials,
                            const std::vector<int64_t>& seeds) const;
  Status WriteReports(const sweep::SweepReport& report, bool all) const;

  const SweepOptions& o_;
  const sweep::SweepSpace& space_;
  int world_size_;
  int epochs_;
  std::vector<int> rungs_;
  double started_ = 0;
  // Wall time of the runs before a --resume, so reports give the total.
  double earlier_seconds_ = 0;
};

}  // namespace tinykws::train
