#include "synth/augment.hpp"

#include <cmath>

#include "synth/band.hpp"

namespace tinykws::synth {

AugmentDraws DrawAugmentation(const AugmentConfig& c, bool have_recordings,
                              CounterRng& rng) {
  AugmentDraws d;
  d.speed = rng.Uniform() < c.speed_probability;
  d.speed_factor =
      SpeedChanger::Quantize(rng.Uniform(c.speed_min, c.speed_max));
  if (!d.speed) d.speed_factor = 1.0;
  d.room = rng.Uniform() < c.room_probability;
  d.room_settings.rt60_s = rng.Uniform(c.rt60_min_s, c.rt60_max_s);
  d.room_settings.drr_db = rng.Uniform(c.drr_min_db, c.drr_max_db);
  d.room_settings.predelay_s = rng.Uniform(0.001f, 0.01f);
  d.noise = rng.Uniform() < c.noise_probability;
  d.snr_db = rng.Uniform(c.snr_min_db, c.snr_max_db);
  const bool recording = rng.Uniform() < c.recording_share;
  const NoiseKind procedural[] = {NoiseKind::kWhite, NoiseKind::kPink,
                                  NoiseKind::kBrown};
  d.noise_kind = procedural[rng.Below(3)];
  if (recording && have_recordings) d.noise_kind = NoiseKind::kRecording;
  d.band = rng.Uniform() < c.band_probability;
  d.highpass_hz = rng.Uniform(c.highpass_min_hz, c.highpass_max_hz);
  d.lowpass_hz = rng.Uniform(c.lowpass_min_hz, c.lowpass_max_hz);
  const bool gain = rng.Uniform() < c.gain_probability;
  d.gain_db = rng.Uniform(c.gain_min_db, c.gain_max_db);
  if (!gain) d.gain_db = 0.0f;
  return d;
}

AugmentDraws NoAugmentation() { return AugmentDraws{}; }

Status Augmenter::ApplySpeed(const AugmentDraws& draws, Utterance* utterance) {
  if (!draws.speed || draws.speed_factor == 1.0) return Status::Ok();
  TINYKWS_RETURN_IF_ERROR(
      speed_.Apply(draws.speed_factor, &utterance->samples));
  for (WordSpan& w : utterance->words) {
    w.begin_s /= draws.speed_factor;
    w.end_s /= draws.speed_factor;
  }
  return Status::Ok();
}

Status Augmenter::Warm(const AugmentConfig& config, size_t signal_length) {
  TINYKWS_RETURN_IF_ERROR(speed_.Warm(config.speed_min, config.speed_max));
  convolver_.Warm(signal_length,
                  static_cast<size_t>(config.rt60_max_s * kSampleRate));
  return Status::Ok();
}

void Augmenter::ApplyAcoustics(const AugmentDraws& draws, CounterRng& rng,
                               std::vector<float>* signal) {
  if (draws.room) {
    const std::vector<float> impulse =
        MakeRoomImpulse(draws.room_settings, kSampleRate, rng);
    ApplyRoom(impulse, convolver_, signal);
  }
  if (draws.noise) {
    MakeNoise(draws.noise_kind, bank_, signal->size(), rng, &noise_);
    AddNoiseAtSnr(noise_, draws.snr_db, signal);
  }
  if (draws.band) {
    BandLimit(draws.highpass_hz, draws.lowpass_hz, kSampleRate, signal);
  }
}

void ToPcm16(const std::vector<float>& signal, float gain_db,
             std::vector<int16_t>* pcm) {
  const float gain = std::pow(10.0f, gain_db / 20.0f);
  pcm->resize(signal.size());
  for (size_t i = 0; i < signal.size(); ++i) {
    float v = std::nearbyint(signal[i] * gain);
    if (!std::isfinite(v)) v = 0.0f;
    (*pcm)[i] = static_cast<int16_t>(
        v > 32767.0f ? 32767.0f : (v < -32768.0f ? -32768.0f : v));
  }
}

}  // namespace tinykws::synth
