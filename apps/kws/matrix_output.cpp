#include "matrix_output.hpp"

#include <cstdint>
#include <cstdio>
#include <cstring>

namespace kws {

std::string MatrixToCsv(const std::vector<float>& values, int rows, int cols) {
  std::string out;
  char buffer[32];
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      std::snprintf(buffer, sizeof(buffer), "%.9g", values[r * cols + c]);
      if (c > 0) out += ',';
      out += buffer;
    }
    out += '\n';
  }
  return out;
}

std::string MatrixToNpy(const std::vector<float>& values, int rows, int cols) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                       std::to_string(rows) + ", " + std::to_string(cols) +
                       "), }";
  // magic (6) + version (2) + length (2) + header + '\n', padded to 64.
  const size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  out += header;
  for (float v : values) {  // little-endian, whatever the host order
    uint32_t bits;
    std::memcpy(&bits, &v, sizeof(bits));
    for (int i = 0; i < 4; ++i)
      out += static_cast<char>((bits >> (8 * i)) & 0xff);
  }
  return out;
}

}  // namespace kws
