#include "train/augment.hpp"

#include <algorithm>
#include <cmath>

#include "dataset/noise.hpp"

namespace tinykws::train {

Augmenter::Augmenter(const AugmentSpec& spec, const FeatureConfig& features,
                     const NoiseBank* noise)
    : spec_(spec), features_(features), noise_(noise) {}

bool Augmenter::changes_audio() const {
  const bool noise =
      spec_.noise_probability > 0.0f && noise_ != nullptr && !noise_->empty();
  return spec_.time_shift_ms > 0.0f || spec_.unknown_time_shift_ms > 0.0f ||
         spec_.gain_db > 0.0f || spec_.speed > 0.0f || noise;
}

bool Augmenter::changes_features() const {
  return (spec_.time_masks > 0 && spec_.time_mask_frames > 0) ||
         (spec_.freq_masks > 0 && spec_.freq_mask_coeffs > 0);
}

void Augmenter::Apply(const std::vector<int16_t>& clip, bool unknown, Rng& rng,
                      float* work, int16_t* out) const {
  const int n = features_.clip_samples;
  // Speed: read the source at i * factor (linear interpolation); this
  // changes tempo and pitch together, like sox "speed".
  float* speeded = work;
  const float factor = spec_.speed > 0.0f
                           ? rng.Uniform(1.0f - spec_.speed, 1.0f + spec_.speed)
                           : 1.0f;
  const int source = static_cast<int>(clip.size());
  for (int i = 0; i < n; ++i) {
    const float pos = i * factor;
    const int left = static_cast<int>(pos);
    if (left >= source) {
      speeded[i] = 0.0f;
      continue;
    }
    const float frac = pos - left;
    const float a = clip[left];
    const float b = left + 1 < source ? clip[left + 1] : 0.0f;
    speeded[i] = a + (b - a) * frac;
  }
  // Time shift by U(-t, t), zero fill.
  float* x = work + n;
  const float shift_ms =
      unknown ? std::max(spec_.time_shift_ms, spec_.unknown_time_shift_ms)
              : spec_.time_shift_ms;
  const int max_shift =
      static_cast<int>(std::lround(shift_ms * 1e-3 * features_.sample_rate));
  const int shift =
      max_shift > 0 ? static_cast<int>(rng.Below(2 * max_shift + 1)) - max_shift
                    : 0;
  for (int i = 0; i < n; ++i) {
    const int from = i - shift;
    x[i] = from >= 0 && from < n ? speeded[from] : 0.0f;
  }
  if (spec_.gain_db > 0.0f) {
    const float gain =
        std::pow(10.0f, rng.Uniform(-spec_.gain_db, spec_.gain_db) / 20.0f);
    for (int i = 0; i < n; ++i) x[i] *= gain;
  }
  if (spec_.noise_probability > 0.0f && noise_ != nullptr && !noise_->empty() &&
      rng.Uniform() < spec_.noise_probability) {
    AddNoiseCrop(*noise_, rng.Uniform(0.0f, spec_.noise_max_volume), rng, x, n);
  }
  for (int i = 0; i < n; ++i) out[i] = SaturateToInt16(x[i]);
}

void Augmenter::MaskFeatures(Rng& rng, float* mfcc) const {
  const int frames = features_.num_frames();
  const int coeffs = features_.num_mfcc;
  float mean[64] = {};
  const int kept = std::min(coeffs, 64);
  for (int f = 0; f < frames; ++f) {
    for (int c = 0; c < kept; ++c) mean[c] += mfcc[f * coeffs + c] / frames;
  }
  for (int m = 0; m < spec_.time_masks && spec_.time_mask_frames > 0; ++m) {
    const int width = static_cast<int>(rng.Below(spec_.time_mask_frames + 1));
    const int start =
        static_cast<int>(rng.Below(std::max(1, frames - width + 1)));
    for (int f = start; f < std::min(frames, start + width); ++f) {
      for (int c = 0; c < kept; ++c) mfcc[f * coeffs + c] = mean[c];
    }
  }
  for (int m = 0; m < spec_.freq_masks && spec_.freq_mask_coeffs > 0; ++m) {
    const int width = static_cast<int>(rng.Below(spec_.freq_mask_coeffs + 1));
    const int start =
        static_cast<int>(rng.Below(std::max(1, kept - width + 1)));
    for (int f = 0; f < frames; ++f) {
      for (int c = start; c < std::min(kept, start + width); ++c) {
        mfcc[f * coeffs + c] = mean[c];
      }
    }
  }
}

}  // namespace tinykws::train
