// HTK mel filterbank, as tf.signal.linear_to_mel_weight_matrix builds it.
#pragma once

#include <vector>

#include "tinykws/features.hpp"

namespace tinykws::features {

// 1127 ln(1 + f / 700).
double HertzToMel(double hertz);

// Dense matrix [num_fft_bins][mel_bins], row-major, in double. Row 0 (DC) is
// zero; triangles are built in mel space and not normalized.
std::vector<double> MelWeightMatrix(const FeatureConfig& config);

// The same matrix stored by band: band b covers FFT bins
// [first_bin[b], first_bin[b] + count[b]) with weights at offset[b].
struct MelBands {
  std::vector<int> first_bin;
  std::vector<int> count;
  std::vector<int> offset;
  std::vector<float> weights;
  int lowest_bin = 0;   // smallest bin any band uses
  int highest_bin = 0;  // largest bin any band uses (inclusive)
};

MelBands MakeMelBands(const FeatureConfig& config);

}  // namespace tinykws::features
