#include "sweep/run_files.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "common/atomic_file.hpp"

namespace tinykws::sweep {

namespace {

constexpr size_t kMaxFileBytes = size_t{1} << 30;

template <typename T>
void Append(std::string* out, T value) {
  out->append(reinterpret_cast<const char*>(&value), sizeof value);
}

template <typename T>
bool Take(const std::string& in, size_t* at, T* value) {
  if (in.size() - *at < sizeof(T)) return false;
  std::memcpy(value, in.data() + *at, sizeof(T));
  *at += sizeof(T);
  return true;
}

// A name from the wire, safe to print (control bytes escaped, cut short).
std::string PrintableName(const std::string& name) {
  std::string out;
  for (unsigned char c : name.substr(0, 64)) {
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  return out;
}

}  // namespace

StatusOr<std::string> PackFiles(const std::string& dir,
                                const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    const std::string path = dir + "/" + name;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) continue;
    StatusOr<std::string> bytes = ReadWholeFile(path, kMaxFileBytes);
    if (!bytes.ok()) return bytes.status();
    Append(&out, static_cast<uint32_t>(name.size()));
    out += name;
    Append(&out, static_cast<uint64_t>(bytes->size()));
    out += *bytes;
  }
  return out;
}

namespace {

struct PackedEntry {
  std::string name;
  size_t at, size;
};

Status ParsePacked(const std::string& packed,
                   const std::vector<std::string>& allowed,
                   std::vector<PackedEntry>* entries) {
  size_t at = 0;
  while (at < packed.size()) {
    uint32_t name_size = 0;
    uint64_t size = 0;
    if (!Take(packed, &at, &name_size) || packed.size() - at < name_size) {
      return FormatError("packed run files: truncated name");
    }
    const std::string name = packed.substr(at, name_size);
    at += name_size;
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return FormatError("packed run files: unexpected file name '" +
                         PrintableName(name) + "'");
    }
    if (!Take(packed, &at, &size) || packed.size() - at < size) {
      return FormatError("packed run files: " + name + " is truncated");
    }
    entries->push_back({name, at, static_cast<size_t>(size)});
    at += static_cast<size_t>(size);
  }
  return Status::Ok();
}

}  // namespace

Status CheckPackedFiles(const std::string& packed,
                        const std::vector<std::string>& allowed) {
  std::vector<PackedEntry> entries;
  return ParsePacked(packed, allowed, &entries);
}

Status UnpackFiles(const std::string& packed, const std::string& dir,
                   const std::vector<std::string>& allowed) {
  std::vector<PackedEntry> entries;
  TINYKWS_RETURN_IF_ERROR(ParsePacked(packed, allowed, &entries));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  for (const PackedEntry& e : entries) {
    TINYKWS_RETURN_IF_ERROR(
        WriteFileAtomically(dir + "/" + e.name, packed.substr(e.at, e.size)));
  }
  return Status::Ok();
}

}  // namespace tinykws::sweep
