// CRC-32 against the published check values and a bit-at-a-time reference.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "format/model_file.hpp"
#include "test_model.hpp"

namespace tinykws::format {
namespace {

// The textbook shift-register form, one bit at a time (no table).
uint32_t BitwiseCrc32(const std::string& data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char byte : data) {
    crc ^= byte;
    for (int k = 0; k < 8; ++k)
      crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

TEST(Crc32, CheckValues) {
  EXPECT_EQ(Crc32("123456789", 9), 0xCBF43926u);  // the CRC-32 check value
  EXPECT_EQ(Crc32("", 0), 0u);
  EXPECT_EQ(Crc32(nullptr, 0), 0u);
  const std::string fox = "The quick brown fox jumps over the lazy dog";
  EXPECT_EQ(Crc32(fox.data(), fox.size()), 0x414FA339u);  // zlib.crc32
}

TEST(Crc32, MatchesBitwiseReferenceOnRandomData) {
  testing::Lcg rng(7);
  for (size_t size : {1u, 2u, 3u, 63u, 64u, 65u, 1000u, 4097u}) {
    std::string data(size, '\0');
    for (char& c : data) c = static_cast<char>(rng.Next());
    EXPECT_EQ(Crc32(data.data(), data.size()), BitwiseCrc32(data)) << size;
  }
}

}  // namespace
}  // namespace tinykws::format
