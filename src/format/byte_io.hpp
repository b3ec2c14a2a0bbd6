// Little-endian byte writer for the .kws format (the reader is the core's).
// Values are composed byte by byte, so the layout does not depend on the
// host's endianness or alignment. Internal: not installed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace tinykws::format {

inline uint32_t FloatBits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

inline float BitsToFloat(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

// Unchecked loads and stores for fixed positions the caller has already
// bounds-checked (the header and the section table).
inline uint32_t LoadU32(const unsigned char* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

inline uint64_t LoadU64(const unsigned char* p) {
  return static_cast<uint64_t>(LoadU32(p)) |
         static_cast<uint64_t>(LoadU32(p + 4)) << 32;
}

inline void StoreU32(unsigned char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}

inline void StoreU64(unsigned char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}

// Appends little-endian values to a string.
class ByteWriter {
 public:
  explicit ByteWriter(std::string* out) : out_(out) {}

  void U32(uint32_t v) {
    unsigned char b[4];
    StoreU32(b, v);
    out_->append(reinterpret_cast<const char*>(b), sizeof b);
  }
  void U64(uint64_t v) {
    unsigned char b[8];
    StoreU64(b, v);
    out_->append(reinterpret_cast<const char*>(b), sizeof b);
  }
  void I32(int32_t v) { U32(static_cast<uint32_t>(v)); }
  void F32(float v) { U32(FloatBits(v)); }
  void Bytes(const void* data, size_t size) {
    out_->append(static_cast<const char*>(data), size);
  }
  // A u32 byte length, then the bytes.
  void String(const std::string& s) {
    U32(static_cast<uint32_t>(s.size()));
    Bytes(s.data(), s.size());
  }
  void Zeros(size_t count) { out_->append(count, '\0'); }

  void I8Array(const std::vector<int8_t>& v) { Bytes(v.data(), v.size()); }
  void I32Array(const std::vector<int32_t>& v) {
    for (int32_t x : v) I32(x);
  }
  void F32Array(const std::vector<float>& v) {
    for (float x : v) F32(x);
  }

  size_t size() const { return out_->size(); }

 private:
  std::string* out_;
};

}  // namespace tinykws::format
