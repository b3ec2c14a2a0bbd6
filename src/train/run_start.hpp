// The start of a run, for one process or the processes of a data-parallel
// run: the config in effect, the checkpoint to continue from, and agreeing
// on the outcome of rank 0's writes.
#pragma once

#include "tinykws/config.hpp"
#include "train/data_parallel.hpp"
#include "train/loop_state.hpp"
#include "train/model.hpp"
#include "train/optimizer.hpp"
#include "train/run_dir.hpp"
#include "train/trainer.hpp"

namespace tinykws::train {

// The run's config: --config with the command's overrides (written to the
// run folder), or on --resume the run's own (equal overrides accepted).
// With dp, rank 0 resolves it and sends it to the others.
Status ResolveRunConfig(const TrainOptions& o, const RunDir& dir,
                        DataParallel* dp, KwsConfig* config);

// The checkpoint to continue from, read by rank 0 and sent to the others.
Status LoadRunCheckpoint(const RunDir& dir, DataParallel* dp, KwsNetImpl& net,
                         FlatAdam& adam, LoopState* st);

// With data parallelism, rank 0's result of writing the run files is every
// process's: they stop together.
Status AgreeOnWrite(DataParallel* dp, const Status& rank0);

}  // namespace tinykws::train
