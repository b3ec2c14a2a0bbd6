#include "synth/room.hpp"

#include <cmath>

#include "synth/speaker.hpp"

namespace tinykws::synth {

namespace {

// Zero-mean, unit-variance uniform noise: as good as Gaussian for noise
// and a reverberant tail, and 10x cheaper than Box-Muller.
float UnitNoise(CounterRng& rng) {
  return (rng.Uniform() * 2.0f - 1.0f) * 1.7320508f;
}

}  // namespace

std::vector<float> MakeRoomImpulse(const RoomSettings& room, int rate,
                                   CounterRng& rng) {
  const size_t length =
      std::max<size_t>(2, static_cast<size_t>(room.rt60_s * rate));
  const size_t predelay = std::min(
      length - 1,
      std::max<size_t>(1, static_cast<size_t>(room.predelay_s * rate)));
  std::vector<float> h(length, 0.0f);
  h[0] = 1.0f;
  // Amplitude falls 60 dB (a factor 1000) over rt60: exp(-ln(1000) t/rt60).
  const double decay = std::log(1000.0) / (room.rt60_s * rate);
  const double step = std::exp(-decay);
  double envelope = std::exp(-decay * static_cast<double>(predelay));
  double energy = 0.0;
  for (size_t i = predelay; i < length; ++i) {
    h[i] = UnitNoise(rng) * static_cast<float>(envelope);
    envelope *= step;
    energy += static_cast<double>(h[i]) * h[i];
  }
  if (energy > 0.0) {
    const double target = std::pow(10.0, -room.drr_db / 10.0);
    const float scale = static_cast<float>(std::sqrt(target / energy));
    for (size_t i = predelay; i < length; ++i) h[i] *= scale;
  }
  return h;
}

void ApplyRoom(const std::vector<float>& impulse, FftConvolver& convolver,
               std::vector<float>* signal) {
  convolver.Convolve(impulse, signal);
  SetSpeechLevel(signal);
}

}  // namespace tinykws::synth
