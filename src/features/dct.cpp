#include "features/dct.hpp"

#include <cmath>

namespace tinykws::features {

std::vector<double> TfDctMatrix(int num_out, int num_in) {
  std::vector<double> matrix(static_cast<size_t>(num_out) * num_in);
  const double scale = std::sqrt(2.0 / num_in);
  for (int k = 0; k < num_out; ++k) {
    for (int n = 0; n < num_in; ++n) {
      matrix[static_cast<size_t>(k) * num_in + n] =
          scale * std::cos(M_PI * k * (2.0 * n + 1.0) / (2.0 * num_in));
    }
  }
  return matrix;
}

}  // namespace tinykws::features
