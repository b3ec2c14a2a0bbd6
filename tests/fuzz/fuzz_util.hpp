// Helpers shared by the libFuzzer targets (tests/fuzz/README.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "format/byte_io.hpp"
#include "format/layout.hpp"
#include "format/model_file.hpp"
#include "tinykws/runtime.hpp"

namespace tinykws::fuzz {

// Recomputes every CRC that lies within the bytes (bounds-checked here,
// independently of the reader), so mutations inside payloads reach the
// record decoders, Validate and the runtime instead of stopping at a CRC
// mismatch.
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

// The input as a model file, resealed first (the session and spotter
// targets start from a model that loads).
inline StatusOr<std::shared_ptr<const Model>> LoadResealed(const uint8_t* data,
                                                           size_t size) {
  const std::string bytes =
      Reseal(std::string(reinterpret_cast<const char*>(data), size));
  return Model::LoadFromBuffer(bytes.data(), bytes.size(), "fuzz.kws");
}

// A finding: libFuzzer reports the abort with the input that caused it.
inline void Require(bool condition) {
  if (!condition) std::abort();
}

// A deterministic 2 s test signal: silence, a tone, loud noise, a click.
inline std::string TestSignal() {
  std::string pcm(2 * 32000, '\0');
  auto* s = reinterpret_cast<int16_t*>(&pcm[0]);
  uint32_t noise = 1;
  for (int i = 0; i < 32000; ++i) {
    noise = noise * 1664525u + 1013904223u;
    int v = 0;
    if (i >= 8000 && i < 16000) v = ((i / 20) % 2 ? 12000 : -12000);
    if (i >= 16000 && i < 24000) v = static_cast<int16_t>(noise >> 16);
    if (i == 28000) v = 32767;
    s[i] = static_cast<int16_t>(v);
  }
  return pcm;
}

}  // namespace tinykws::fuzz
