#include "dataset/noise.hpp"

#include <algorithm>
#include <cmath>

#include "tinykws/audio.hpp"

namespace tinykws {

SampleRange NoiseSplitRange(size_t total, Split split) {
  const size_t training_end = total / 10 * 8 + total % 10 * 8 / 10;
  const size_t validation_end = total / 10 * 9 + total % 10 * 9 / 10;
  switch (split) {
    case Split::kTraining:
      return {0, training_end};
    case Split::kValidation:
      return {training_end, validation_end};
    case Split::kTesting:
      return {validation_end, total};
  }
  return {0, 0};
}

StatusOr<NoiseBank> LoadNoise(const DatasetIndex& index, int sample_rate,
                              Split split,
                              std::vector<std::string>* truncated) {
  NoiseBank bank;
  for (const std::string& path : index.background_noise_files) {
    AudioReadOptions options;
    options.max_seconds = 3600.0;
    StatusOr<AudioClip> clip = ReadAudio(path, sample_rate, options);
    if (!clip.ok()) return clip.status();
    if (clip->truncated && truncated != nullptr) truncated->push_back(path);
    const SampleRange r = NoiseSplitRange(clip->samples.size(), split);
    bank.emplace_back(clip->samples.begin() + static_cast<ptrdiff_t>(r.begin),
                      clip->samples.begin() + static_cast<ptrdiff_t>(r.end));
  }
  return bank;
}

void AddNoiseCrop(const NoiseBank& noise, float volume, CounterRng& rng,
                  float* x, int n) {
  const std::vector<int16_t>& file = noise[rng.Below(noise.size())];
  if (file.empty()) return;
  const size_t span =
      file.size() > static_cast<size_t>(n) ? file.size() - n : 0;
  const size_t offset = span > 0 ? rng.Below(span + 1) : 0;
  for (int i = 0; i < n; ++i) {
    const size_t at = offset + i;
    if (at >= file.size()) break;
    x[i] += volume * file[at];
  }
}

void MakeSilenceClip(const NoiseBank& noise, float max_volume, int n,
                     CounterRng& rng, int16_t* out) {
  std::vector<float> x(static_cast<size_t>(n), 0.0f);
  AddNoiseCrop(noise, rng.Uniform(0.0f, max_volume), rng, x.data(), n);
  for (int i = 0; i < n; ++i) out[i] = SaturateToInt16(x[i]);
}

int16_t SaturateToInt16(float v) {
  const float r = std::nearbyint(v);
  return static_cast<int16_t>(std::clamp(r, -32768.0f, 32767.0f));
}

}  // namespace tinykws
