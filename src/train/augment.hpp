// Training-time augmentation ([augment] in the config). Audio-domain changes
// happen before the MFCC, through the same int16 API the runtime uses.
#pragma once

#include <cstdint>
#include <vector>

#include "dataset/noise.hpp"
#include "tinykws/config.hpp"
#include "train/rng.hpp"

namespace tinykws::train {

class Augmenter {
 public:
  // noise may be null or empty when noise mixing is off.
  Augmenter(const AugmentSpec& spec, const FeatureConfig& features,
            const NoiseBank* noise);

  // True when Apply changes audio (so features must be recomputed).
  bool changes_audio() const;
  bool changes_features() const;  // SpecAugment masks

  // Writes clip_samples augmented samples of `clip` to out. work must hold
  // 2 * clip_samples floats. unknown: an _unknown_ clip (its own shift).
  void Apply(const std::vector<int16_t>& clip, bool unknown, Rng& rng,
             float* work, int16_t* out) const;

  // SpecAugment: time and MFCC-coefficient masks, filled with the clip's
  // per-coefficient mean.
  void MaskFeatures(Rng& rng, float* mfcc) const;

 private:
  AugmentSpec spec_;
  FeatureConfig features_;
  const NoiseBank* noise_;
};

}  // namespace tinykws::train
