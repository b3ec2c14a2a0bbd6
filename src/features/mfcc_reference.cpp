#include "features/mfcc_reference.hpp"

#include <cmath>

#include "features/dct.hpp"
#include "features/mel.hpp"
#include "features/window.hpp"

namespace tinykws::features {

std::vector<float> ComputeMfccReference(const FeatureConfig& config,
                                        const int16_t* pcm,
                                        size_t num_samples) {
  const int n = config.frame_length;
  const int bins = config.num_fft_bins();
  const int mels = config.mel_bins;
  std::vector<double> clip(config.clip_samples, 0.0);
  for (size_t i = 0; i < num_samples && i < clip.size(); ++i) {
    clip[i] = pcm[i] / 32768.0;
  }
  const std::vector<double> window = PeriodicHann(n);
  const std::vector<double> mel_matrix = MelWeightMatrix(config);
  const std::vector<double> dct = TfDctMatrix(config.num_mfcc, mels);
  std::vector<double> cos_table(n), sin_table(n);
  for (int i = 0; i < n; ++i) {
    cos_table[i] = std::cos(2.0 * M_PI * i / n);
    sin_table[i] = std::sin(2.0 * M_PI * i / n);
  }
  std::vector<float> out;
  std::vector<double> frame(n), magnitude(bins), log_mel(mels);
  for (int f = 0; f < config.num_frames(); ++f) {
    for (int i = 0; i < n; ++i) {
      frame[i] =
          clip[static_cast<size_t>(f) * config.frame_step + i] * window[i];
    }
    for (int k = 0; k < bins; ++k) {
      double re = 0.0, im = 0.0;
      for (int i = 0; i < n; ++i) {
        const int r = static_cast<int>((static_cast<long>(i) * k) % n);
        re += frame[i] * cos_table[r];
        im -= frame[i] * sin_table[r];
      }
      magnitude[k] = std::sqrt(re * re + im * im);
    }
    for (int m = 0; m < mels; ++m) {
      double sum = 0.0;
      for (int k = 0; k < bins; ++k) {
        sum += magnitude[k] * mel_matrix[static_cast<size_t>(k) * mels + m];
      }
      log_mel[m] = std::log(sum + config.log_offset);
    }
    for (int c = 0; c < config.num_mfcc; ++c) {
      double sum = 0.0;
      for (int m = 0; m < mels; ++m) {
        sum += log_mel[m] * dct[static_cast<size_t>(c) * mels + m];
      }
      out.push_back(static_cast<float>(sum));
    }
  }
  return out;
}

}  // namespace tinykws::features
