// The _background_noise_ recordings of a data folder, split by time so that
// training, validation and testing never share noise: of every file, the
// first 80 % belongs to training, the next 10 % to validation and the last
// 10 % to testing. Silence clips, noise augmentation and the noise bed of
// evaluation streams all draw from their split's part.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/rng.hpp"
#include "tinykws/dataset.hpp"

namespace tinykws {

using NoiseBank = std::vector<std::vector<int16_t>>;

struct SampleRange {
  size_t begin = 0, end = 0;
};

// The part of a recording of `total` samples that belongs to `split`.
SampleRange NoiseSplitRange(size_t total, Split split);

// Decodes every noise file of the index at sample_rate and keeps the
// split's part of each. Errors name the file. Files shorter than their
// headers say (AudioClip::truncated) are added to *truncated when given.
StatusOr<NoiseBank> LoadNoise(const DatasetIndex& index, int sample_rate,
                              Split split,
                              std::vector<std::string>* truncated = nullptr);

// Adds a crop of a random file, starting at a random offset, times volume,
// to x (n samples in int16 units). Draws: file, then offset.
void AddNoiseCrop(const NoiseBank& noise, float volume, CounterRng& rng,
                  float* x, int n);

// A "silence" clip: a noise crop scaled by U(0, max_volume), as int16 with
// rounding and saturation. noise must not be empty.
void MakeSilenceClip(const NoiseBank& noise, float max_volume, int n,
                     CounterRng& rng, int16_t* out);

// x rounded to nearest and saturated to int16.
int16_t SaturateToInt16(float x);

}  // namespace tinykws
