// The protobuf wire format, write side only: just what the ONNX writer needs
// (varints, fixed32 floats, length-delimited bytes and nested messages,
// packed repeated varints). A message is written field by field into a
// string; a nested message is written into its own ProtoWriter first, so its
// length is known when it is appended. No schema, no reflection.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace tinykws::interop {

class ProtoWriter {
 public:
  // Scalars (int32, int64, enum, bool): a varint. Negative values take ten
  // bytes, as protobuf writes them (two's complement, sign-extended to 64).
  void Int(int field, int64_t value) {
    Tag(field, kVarint);
    Varint(static_cast<uint64_t>(value));
  }

  void Float(int field, float value) {
    Tag(field, kFixed32);
    uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    for (int i = 0; i < 4; ++i) bytes_ += static_cast<char>(bits >> (8 * i));
  }

  // string and bytes fields.
  void Bytes(int field, const std::string& value) {
    Tag(field, kLengthDelimited);
    Varint(value.size());
    bytes_ += value;
  }

  void Message(int field, const ProtoWriter& message) {
    Bytes(field, message.bytes());
  }

  // A repeated int64 field, packed (one length-delimited run of varints).
  void PackedInts(int field, const std::vector<int64_t>& values) {
    ProtoWriter run;
    for (int64_t v : values) run.Varint(static_cast<uint64_t>(v));
    Bytes(field, run.bytes());
  }

  const std::string& bytes() const { return bytes_; }

 private:
  enum WireType { kVarint = 0, kLengthDelimited = 2, kFixed32 = 5 };

  void Tag(int field, WireType type) {
    Varint((static_cast<uint64_t>(field) << 3) | type);
  }

  void Varint(uint64_t value) {
    while (value >= 0x80) {
      bytes_ += static_cast<char>((value & 0x7f) | 0x80);
      value >>= 7;
    }
    bytes_ += static_cast<char>(value);
  }

  std::string bytes_;
};

}  // namespace tinykws::interop
