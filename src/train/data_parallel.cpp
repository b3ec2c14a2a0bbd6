#include "train/data_parallel.hpp"

#include <algorithm>
#include <chrono>

namespace tinykws::train {

StatusOr<std::unique_ptr<DataParallel>> DataParallel::FromEnvironment(
    const std::string& token_file) {
  StatusOr<ClusterEnv> env = ClusterFromEnvironment(token_file);
  if (!env.ok()) return env.status();
  if (env->world_size == 1) return std::unique_ptr<DataParallel>();
  // Long enough for the slowest process to prepare its data.
  const std::chrono::milliseconds timeout = std::chrono::minutes(10);
  std::unique_ptr<DataParallel> dp(new DataParallel);
  StatusOr<std::unique_ptr<Store>> store = Store::Connect(*env, timeout);
  if (!store.ok()) return store.status();
  dp->store_ = std::move(*store);
  StatusOr<std::unique_ptr<ProcessGroup>> group =
      ProcessGroup::Create(*dp->store_, *env, timeout);
  if (!group.ok()) return group.status();
  dp->group_ = std::move(*group);
  return dp;
}

Status DataParallel::Agree(const Status& rank0) {
  std::string message = rank0.ok() ? "" : rank0.message();
  double code = static_cast<double>(rank0.code());
  if (rank() != 0) code = 0;
  TINYKWS_RETURN_IF_ERROR(group_->AllReduceSum(&code, 1));
  TINYKWS_RETURN_IF_ERROR(group_->Broadcast(&message, 0));
  if (code == 0) return Status::Ok();
  return Status(static_cast<StatusCode>(static_cast<int>(code)),
                rank() == 0 ? message : "rank 0: " + message);
}

Status DataParallel::Share(std::string* bytes) {
  return group_->Broadcast(bytes, 0);
}

Status DataParallel::SumStep(torch::Tensor& flat_grad, double* values,
                             size_t count) {
  const size_t n = static_cast<size_t>(flat_grad.numel());
  step_buffer_.resize(n + count);
  float* grad = flat_grad.data_ptr<float>();
  std::copy(grad, grad + n, step_buffer_.begin());
  // The numbers are small (a batch's loss sum, counts): exact enough in
  // float32 for metrics.
  for (size_t i = 0; i < count; ++i) {
    step_buffer_[n + i] = static_cast<float>(values[i]);
  }
  TINYKWS_RETURN_IF_ERROR(
      group_->AllReduceSum(step_buffer_.data(), step_buffer_.size()));
  std::copy(step_buffer_.begin(), step_buffer_.begin() + n, grad);
  for (size_t i = 0; i < count; ++i) values[i] = step_buffer_[n + i];
  return Status::Ok();
}

Status DataParallel::Sum(double* values, size_t count) {
  return group_->AllReduceSum(values, count);
}

Status DataParallel::AverageBuffers(torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  for (torch::Tensor& b : module.buffers()) {
    if (b.scalar_type() != torch::kFloat32) continue;  // batch counters
    torch::Tensor t = b.contiguous();
    TINYKWS_RETURN_IF_ERROR(group_->AllReduceSum(
        t.data_ptr<float>(), static_cast<size_t>(t.numel())));
    b.copy_(t / static_cast<float>(world_size()));
  }
  return Status::Ok();
}

}  // namespace tinykws::train
