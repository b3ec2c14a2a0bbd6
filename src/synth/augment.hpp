// Per-clip augmentation: speed (resampling), a synthetic room, background
// noise at a drawn SNR, band-limiting like a cheap microphone, and gain
// with int16 saturation. Each stage runs with its own probability; every
// draw comes from the clip's seed, so a clip is reproducible on its own.
#pragma once

#include <cstdint>
#include <vector>

#include "synth/fft_convolver.hpp"
#include "synth/noise.hpp"
#include "synth/room.hpp"
#include "synth/speaker.hpp"
#include "synth/speed.hpp"
#include "tinykws/status.hpp"

namespace tinykws::synth {

struct AugmentConfig {
  float speed_probability = 0.5f;
  float speed_min = 0.9f, speed_max = 1.1f;
  float room_probability = 0.5f;
  float rt60_min_s = 0.1f, rt60_max_s = 0.7f;
  float drr_min_db = 0.0f, drr_max_db = 12.0f;
  float noise_probability = 0.8f;
  float snr_min_db = 5.0f, snr_max_db = 30.0f;
  float recording_share = 0.5f;  // of noisy clips, when --noise is given
  float band_probability = 0.5f;
  float highpass_min_hz = 80.0f, highpass_max_hz = 300.0f;
  float lowpass_min_hz = 3400.0f, lowpass_max_hz = 7500.0f;
  float gain_probability = 1.0f;
  float gain_min_db = -12.0f, gain_max_db = 6.0f;
};

struct AugmentDraws {
  bool speed = false;
  double speed_factor = 1.0;  // quantized (SpeedChanger::Quantize)
  bool room = false;
  RoomSettings room_settings;
  bool noise = false;
  NoiseKind noise_kind = NoiseKind::kWhite;
  float snr_db = 0.0f;
  bool band = false;
  float highpass_hz = 0.0f, lowpass_hz = 0.0f;
  float gain_db = 0.0f;
};

// Draws every stage's values from rng, always the same number of draws in
// the same order (a stage that does not run still consumes its draws).
AugmentDraws DrawAugmentation(const AugmentConfig& config, bool have_recordings,
                              CounterRng& rng);

// The draws of a clip that is not augmented (all stages off, 0 dB).
AugmentDraws NoAugmentation();

class Augmenter {
 public:
  explicit Augmenter(const NoiseBank* bank) : bank_(bank) {}

  // Speed, on the whole utterance before it is cut (spans rescaled).
  Status ApplySpeed(const AugmentDraws& draws, Utterance* utterance);

  // Makes the speed resamplers and the room's FFT plans for signals of
  // signal_length samples now (before workers fork: they then share them).
  Status Warm(const AugmentConfig& config, size_t signal_length);

  // Room, noise and band-limiting, in that order, on a clip or segment.
  // rng gives the impulse response's and the noise's samples.
  void ApplyAcoustics(const AugmentDraws& draws, CounterRng& rng,
                      std::vector<float>* signal);

 private:
  const NoiseBank* bank_;
  SpeedChanger speed_;
  FftConvolver convolver_;
  std::vector<float> noise_;
};

// Applies gain_db, rounds and saturates to int16.
void ToPcm16(const std::vector<float>& signal, float gain_db,
             std::vector<int16_t>* pcm);

}  // namespace tinykws::synth
