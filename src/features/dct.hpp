// DCT-II with tf.signal.mfccs_from_log_mel_spectrograms scaling.
#pragma once

#include <vector>

namespace tinykws::features {

// Matrix [num_out][num_in], row-major, in double:
// D[k][n] = sqrt(2 / num_in) cos(pi k (2n + 1) / (2 num_in)) for every k,
// k = 0 included (TF does not use the orthonormal 1/sqrt(2) for k = 0).
std::vector<double> TfDctMatrix(int num_out, int num_in);

}  // namespace tinykws::features
