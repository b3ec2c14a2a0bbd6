// tinykws::Resampler: the C99 core's rate converter (src/micro/resampler.c,
// which designs the filter and does the arithmetic) in a heap arena, with
// float samples and a 1024-sample input block. The micro API wraps the
// same core, so the two convert bit for bit alike.
#include "tinykws/resampler.hpp"

#include <cstdint>
#include <new>
#include <string>
#include <vector>

#include "micro/resampler_core.h"

namespace tinykws {

namespace {

constexpr size_t kBlock = 1024;  // input samples buffered per refill

}  // namespace

struct Resampler::Impl {
  std::vector<uint64_t> arena;  // 8-byte aligned, as the core requires
  kws_micro_resampler* core = nullptr;
};

StatusOr<Resampler> Resampler::Create(int input_rate, int output_rate) {
  kws_resampler_plan plan;
  switch (kws_resampler_plan_for(input_rate, output_rate, kBlock, &plan)) {
    case KWS_RESAMPLER_PLAN_OK:
      break;
    case KWS_RESAMPLER_BAD_RATE:
      return InvalidArgument(
          "resampler: rate " + std::to_string(plan.bad_rate) +
          " Hz is outside [" + std::to_string(KWS_RESAMPLER_MIN_RATE) + ", " +
          std::to_string(KWS_RESAMPLER_MAX_RATE) + "]");
    case KWS_RESAMPLER_BAD_RATIO:
      return InvalidArgument("resampler: " + std::to_string(input_rate) +
                             " -> " + std::to_string(output_rate) +
                             " Hz is the ratio " + std::to_string(plan.up) +
                             "/" + std::to_string(plan.down) +
                             ", whose terms exceed " +
                             std::to_string(KWS_RESAMPLER_MAX_RATIO_TERM));
    case KWS_RESAMPLER_TOO_LONG:
    default:
      return InvalidArgument("resampler: " + std::to_string(input_rate) +
                             " -> " + std::to_string(output_rate) +
                             " Hz needs " + std::to_string(plan.coefficients) +
                             " coefficients, more than the limit of " +
                             std::to_string(KWS_RESAMPLER_MAX_COEFFICIENTS));
  }
  std::unique_ptr<Impl> impl;
  try {
    impl = std::make_unique<Impl>();
    impl->arena.resize((plan.arena_bytes + sizeof(uint64_t) - 1) /
                       sizeof(uint64_t));
  } catch (const std::bad_alloc&) {
    return OutOfRange("resampler: out of memory");
  }
  impl->core = kws_resampler_init(&plan, impl->arena.data());
  return Resampler(std::move(impl));
}

Resampler::Resampler(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Resampler::Resampler(Resampler&&) noexcept = default;
Resampler& Resampler::operator=(Resampler&&) noexcept = default;
Resampler::~Resampler() = default;

size_t Resampler::Process(const float* in, size_t num_in, float* out,
                          size_t out_capacity, size_t* written) {
  if (written != nullptr) *written = 0;
  if (impl_ == nullptr) return 0;  // moved from
  return kws_resampler_process(impl_->core, in, nullptr, num_in, out, nullptr,
                               out_capacity, written);
}

// A moved-from resampler does nothing and reports zeros.
void Resampler::Reset() {
  if (impl_ != nullptr) kws_micro_resampler_reset(impl_->core);
}
int Resampler::input_rate() const {
  return impl_ ? kws_resampler_input_rate(impl_->core) : 0;
}
int Resampler::output_rate() const {
  return impl_ ? kws_resampler_output_rate(impl_->core) : 0;
}
int Resampler::taps_per_output() const {
  return impl_ ? kws_resampler_taps(impl_->core) : 0;
}
double Resampler::delay_seconds() const {
  return impl_ ? kws_resampler_delay_seconds(impl_->core) : 0.0;
}
size_t Resampler::memory_bytes() const {
  return impl_ ? impl_->arena.size() * sizeof(uint64_t) : 0;
}

}  // namespace tinykws
