#include "train/optimizer.hpp"

#include <cmath>

namespace tinykws::train {

FlatAdam::FlatAdam(torch::nn::Module& module, const TrainingSpec& spec)
    : spec_(spec) {
  std::vector<torch::Tensor> params = module.parameters();
  int64_t total = 0;
  for (const torch::Tensor& p : params) total += p.numel();
  param_ = torch::empty({total});
  grad_ = torch::zeros({total});
  exp_avg_ = torch::zeros({total});
  exp_avg_sq_ = torch::zeros({total});
  denom_ = torch::empty({total});
  torch::NoGradGuard no_grad;
  int64_t offset = 0;
  for (torch::Tensor& p : params) {
    const int64_t n = p.numel();
    torch::Tensor slot = param_.narrow(0, offset, n).view(p.sizes());
    slot.copy_(p);
    p.set_data(slot);
    // Autograd accumulates into an existing .grad in place (grad mode is off
    // during backward), so gradients land in grad_ directly.
    p.mutable_grad() = grad_.narrow(0, offset, n).view(p.sizes());
    offset += n;
  }
  if (spec.weight_average > 0.0f) average_ = param_.clone();
}

void FlatAdam::SwapAverage() {
  if (!average_.defined()) return;
  torch::NoGradGuard no_grad;
  denom_.copy_(param_);  // denom_ is scratch between steps
  param_.copy_(average_);
  average_.copy_(denom_);
}

void FlatAdam::Step(double learning_rate) {
  torch::NoGradGuard no_grad;
  ++steps_;
  const double beta1 = spec_.adam_beta1, beta2 = spec_.adam_beta2;
  if (spec_.weight_decay > 0.0f) {
    param_.mul_(1.0 - learning_rate * spec_.weight_decay);
  }
  exp_avg_.mul_(beta1).add_(grad_, 1.0 - beta1);
  exp_avg_sq_.mul_(beta2).addcmul_(grad_, grad_, 1.0 - beta2);
  const double correction1 = 1.0 - std::pow(beta1, static_cast<double>(steps_));
  const double correction2 = 1.0 - std::pow(beta2, static_cast<double>(steps_));
  torch::sqrt_out(denom_, exp_avg_sq_);
  denom_.div_(std::sqrt(correction2)).add_(spec_.adam_eps);
  param_.addcdiv_(exp_avg_, denom_, -learning_rate / correction1);
  if (average_.defined()) average_.lerp_(param_, 1.0 - spec_.weight_average);
}

}  // namespace tinykws::train
