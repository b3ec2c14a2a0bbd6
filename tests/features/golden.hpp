// Loads the golden clips and MFCCs written by tools/golden_mfcc.py.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace tinykws::testing {

inline std::string GoldenDir() {
  return std::string(TINYKWS_SOURCE_DIR) + "/tests/features/golden/";
}

// Raw int16 little-endian mono samples.
inline std::vector<int16_t> LoadGoldenPcm(const std::string& name) {
  std::ifstream in(GoldenDir() + name + ".pcm", std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                          std::istreambuf_iterator<char>());
  std::vector<int16_t> pcm(bytes.size() / 2);
  for (size_t i = 0; i < pcm.size(); ++i) {
    const auto lo = static_cast<uint8_t>(bytes[2 * i]);
    const auto hi = static_cast<uint8_t>(bytes[2 * i + 1]);
    pcm[i] = static_cast<int16_t>(static_cast<uint16_t>(lo | (hi << 8)));
  }
  return pcm;
}

struct GoldenMfcc {
  int frames = 0;
  int coeffs = 0;
  std::vector<double> values;  // frames x coeffs, row-major
};

// First line "<frames> <coeffs>", then the values.
inline GoldenMfcc LoadGoldenMfcc(const std::string& name) {
  GoldenMfcc golden;
  std::ifstream in(GoldenDir() + name + ".mfcc.txt");
  in >> golden.frames >> golden.coeffs;
  double v;
  while (in >> v) golden.values.push_back(v);
  return golden;
}

}  // namespace tinykws::testing
