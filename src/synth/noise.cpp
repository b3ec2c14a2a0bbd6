#include "synth/noise.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "synth/speaker.hpp"
#include "tinykws/audio.hpp"
#include "tinykws/dataset.hpp"

namespace tinykws::synth {

namespace {

// Zero-mean, unit-variance uniform noise: as good as Gaussian for noise
// and a reverberant tail, and 10x cheaper than Box-Muller.
float UnitNoise(CounterRng& rng) {
  return (rng.Uniform() * 2.0f - 1.0f) * 1.7320508f;
}

void NormalizeRms(std::vector<float>* x) {
  double sum = 0.0;
  for (float v : *x) sum += static_cast<double>(v) * v;
  if (sum <= 0.0) return;
  const float scale = static_cast<float>(std::sqrt(x->size() / sum));
  for (float& v : *x) v *= scale;
}

}  // namespace

const char* NoiseKindName(NoiseKind kind) {
  switch (kind) {
    case NoiseKind::kWhite:
      return "white";
    case NoiseKind::kPink:
      return "pink";
    case NoiseKind::kBrown:
      return "brown";
    case NoiseKind::kRecording:
      return "recording";
  }
  return "?";
}

StatusOr<NoiseBank> NoiseBank::Load(const std::string& dir) {
  // The files a data folder's _background_noise_ would list.
  StatusOr<std::vector<std::string>> listed = ListAudioFiles(dir);
  if (!listed.ok()) return listed.status();
  const std::vector<std::string>& files = *listed;
  if (files.empty()) {
    return InvalidArgument("noise folder " + dir + ": no audio files");
  }
  NoiseBank bank;
  for (const std::string& file : files) {
    StatusOr<AudioClip> clip = ReadAudio(file, kSampleRate);
    if (!clip.ok()) return clip.status();
    if (clip->samples.empty()) continue;
    bank.recordings_.emplace_back(clip->samples.begin(), clip->samples.end());
  }
  if (bank.recordings_.empty()) {
    return InvalidArgument("noise folder " + dir +
                           ": every audio file is empty");
  }
  return bank;
}

void NoiseBank::Add(std::vector<float> recording) {
  if (!recording.empty()) recordings_.push_back(std::move(recording));
}

void MakeNoise(NoiseKind kind, const NoiseBank* bank, size_t n, CounterRng& rng,
               std::vector<float>* out) {
  out->resize(n);
  if (kind == NoiseKind::kRecording && bank != nullptr && !bank->empty()) {
    const std::vector<float>& rec = bank->recording(rng.Below(bank->size()));
    size_t pos = rng.Below(rec.size());
    for (size_t i = 0; i < n; ++i) {
      (*out)[i] = rec[pos];
      if (++pos == rec.size()) pos = 0;
    }
  } else if (kind == NoiseKind::kPink) {
    // Paul Kellet's economy pink filter (-3 dB/octave within 0.5 dB).
    float b0 = 0, b1 = 0, b2 = 0;
    for (size_t i = 0; i < n; ++i) {
      const float w = UnitNoise(rng);
      b0 = 0.99765f * b0 + w * 0.0990460f;
      b1 = 0.96300f * b1 + w * 0.2965164f;
      b2 = 0.57000f * b2 + w * 1.0526913f;
      (*out)[i] = b0 + b1 + b2 + w * 0.1848f;
    }
  } else if (kind == NoiseKind::kBrown) {
    // Leaky integration of white noise (-6 dB/octave above ~8 Hz).
    float y = 0.0f;
    for (size_t i = 0; i < n; ++i) {
      y = 0.997f * y + UnitNoise(rng);
      (*out)[i] = y;
    }
  } else {
    for (size_t i = 0; i < n; ++i) (*out)[i] = UnitNoise(rng);
  }
  NormalizeRms(out);
}

double ActivePower(const std::vector<float>& signal) {
  constexpr size_t kBlock = kSampleRate / 100;
  std::vector<double> powers;
  for (size_t start = 0; start < signal.size(); start += kBlock) {
    const size_t end = std::min(signal.size(), start + kBlock);
    double sum = 0.0;
    for (size_t i = start; i < end; ++i) {
      sum += static_cast<double>(signal[i]) * signal[i];
    }
    powers.push_back(sum / static_cast<double>(end - start));
  }
  if (powers.empty()) return 0.0;
  const double loudest = *std::max_element(powers.begin(), powers.end());
  if (loudest <= 0.0) return 0.0;
  double sum = 0.0;
  size_t count = 0;
  for (double p : powers) {
    if (p >= loudest * 0.01) {
      sum += p;
      ++count;
    }
  }
  return sum / static_cast<double>(count);
}

void AddNoiseAtSnr(const std::vector<float>& noise, float snr_db,
                   std::vector<float>* signal) {
  const double speech = ActivePower(*signal);
  if (speech <= 0.0 || noise.empty()) return;
  double noise_power = 0.0;
  const size_t n = std::min(noise.size(), signal->size());
  for (size_t i = 0; i < n; ++i) {
    noise_power += static_cast<double>(noise[i]) * noise[i];
  }
  noise_power /= static_cast<double>(n);
  if (noise_power <= 0.0) return;
  const float scale = static_cast<float>(
      std::sqrt(speech / std::pow(10.0, snr_db / 10.0) / noise_power));
  for (size_t i = 0; i < n; ++i) (*signal)[i] += scale * noise[i];
}

}  // namespace tinykws::synth
