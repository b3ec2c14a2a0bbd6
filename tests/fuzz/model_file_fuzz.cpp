// libFuzzer target: the .kws reader (tests/fuzz/README.md).
//
// Each input is parsed twice: as it is, and resealed (CRCs recomputed). Any
// input that parses must be a valid model whose serialization parses again
// to the same bytes; a rejection must be a Status naming the origin.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_util.hpp"

namespace {

using namespace tinykws::format;
using tinykws::fuzz::Require;

void Check(const std::string& bytes) {
  const tinykws::StatusOr<ModelFile> parsed = Parse(bytes, "fuzz.kws");
  if (!parsed.ok()) {
    Require(parsed.status().message().rfind("fuzz.kws: ", 0) == 0);
    return;
  }
  Require(Validate(*parsed, "fuzz.kws").ok());
  const std::string again = Serialize(*parsed);
  const tinykws::StatusOr<ModelFile> reparsed = Parse(again, "again");
  Require(reparsed.ok() && Serialize(*reparsed) == again);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  Check(bytes);
  Check(tinykws::fuzz::Reseal(bytes));
  return 0;
}
