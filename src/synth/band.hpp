// Band-limiting like a cheap microphone: a biquad high-pass and a biquad
// low-pass (RBJ audio-EQ cookbook, Q = 1/sqrt(2), i.e. Butterworth).
#pragma once

#include <vector>

namespace tinykws::synth {

struct Biquad {
  double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;  // a0 normalized to 1
};

Biquad HighPass(double cutoff_hz, double rate);
Biquad LowPass(double cutoff_hz, double rate);

// Filters *signal in place (transposed direct form II, zero state).
void ApplyBiquad(const Biquad& f, std::vector<float>* signal);

// Both filters: high-pass at low_hz, low-pass at high_hz.
void BandLimit(double low_hz, double high_hz, double rate,
               std::vector<float>* signal);

}  // namespace tinykws::synth
