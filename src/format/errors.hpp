// Error construction for the format library: every message reads
// "ORIGIN: what is wrong (expected X, found Y)". Internal: not installed.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "tinykws/status.hpp"

namespace tinykws::format {

// The model breaks a rule (bad shape, value or size).
inline Status Invalid(const std::string& origin, const std::string& what) {
  return InvalidArgument(origin + ": " + what);
}
// The bytes are not a well-formed file (container, record sizes, CRCs).
inline Status Malformed(const std::string& origin, const std::string& what) {
  return FormatError(origin + ": " + what);
}
// A count or size beyond the supported limits.
inline Status TooLarge(const std::string& origin, const std::string& what) {
  return OutOfRange(origin + ": " + what);
}

inline std::string FloatText(float value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", static_cast<double>(value));
  return text;
}

inline std::string Hex32(uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08X", static_cast<unsigned>(value));
  return text;
}

inline std::string Quoted(const std::string& name) { return "'" + name + "'"; }

}  // namespace tinykws::format
