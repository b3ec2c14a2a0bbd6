// A tiny protobuf wire-format reader for the tests: splits a message into
// its fields, so a test can check what the ONNX writer wrote without a
// protobuf library (and without trusting the writer's own encoder).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace tinykws::testing {

struct ProtoField {
  int number = 0;
  int wire_type = 0;
  uint64_t varint = 0;  // wire types 0 (varint) and 5 (fixed32 bits)
  std::string bytes;    // wire type 2
};

// All fields in order; ok is false on a truncated or unknown encoding.
struct ProtoMessage {
  bool ok = true;
  std::vector<ProtoField> fields;

  std::vector<const ProtoField*> All(int number) const {
    std::vector<const ProtoField*> out;
    for (const ProtoField& f : fields) {
      if (f.number == number) out.push_back(&f);
    }
    return out;
  }
  // The last occurrence (protobuf's rule for a non-repeated field).
  const ProtoField* Get(int number) const {
    const std::vector<const ProtoField*> all = All(number);
    return all.empty() ? nullptr : all.back();
  }
  std::string String(int number) const {
    const ProtoField* f = Get(number);
    return f ? f->bytes : "";
  }
  int64_t Int(int number) const {
    const ProtoField* f = Get(number);
    return f ? static_cast<int64_t>(f->varint) : 0;
  }
};

inline bool ReadVarint(const std::string& s, size_t* at, uint64_t* value) {
  *value = 0;
  for (int shift = 0; shift < 64 && *at < s.size(); shift += 7) {
    const auto byte = static_cast<unsigned char>(s[(*at)++]);
    *value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;
}

inline ProtoMessage ParseProto(const std::string& s) {
  ProtoMessage m;
  auto malformed = [&m] {
    m.ok = false;
    return m;
  };
  size_t at = 0;
  while (at < s.size()) {
    uint64_t tag = 0;
    ProtoField f;
    if (!ReadVarint(s, &at, &tag)) return malformed();
    f.number = static_cast<int>(tag >> 3);
    f.wire_type = static_cast<int>(tag & 7);
    if (f.wire_type == 0) {
      if (!ReadVarint(s, &at, &f.varint)) return malformed();
    } else if (f.wire_type == 2) {
      uint64_t length = 0;
      if (!ReadVarint(s, &at, &length) || length > s.size() - at) {
        return malformed();
      }
      f.bytes = s.substr(at, length);
      at += length;
    } else if (f.wire_type == 5) {
      if (s.size() - at < 4) return malformed();
      uint32_t bits = 0;
      for (int i = 0; i < 4; ++i) {
        bits |= uint32_t{static_cast<unsigned char>(s[at + i])} << (8 * i);
      }
      f.varint = bits;
      at += 4;
    } else {
      return malformed();
    }
    m.fields.push_back(f);
  }
  return m;
}

// A packed repeated varint field's values.
inline std::vector<int64_t> PackedInts(const std::string& s) {
  std::vector<int64_t> out;
  size_t at = 0;
  uint64_t v = 0;
  while (at < s.size() && ReadVarint(s, &at, &v)) {
    out.push_back(static_cast<int64_t>(v));
  }
  return out;
}

}  // namespace tinykws::testing
