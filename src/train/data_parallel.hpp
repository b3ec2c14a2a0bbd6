// Data-parallel training over several processes (docs/sweep.md, "Data-parallel
// training"): every process holds the same weights and optimizer state; each
// step, each takes its share of the global batch (batch_size rows per process,
// in the order one process with batch_size x processes would use), and their
// gradients are summed with Gloo's allreduce, so the step is the one of a
// single process with the combined batch (up to float rounding). Batch-norm
// statistics are per process within a step (as in PyTorch's DDP) and their
// running averages are averaged at the end of each epoch. Rank 0 owns the
// run folder.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "tinykws/status.hpp"
#include "train/cluster.hpp"

namespace tinykws::train {

class DataParallel {
 public:
  // nullptr without the multi-process environment (or WORLD_SIZE=1).
  // `token_file`: --token-file ("": TINYKWS_TOKEN_FILE / TINYKWS_TOKEN).
  static StatusOr<std::unique_ptr<DataParallel>> FromEnvironment(
      const std::string& token_file = "");

  int rank() const { return group_->rank(); }
  int world_size() const { return group_->world_size(); }

  // Rank 0's status everywhere: a failure on rank 0 (say, its run folder)
  // stops every process with the same message.
  Status Agree(const Status& rank0);
  // Rank 0's bytes everywhere.
  Status Share(std::string* bytes);
  // Sums (in place) across processes: a step's gradients and its numbers
  // (loss sum, counts, flags) in one allreduce, which on small models costs
  // more than the arithmetic.
  Status SumStep(torch::Tensor& flat_grad, double* values, size_t count);
  Status Sum(double* values, size_t count);
  // Batch-norm running statistics: the mean over processes.
  Status AverageBuffers(torch::nn::Module& module);

 private:
  DataParallel() = default;
  std::unique_ptr<Store> store_;
  std::unique_ptr<ProcessGroup> group_;
  std::vector<float> step_buffer_;
};

}  // namespace tinykws::train
