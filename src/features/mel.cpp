#include "features/mel.hpp"

#include <algorithm>
#include <cmath>

namespace tinykws::features {

double HertzToMel(double hertz) { return 1127.0 * std::log1p(hertz / 700.0); }

std::vector<double> MelWeightMatrix(const FeatureConfig& config) {
  const int bins = config.num_fft_bins();
  const int mels = config.mel_bins;
  std::vector<double> matrix(static_cast<size_t>(bins) * mels, 0.0);
  const double nyquist = config.sample_rate / 2.0;
  const double lower_mel = HertzToMel(config.fmin_hz);
  const double upper_mel = HertzToMel(config.fmax_hz);
  const double mel_step = (upper_mel - lower_mel) / (mels + 1);
  // Row 0 stays zero: TF drops the DC bin ("bands_to_zero = 1").
  for (int bin = 1; bin < bins; ++bin) {
    const double bin_mel = HertzToMel(nyquist * bin / (bins - 1));
    for (int m = 0; m < mels; ++m) {
      const double left = lower_mel + m * mel_step;
      const double center = left + mel_step;
      const double right = center + mel_step;
      const double rising = (bin_mel - left) / (center - left);
      const double falling = (right - bin_mel) / (right - center);
      matrix[static_cast<size_t>(bin) * mels + m] =
          std::max(0.0, std::min(rising, falling));
    }
  }
  return matrix;
}

MelBands MakeMelBands(const FeatureConfig& config) {
  const int bins = config.num_fft_bins();
  const int mels = config.mel_bins;
  const std::vector<double> matrix = MelWeightMatrix(config);
  MelBands bands;
  bands.lowest_bin = bins;
  bands.highest_bin = -1;
  for (int m = 0; m < mels; ++m) {
    int first = -1;
    int last = -1;
    for (int bin = 0; bin < bins; ++bin) {
      if (matrix[static_cast<size_t>(bin) * mels + m] > 0.0) {
        if (first < 0) first = bin;
        last = bin;
      }
    }
    bands.offset.push_back(static_cast<int>(bands.weights.size()));
    if (first < 0) {  // a band too narrow to hold any bin: energy 0
      bands.first_bin.push_back(0);
      bands.count.push_back(0);
      continue;
    }
    bands.first_bin.push_back(first);
    bands.count.push_back(last - first + 1);
    for (int bin = first; bin <= last; ++bin) {
      bands.weights.push_back(
          static_cast<float>(matrix[static_cast<size_t>(bin) * mels + m]));
    }
    bands.lowest_bin = std::min(bands.lowest_bin, first);
    bands.highest_bin = std::max(bands.highest_bin, last);
  }
  if (bands.highest_bin < 0) {  // no band holds a bin: compute bin 0 only
    bands.lowest_bin = 0;
    bands.highest_bin = 0;
  }
  return bands;
}

}  // namespace tinykws::features
