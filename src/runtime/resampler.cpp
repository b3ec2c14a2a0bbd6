// Polyphase windowed-sinc resampling. The rate ratio reduces to L / M; the
// prototype low-pass runs at L x the input rate, and output k needs only the
// K taps of phase (k M mod L) against the K newest inputs up to floor(k M /
// L). Quality against libsamplerate: docs/benchmarks.md.
#include "tinykws/resampler.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>
#include <numeric>
#include <string>
#include <vector>

namespace tinykws {

namespace {

constexpr int kMinRate = 1000;
constexpr int kMaxRate = 384000;
constexpr int kMaxRatioTerm = 1024;
constexpr size_t kMaxCoefficients = size_t{1} << 20;
constexpr size_t kBlock = 1024;  // input samples buffered per refill
constexpr double kAttenuationDb = 80.0;
constexpr double kPassbandEdge = 0.45;  // of the lower rate
constexpr double kStopbandEdge = 0.55;

double BesselI0(double x) {  // power series; converges fast for x < 30
  double sum = 1.0, term = 1.0;
  for (int k = 1; k < 200 && term > 1e-17 * sum; ++k) {
    term *= (x / (2.0 * k)) * (x / (2.0 * k));
    sum += term;
  }
  return sum;
}

}  // namespace

struct Resampler::Impl {
  int input_rate = 0, output_rate = 0;
  int64_t up = 1, down = 1;  // L, M
  int taps = 0;              // K
  // Phase p's taps, oldest input first: y = sum_j coeffs[p K + j] *
  // buffer[i - K + 1 + j].
  std::vector<float> coeffs;
  std::vector<float> buffer;  // K - 1 samples of history, then new ones
  size_t filled = 0;
  int64_t position = 0;  // next output's time in 1 / (L input rate) units
  double delay_seconds = 0.0;

  void Reset() {
    std::fill(buffer.begin(), buffer.end(), 0.0f);
    filled = static_cast<size_t>(taps - 1);
    position = static_cast<int64_t>(taps - 1) * up;
  }
};

StatusOr<Resampler> Resampler::Create(int input_rate, int output_rate) {
  for (int rate : {input_rate, output_rate}) {
    if (rate < kMinRate || rate > kMaxRate) {
      return InvalidArgument("resampler: rate " + std::to_string(rate) +
                             " Hz is outside [" + std::to_string(kMinRate) +
                             ", " + std::to_string(kMaxRate) + "]");
    }
  }
  const int g = std::gcd(input_rate, output_rate);
  auto impl = std::make_unique<Impl>();
  impl->input_rate = input_rate;
  impl->output_rate = output_rate;
  impl->up = output_rate / g;
  impl->down = input_rate / g;
  if (impl->up > kMaxRatioTerm || impl->down > kMaxRatioTerm) {
    return InvalidArgument(
        "resampler: " + std::to_string(input_rate) + " -> " +
        std::to_string(output_rate) + " Hz is the ratio " +
        std::to_string(impl->up) + "/" + std::to_string(impl->down) +
        ", whose terms exceed " + std::to_string(kMaxRatioTerm));
  }
  // Kaiser design at the upsampled rate: the transition band spans
  // [0.45, 0.55] of the lower rate, so aliases of it land above 0.45.
  const double lower = std::min(input_rate, output_rate);
  const double upsampled = static_cast<double>(input_rate) * impl->up;
  const double cutoff = 0.5 * (kPassbandEdge + kStopbandEdge) * lower;
  const double width = 2.0 * M_PI * (kStopbandEdge - kPassbandEdge) * lower /
                       upsampled;  // radians per upsampled sample
  const double beta = 0.1102 * (kAttenuationDb - 8.7);
  const double length = (kAttenuationDb - 8.0) / (2.285 * width) + 1.0;
  impl->taps = static_cast<int>(std::ceil(length / impl->up));
  const size_t total = static_cast<size_t>(impl->taps) * impl->up;
  if (total > kMaxCoefficients) {
    return InvalidArgument("resampler: " + std::to_string(input_rate) + " -> " +
                           std::to_string(output_rate) + " Hz needs " +
                           std::to_string(total) +
                           " coefficients, more than the limit of " +
                           std::to_string(kMaxCoefficients));
  }
  const double center = 0.5 * static_cast<double>(total - 1);
  const double norm = 2.0 * cutoff / upsampled;
  const double i0_beta = BesselI0(beta);
  try {
    impl->coeffs.resize(total);
    impl->buffer.resize(static_cast<size_t>(impl->taps - 1) + kBlock);
  } catch (const std::bad_alloc&) {
    return OutOfRange("resampler: out of memory");
  }
  for (size_t j = 0; j < total; ++j) {
    const double t = static_cast<double>(j) - center;
    const double x = M_PI * norm * t;
    const double sinc = t == 0.0 ? 1.0 : std::sin(x) / x;
    const double r = t / center;
    const double window =
        BesselI0(beta * std::sqrt(std::max(0.0, 1.0 - r * r))) / i0_beta;
    // Prototype tap j belongs to phase j mod L, input lag j / L; stored
    // per phase with the oldest input (largest lag) first.
    const size_t phase = j % impl->up, lag = j / impl->up;
    impl->coeffs[phase * impl->taps + (impl->taps - 1 - lag)] =
        static_cast<float>(impl->up * norm * sinc * window);
  }
  impl->delay_seconds = center / upsampled;
  impl->Reset();
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
  Impl& r = *impl_;
  const size_t history = static_cast<size_t>(r.taps - 1);
  size_t consumed = 0, produced = 0;
  if (in == nullptr) num_in = 0;
  if (out == nullptr) out_capacity = 0;
  while (true) {
    while (produced < out_capacity) {
      const size_t newest = static_cast<size_t>(r.position / r.up);
      if (newest >= r.filled) break;
      const float* taps = r.coeffs.data() + (r.position % r.up) * r.taps;
      const float* x = r.buffer.data() + newest - history;
      float sum = 0.0f;
      for (int j = 0; j < r.taps; ++j) sum += taps[j] * x[j];
      out[produced++] = sum;
      r.position += r.down;
    }
    if (produced == out_capacity || consumed == num_in) break;
    if (r.filled == r.buffer.size()) {  // keep only the history still needed
      const size_t drop = r.filled - history;
      std::memmove(r.buffer.data(), r.buffer.data() + drop,
                   history * sizeof(float));
      r.filled = history;
      r.position -= static_cast<int64_t>(drop) * r.up;
    }
    const size_t take = std::min(num_in - consumed, r.buffer.size() - r.filled);
    std::memcpy(r.buffer.data() + r.filled, in + consumed,
                take * sizeof(float));
    r.filled += take;
    consumed += take;
  }
  if (written != nullptr) *written = produced;
  return consumed;
}

// A moved-from resampler does nothing and reports zeros.
void Resampler::Reset() {
  if (impl_ != nullptr) impl_->Reset();
}
int Resampler::input_rate() const { return impl_ ? impl_->input_rate : 0; }
int Resampler::output_rate() const { return impl_ ? impl_->output_rate : 0; }
int Resampler::taps_per_output() const { return impl_ ? impl_->taps : 0; }
double Resampler::delay_seconds() const {
  return impl_ ? impl_->delay_seconds : 0.0;
}
size_t Resampler::memory_bytes() const {
  return impl_ ? (impl_->coeffs.size() + impl_->buffer.size()) * sizeof(float)
               : 0;
}

}  // namespace tinykws
