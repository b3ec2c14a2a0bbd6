// Byte-level helpers for building and corrupting .kws files in tests. The
// container is re-implemented here from docs/model-format.md with literal
// offsets, independently of serialize.cpp, so the round trip
// AssembleFile(SplitFile(Serialize(m))) == Serialize(m) checks the writer
// against the written spec.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "format/model_file.hpp"

namespace tinykws::format::testing {

inline uint32_t GetU32(const std::string& b, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<uint8_t>(b[at + i]);
  return v;
}

inline uint64_t GetU64(const std::string& b, size_t at) {
  return GetU32(b, at) | static_cast<uint64_t>(GetU32(b, at + 4)) << 32;
}

inline void SetU32(std::string& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<char>(v >> (8 * i));
}

inline void SetU64(std::string& b, size_t at, uint64_t v) {
  SetU32(b, at, static_cast<uint32_t>(v));
  SetU32(b, at + 4, static_cast<uint32_t>(v >> 32));
}

struct RawSection {
  uint32_t type = 0;
  std::string payload;
};

// Header 64 bytes; table entries of 32 bytes; payloads at 64-byte multiples.
constexpr size_t kTestHeader = 64;
constexpr size_t kTestEntry = 32;

// Sections of a well-formed file, in table order.
inline std::vector<RawSection> SplitFile(const std::string& file) {
  std::vector<RawSection> sections;
  const uint32_t count = GetU32(file, 16);
  for (uint32_t i = 0; i < count; ++i) {
    const size_t entry = kTestHeader + kTestEntry * i;
    sections.push_back(
        {GetU32(file, entry),
         file.substr(GetU64(file, entry + 8), GetU64(file, entry + 16))});
  }
  return sections;
}

// Recomputes the table CRC (over count entries) and then the header CRC.
inline void ResealHeader(std::string& file) {
  const uint64_t count = GetU32(file, 16);
  if (kTestHeader + kTestEntry * count <= file.size()) {
    SetU32(file, 36, Crc32(file.data() + kTestHeader, kTestEntry * count));
  }
  SetU32(file, 32, 0);
  SetU32(file, 32, Crc32(file.data(), kTestHeader));
}

// A complete, well-formed container around the given sections.
inline std::string AssembleFile(const std::vector<RawSection>& sections,
                                uint32_t version = 1) {
  std::string file(kTestHeader + kTestEntry * sections.size(), '\0');
  for (size_t i = 0; i < sections.size(); ++i) {
    file.append((64 - file.size() % 64) % 64, '\0');
    const size_t entry = kTestHeader + kTestEntry * i;
    SetU32(file, entry, sections[i].type);
    SetU64(file, entry + 8, file.size());
    SetU64(file, entry + 16, sections[i].payload.size());
    SetU32(file, entry + 24,
           Crc32(sections[i].payload.data(), sections[i].payload.size()));
    file += sections[i].payload;
  }
  file.replace(0, 8, std::string("TKWS\r\n\x1a\n", 8));
  SetU32(file, 8, version);
  SetU32(file, 12, 64);
  SetU32(file, 16, static_cast<uint32_t>(sections.size()));
  SetU64(file, 24, file.size());
  ResealHeader(file);
  return file;
}

// Index of the first section of the given type in sections, or -1.
inline int FindSection(const std::vector<RawSection>& sections, uint32_t type) {
  for (size_t i = 0; i < sections.size(); ++i) {
    if (sections[i].type == type) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace tinykws::format::testing
