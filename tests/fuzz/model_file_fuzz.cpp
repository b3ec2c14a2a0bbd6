// libFuzzer target for the .kws reader (tests/fuzz/README.md).
//
// Each input is parsed twice: as it is, and after its CRCs were recomputed
// (header, table, every in-bounds payload), so mutations inside payloads
// reach the record decoders and Validate instead of stopping at a CRC
// mismatch. Any input that parses must be a valid model whose serialization
// parses again to the same bytes. Crashes, sanitizer reports, leaks and
// abort() are findings.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "format/byte_io.hpp"
#include "format/layout.hpp"
#include "format/model_file.hpp"

namespace {

using namespace tinykws::format;

// Recomputes every CRC that lies within the bytes (bounds-checked here,
// independently of the reader).
std::string Reseal(std::string bytes) {
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

void Check(const std::string& bytes) {
  const tinykws::StatusOr<ModelFile> parsed = Parse(bytes, "fuzz.kws");
  if (!parsed.ok()) {
    if (parsed.status().message().rfind("fuzz.kws: ", 0) != 0) std::abort();
    return;
  }
  if (!Validate(*parsed, "fuzz.kws").ok()) std::abort();
  const std::string again = Serialize(*parsed);
  const tinykws::StatusOr<ModelFile> reparsed = Parse(again, "again");
  if (!reparsed.ok() || Serialize(*reparsed) != again) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  Check(bytes);
  Check(Reseal(bytes));
  return 0;
}
