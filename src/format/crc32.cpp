// CRC-32 as in zlib, PNG and IEEE 802.3: reflected polynomial 0xEDB88320,
// initial value and final xor 0xFFFFFFFF. Byte-wise with a 256-entry table
// built at compile time; a model file is a few KB, so speed is no concern.
#include <array>
#include <cstddef>
#include <cstdint>

#include "format/model_file.hpp"

namespace tinykws::format {

namespace {

constexpr std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}

constexpr std::array<uint32_t, 256> kCrcTable = MakeCrcTable();

}  // namespace

uint32_t Crc32(const void* data, size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; ++i)
    c = kCrcTable[(c ^ p[i]) & 0xFFu] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

}  // namespace tinykws::format
