// A model file's CRCs recomputed after its bytes were changed (fuzzing,
// reader-agreement tests).
#pragma once

#include <cstdint>
#include <string>

#include "format/byte_io.hpp"
#include "format/layout.hpp"
#include "format/model_file.hpp"

namespace tinykws::testing {

// Recomputes every CRC that lies within the bytes (bounds-checked here,
// independently of the reader), so mutations inside payloads reach the
// record decoders, Validate and the runtime instead of stopping at a CRC
// mismatch. Shared by the fuzz targets and the micro reader's tests.
inline std::string Reseal(std::string bytes) {
  using namespace format;
  if (bytes.size() < kHeaderSize) return bytes;
  auto* p = reinterpret_cast<unsigned char*>(&bytes[0]);
  const uint64_t size = bytes.size();
  const uint64_t count = LoadU32(p + kOffSectionCount);
  for (uint64_t i = 0; i < count && kHeaderSize + (i + 1) * kEntrySize <= size;
       ++i) {
    unsigned char* entry = p + kHeaderSize + i * kEntrySize;
    const uint64_t offset = LoadU64(entry + kEntryOffOffset);
    const uint64_t length = LoadU64(entry + kEntryOffLength);
    if (offset <= size && length <= size - offset) {
      StoreU32(entry + kEntryOffCrc, Crc32(p + offset, length));
    }
  }
  if (count <= kMaxSections && kHeaderSize + count * kEntrySize <= size) {
    StoreU32(p + kOffTableCrc, Crc32(p + kHeaderSize, count * kEntrySize));
  }
  StoreU32(p + kOffHeaderCrc, 0);
  StoreU32(p + kOffHeaderCrc, Crc32(p, kHeaderSize));
  return bytes;
}

}  // namespace tinykws::testing
