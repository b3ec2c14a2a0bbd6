// Adam over one flat buffer. The module's parameters (and their gradients)
// are re-homed as views into two contiguous tensors, so one optimizer step
// is a handful of tensor ops instead of several per parameter - on tiny
// networks with batch 10, per-op overhead dominates the step time.
// Same arithmetic as torch::optim::Adam (and AdamW when weight_decay > 0).
#pragma once

#include <torch/torch.h>

#include "tinykws/config.hpp"

namespace tinykws::train {

class FlatAdam {
 public:
  FlatAdam(torch::nn::Module& module, const TrainingSpec& spec);

  void ZeroGrad() { grad_.zero_(); }
  // One Adam step, then the weight average (if on) moves towards the new
  // weights.
  void Step(double learning_rate);

  // Exchanges the live weights and their average (a no-op when averaging is
  // off): evaluate and save the average between two swaps.
  void SwapAverage();
  bool averaging() const { return average_.defined(); }
  torch::Tensor& average() { return average_; }
  // The flat gradient buffer (what data-parallel training sums).
  torch::Tensor& grad() { return grad_; }

  int64_t steps() const { return steps_; }
  // State for checkpoints: first and second moments and the step count.
  torch::Tensor& exp_avg() { return exp_avg_; }
  torch::Tensor& exp_avg_sq() { return exp_avg_sq_; }
  void set_steps(int64_t steps) { steps_ = steps; }

 private:
  TrainingSpec spec_;
  torch::Tensor param_, grad_, exp_avg_, exp_avg_sq_, denom_, average_;
  int64_t steps_ = 0;
};

}  // namespace tinykws::train
