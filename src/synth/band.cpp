#include "synth/band.hpp"

#include <cmath>

namespace tinykws::synth {

namespace {

constexpr double kQ = 0.70710678118654752;

Biquad Normalize(double b0, double b1, double b2, double a0, double a1,
                 double a2) {
  return Biquad{b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0};
}

}  // namespace

Biquad HighPass(double cutoff_hz, double rate) {
  const double w = 2.0 * M_PI * cutoff_hz / rate;
  const double alpha = std::sin(w) / (2.0 * kQ);
  const double c = std::cos(w);
  return Normalize((1.0 + c) / 2.0, -(1.0 + c), (1.0 + c) / 2.0, 1.0 + alpha,
                   -2.0 * c, 1.0 - alpha);
}

Biquad LowPass(double cutoff_hz, double rate) {
  const double w = 2.0 * M_PI * cutoff_hz / rate;
  const double alpha = std::sin(w) / (2.0 * kQ);
  const double c = std::cos(w);
  return Normalize((1.0 - c) / 2.0, 1.0 - c, (1.0 - c) / 2.0, 1.0 + alpha,
                   -2.0 * c, 1.0 - alpha);
}

void ApplyBiquad(const Biquad& f, std::vector<float>* signal) {
  double s1 = 0.0, s2 = 0.0;
  for (float& x : *signal) {
    const double in = x;
    const double out = f.b0 * in + s1;
    s1 = f.b1 * in - f.a1 * out + s2;
    s2 = f.b2 * in - f.a2 * out;
    x = static_cast<float>(out);
  }
}

void BandLimit(double low_hz, double high_hz, double rate,
               std::vector<float>* signal) {
  ApplyBiquad(HighPass(low_hz, rate), signal);
  ApplyBiquad(LowPass(high_hz, rate), signal);
}

}  // namespace tinykws::synth
