// Writing a float matrix as CSV text or as a NumPy .npy file.
#pragma once

#include <string>
#include <vector>

namespace kws {

// One row per line, values separated by commas, 9 significant digits (enough
// to round-trip float32).
std::string MatrixToCsv(const std::vector<float>& values, int rows, int cols);

// NumPy format 1.0, dtype '<f4', C order, shape (rows, cols).
std::string MatrixToNpy(const std::vector<float>& values, int rows, int cols);

}  // namespace kws
