// Header and section table checks, in the order that gives the most useful
// message: is it ours, which version, is the header intact, does the size
// match, is the table intact, does every section lie where it should.
#include "format/container.hpp"

#include <cstring>
#include <string>
#include <vector>

#include "format/byte_io.hpp"
#include "format/errors.hpp"
#include "format/layout.hpp"

namespace tinykws::format {

namespace {

std::string HexBytes(const unsigned char* p, size_t n) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string text;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) text += ' ';
    text += kDigits[p[i] >> 4];
    text += kDigits[p[i] & 15];
  }
  return text.empty() ? "nothing" : text;
}

bool AllZero(const unsigned char* p, uint64_t n) {
  for (uint64_t i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

Status CheckHeader(const unsigned char* p, uint64_t size,
                   const std::string& origin, uint32_t* section_count) {
  if (size < sizeof kMagic || std::memcmp(p, kMagic, sizeof kMagic) != 0) {
    return Malformed(origin,
                     "not a tinykws model file (expected the magic bytes 54 "
                     "4B 57 53 0D 0A 1A 0A, found " +
                         HexBytes(p, size < 8 ? size : 8) + ")");
  }
  // The version comes before any other check: a newer writer may have
  // changed everything after it.
  if (size >= kOffVersion + 4) {
    const uint32_t version = LoadU32(p + kOffVersion);
    if (version > kFormatVersion) {
      return Unsupported(origin +
                         ": written by a newer tinykws (format version " +
                         std::to_string(version) + ", this build reads up to " +
                         std::to_string(kFormatVersion) + ")");
    }
    if (version == 0) {
      return Malformed(origin, "format version 0 is invalid (expected 1 to " +
                                   std::to_string(kFormatVersion) + ")");
    }
  }
  if (size < kHeaderSize) {
    return Malformed(
        origin, "truncated header (expected " + std::to_string(kHeaderSize) +
                    " bytes, file has " + std::to_string(size) + ")");
  }
  unsigned char header[kHeaderSize];
  std::memcpy(header, p, kHeaderSize);
  StoreU32(header + kOffHeaderCrc, 0);
  const uint32_t stored_crc = LoadU32(p + kOffHeaderCrc);
  const uint32_t actual_crc = Crc32(header, kHeaderSize);
  if (stored_crc != actual_crc) {
    return Malformed(origin, "header CRC mismatch (expected " +
                                 Hex32(stored_crc) + ", found " +
                                 Hex32(actual_crc) + ")");
  }
  const uint32_t header_size = LoadU32(p + kOffHeaderSize);
  if (header_size != kHeaderSize) {
    return Malformed(origin, "header size is wrong (expected " +
                                 std::to_string(kHeaderSize) + ", found " +
                                 std::to_string(header_size) + ")");
  }
  const uint32_t flags = LoadU32(p + kOffFlags);
  if (flags != 0) {
    return Malformed(origin, "header flags are set (expected 0, found " +
                                 Hex32(flags) + ")");
  }
  if (!AllZero(p + kOffReserved, kHeaderSize - kOffReserved)) {
    return Malformed(origin, "header reserved bytes are not zero");
  }
  const uint64_t file_size = LoadU64(p + kOffFileSize);
  if (file_size != size) {
    return Malformed(
        origin, "file size mismatch (expected " + std::to_string(file_size) +
                    " bytes as the header says, found " + std::to_string(size) +
                    (size < file_size ? ": truncated)" : ")"));
  }
  *section_count = LoadU32(p + kOffSectionCount);
  if (*section_count > kMaxSections) {
    return TooLarge(origin, "section count " + std::to_string(*section_count) +
                                " exceeds the limit of " +
                                std::to_string(kMaxSections));
  }
  return Status::Ok();
}

}  // namespace

std::string SectionName(uint32_t type) {
  switch (static_cast<SectionType>(type)) {
    case SectionType::kFeatures:
      return "features";
    case SectionType::kLabels:
      return "labels";
    case SectionType::kGraph:
      return "graph";
    case SectionType::kWeights:
      return "weights";
    case SectionType::kBiases:
      return "biases";
    case SectionType::kQuant:
      return "quant";
    case SectionType::kMetadata:
      return "metadata";
    case SectionType::kDetector:
      return "detector";
  }
  return "type " + std::to_string(type);
}

Status ParseContainer(const std::string& bytes, const std::string& origin,
                      std::vector<SectionView>* sections) {
  sections->clear();
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const uint64_t size = bytes.size();
  uint32_t count = 0;
  TINYKWS_RETURN_IF_ERROR(CheckHeader(p, size, origin, &count));

  const uint64_t table_end = kHeaderSize + uint64_t{count} * kEntrySize;
  if (table_end > size) {
    return Malformed(origin, "section table of " + std::to_string(count) +
                                 " entries runs past the end of the file "
                                 "(expected at least " +
                                 std::to_string(table_end) + " bytes, found " +
                                 std::to_string(size) + ")");
  }
  const uint32_t stored_table_crc = LoadU32(p + kOffTableCrc);
  const uint32_t actual_table_crc =
      Crc32(p + kHeaderSize, table_end - kHeaderSize);
  if (stored_table_crc != actual_table_crc) {
    return Malformed(origin, "section table CRC mismatch (expected " +
                                 Hex32(stored_table_crc) + ", found " +
                                 Hex32(actual_table_crc) + ")");
  }

  sections->reserve(count);
  uint64_t end = table_end;  // end of the previous table or payload
  for (uint32_t i = 0; i < count; ++i) {
    const unsigned char* entry = p + kHeaderSize + uint64_t{i} * kEntrySize;
    SectionView view;
    view.type = LoadU32(entry + kEntryOffType);
    view.offset = LoadU64(entry + kEntryOffOffset);
    view.length = LoadU64(entry + kEntryOffLength);
    const std::string name = "section " + Quoted(SectionName(view.type));
    const uint32_t flags = LoadU32(entry + kEntryOffFlags);
    const uint32_t reserved = LoadU32(entry + kEntryOffReserved);
    if (flags != 0 || reserved != 0) {
      return Malformed(origin, name +
                                   " has flags or reserved bits set "
                                   "(expected 0, found " +
                                   Hex32(flags) + ", " + Hex32(reserved) + ")");
    }
    const uint64_t expected_offset = AlignUp(end);
    if (view.offset != expected_offset) {
      return Malformed(origin, name + " starts at the wrong offset (expected " +
                                   std::to_string(expected_offset) +
                                   ", the first 64-byte boundary after the "
                                   "previous section, found " +
                                   std::to_string(view.offset) + ")");
    }
    if (view.offset > size || view.length > size - view.offset) {
      return Malformed(origin, name + " claims " + std::to_string(view.length) +
                                   " bytes at offset " +
                                   std::to_string(view.offset) + ", file has " +
                                   std::to_string(size));
    }
    if (!AllZero(p + end, view.offset - end)) {
      return Malformed(origin, "padding before " + name + " is not zero");
    }
    const uint32_t stored_crc = LoadU32(entry + kEntryOffCrc);
    const uint32_t actual_crc = Crc32(p + view.offset, view.length);
    if (stored_crc != actual_crc) {
      return Malformed(origin, name + " CRC mismatch (expected " +
                                   Hex32(stored_crc) + ", found " +
                                   Hex32(actual_crc) + ")");
    }
    end = view.offset + view.length;
    sections->push_back(view);
  }
  if (end != size) {
    return Malformed(origin,
                     "file continues after the last section "
                     "(expected it to end at byte " +
                         std::to_string(end) + ", found " +
                         std::to_string(size) + " bytes)");
  }
  return Status::Ok();
}

}  // namespace tinykws::format
