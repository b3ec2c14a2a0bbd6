#include "synth/speed.hpp"

#include <cmath>
#include <string>

namespace tinykws::synth {

namespace {

constexpr int kRate = 16000;
constexpr int kRateStep = 100;

}  // namespace

void ResampleSignal(Resampler& r, const float* in, size_t n,
                    std::vector<float>* out) {
  r.Reset();
  const double step = static_cast<double>(r.output_rate()) /
                      static_cast<double>(r.input_rate());
  const size_t wanted = static_cast<size_t>(std::llround(n * step));
  // The filter delays the output by a fractional number of samples; a few
  // zeros ahead of the input (each step output samples) bring the total
  // delay near a whole number of samples, which are then dropped.
  const double delay = r.delay_seconds() * r.output_rate();
  size_t lead = 0;
  double best = 1.0;
  for (size_t p = 0; p < 256; ++p) {
    const double d = delay + static_cast<double>(p) * step;
    const double off = std::fabs(d - std::round(d));
    if (off < best - 1e-9) {
      best = off;
      lead = p;
    }
  }
  const size_t skip = static_cast<size_t>(
      std::llround(delay + static_cast<double>(lead) * step));
  out->assign(wanted + skip + 16, 0.0f);
  size_t produced = 0;
  const float zeros[256] = {};
  auto feed = [&](const float* x, size_t count) {
    size_t used = 0;
    while (used < count && produced < out->size()) {
      size_t written = 0;
      used += r.Process(x + used, count - used, out->data() + produced,
                        out->size() - produced, &written);
      produced += written;
    }
  };
  feed(zeros, lead);
  feed(in, n);
  // Flush the filter's tail with silence.
  while (produced < wanted + skip) {
    size_t written = 0;
    r.Process(zeros, 256, out->data() + produced, wanted + skip - produced,
              &written);
    produced += written;
  }
  out->erase(out->begin(), out->begin() + static_cast<std::ptrdiff_t>(skip));
  out->resize(wanted);
}

double SpeedChanger::Quantize(double speed) {
  const long rate = std::lround(kRate * speed / kRateStep) * kRateStep;
  return static_cast<double>(rate) / kRate;
}

Status SpeedChanger::Apply(double speed, std::vector<float>* signal) {
  if (!(speed >= 0.5 && speed <= 2.0)) {
    return InvalidArgument("speed must be in [0.5, 2], got " +
                           std::to_string(speed));
  }
  const int rate = static_cast<int>(std::lround(Quantize(speed) * kRate));
  if (rate == kRate) return Status::Ok();
  StatusOr<Resampler*> r = ResamplerFrom(rate);
  if (!r.ok()) return r.status();
  ResampleSignal(**r, signal->data(), signal->size(), &out_);
  signal->swap(out_);
  return Status::Ok();
}

StatusOr<Resampler*> SpeedChanger::ResamplerFrom(int rate) {
  auto it = resamplers_.find(rate);
  if (it == resamplers_.end()) {
    StatusOr<Resampler> r = Resampler::Create(rate, kRate);
    if (!r.ok()) return r.status();
    it = resamplers_.emplace(rate, std::move(*r)).first;
  }
  return &it->second;
}

Status SpeedChanger::Warm(double lowest, double highest) {
  const long first = std::lround(Quantize(lowest) * kRate);
  const long last = std::lround(Quantize(highest) * kRate);
  for (long rate = first; rate <= last; rate += kRateStep) {
    if (rate == kRate) continue;
    StatusOr<Resampler*> r = ResamplerFrom(static_cast<int>(rate));
    if (!r.ok()) return r.status();
  }
  return Status::Ok();
}

}  // namespace tinykws::synth
