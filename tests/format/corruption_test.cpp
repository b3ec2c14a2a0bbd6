// Damaged, truncated, hostile and future files: every one gives a clean
// error naming the problem, never a crash, an out-of-bounds read (run under
// ASan/valgrind) or a huge allocation.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "alloc_probe.hpp"
#include "file_surgery.hpp"
#include "format/model_file.hpp"
#include "test_model.hpp"

namespace tinykws::format {
namespace {

using testing::AssembleFile;
using testing::GetU64;
using testing::GoStopLikeModel;
using testing::RawSection;
using testing::ResealHeader;
using testing::SetU32;
using testing::SetU64;
using testing::SplitFile;

constexpr char kOrigin[] = "model.kws";

std::string ValidFile(Precision p = Precision::kInt8) {
  return Serialize(GoStopLikeModel(p));
}

// Parse must fail with a message that starts with the origin and contains
// the given text; returns the status for further checks.
Status ExpectRejected(const std::string& bytes, const std::string& text) {
  const StatusOr<ModelFile> parsed = Parse(bytes, kOrigin);
  EXPECT_FALSE(parsed.ok()) << "accepted; expected an error with: " << text;
  if (parsed.ok()) return Status::Ok();
  const std::string& message = parsed.status().message();
  EXPECT_EQ(message.rfind(std::string(kOrigin) + ": ", 0), 0u) << message;
  EXPECT_NE(message.find(text), std::string::npos)
      << "expected '" << text << "' in: " << message;
  return parsed.status();
}

// Replaces one section's payload (CRCs and offsets are recomputed).
std::string WithPayload(const std::string& file, uint32_t type,
                        void (*edit)(std::string&)) {
  std::vector<RawSection> sections = SplitFile(file);
  for (RawSection& s : sections) {
    if (s.type == type) edit(s.payload);
  }
  return AssembleFile(sections);
}

TEST(Corruption, TruncatedAtEveryLength) {
  for (Precision p : {Precision::kInt8, Precision::kFloat32}) {
    const std::string file = ValidFile(p);
    for (size_t n = 0; n < file.size(); ++n) {
      const StatusOr<ModelFile> parsed = Parse(file.substr(0, n), kOrigin);
      ASSERT_FALSE(parsed.ok()) << n;
      EXPECT_EQ(parsed.status().code(), StatusCode::kFormatError) << n;
    }
  }
  ExpectRejected(ValidFile().substr(0, 8), "truncated header");
  ExpectRejected(ValidFile().substr(0, 1000), "truncated");
}

TEST(Corruption, EveryBitFlipInHeaderAndTableIsDetected) {
  const std::string file = ValidFile();
  const size_t table_end = 64 + 32 * 7;
  for (size_t i = 0; i < table_end; ++i) {
    for (int mask : {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xFF}) {
      std::string bad = file;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      const StatusOr<ModelFile> parsed = Parse(bad, kOrigin);
      ASSERT_FALSE(parsed.ok()) << "byte " << i << " mask " << mask;
    }
  }
}

TEST(Corruption, EveryByteFlipAnywhereIsDetected) {
  // Header and table: CRCs; payloads: their CRC; padding: must be zero.
  for (Precision p : {Precision::kInt8, Precision::kFloat32}) {
    std::string file = ValidFile(p);
    const std::vector<int> masks = p == Precision::kInt8
                                       ? std::vector<int>{0x01, 0xFF}
                                       : std::vector<int>{0x80};
    for (size_t i = 0; i < file.size(); ++i) {
      for (int mask : masks) {
        file[i] = static_cast<char>(file[i] ^ mask);
        ASSERT_FALSE(Parse(file, kOrigin).ok()) << "byte " << i;
        file[i] = static_cast<char>(file[i] ^ mask);
      }
    }
  }
}

TEST(Corruption, PayloadFlipNamesTheSection) {
  const char* names[] = {"",        "features", "labels", "graph",
                         "weights", "biases",   "quant",  "metadata"};
  const std::string file = ValidFile();
  for (uint32_t i = 0; i < 7; ++i) {
    const size_t entry = 64 + 32 * i;
    const uint32_t type = testing::GetU32(file, entry);
    const uint64_t offset = GetU64(file, entry + 8);
    const uint64_t length = GetU64(file, entry + 16);
    std::string bad = file;
    bad[offset + length / 2] = static_cast<char>(bad[offset + length / 2] ^ 4);
    ExpectRejected(bad, std::string("model.kws: section '") + names[type] +
                            "' CRC mismatch");
  }
}

TEST(Corruption, NotAModelFile) {
  ExpectRejected("", "not a tinykws model file");
  ExpectRejected("TKWS", "not a tinykws model file");
  ExpectRejected(
      "hello, world, this is a text file, not a model at all......"
      "................",
      "not a tinykws model file");
  std::string file = ValidFile();
  file[4] = '\n';  // CR LF -> LF LF, as a text-mode transfer would do
  ExpectRejected(file, "not a tinykws model file");
}

TEST(Corruption, FutureVersionIsUnsupported) {
  for (uint32_t version : {3u, 7u, 0xFFFFFFFFu}) {
    std::string file = ValidFile();
    SetU32(file, 8, version);  // not resealed: refused before the CRC check
    const Status status = ExpectRejected(
        file, "written by a newer tinykws (format version " +
                  std::to_string(version) + ", this build reads up to 2)");
    EXPECT_EQ(status.code(), StatusCode::kUnsupported);
  }
  std::string file = ValidFile();
  SetU32(file, 8, 0);
  ExpectRejected(file, "format version 0");
}

TEST(Corruption, HeaderFieldsAreChecked) {
  std::string file = ValidFile();
  file += '\0';
  ExpectRejected(file, "file size mismatch (expected 7118");

  struct Case {
    size_t at;
    uint32_t value;
    const char* text;
  } cases[] = {{12, 128, "header size"},
               {20, 1, "header flags"},
               {40, 1, "reserved"},
               {60, 0x01000000, "reserved"},
               {36, 1234, "section table CRC mismatch"}};
  for (const Case& c : cases) {
    std::string bad = ValidFile();
    SetU32(bad, c.at, c.value);
    ExpectRejected(bad, "header CRC mismatch");
    SetU32(bad, 32, 0);
    SetU32(bad, 32, Crc32(bad.data(), 64));  // reseal the header only
    ExpectRejected(bad, c.text);
  }
}

TEST(Corruption, TableEntriesAreChecked) {
  const std::string file = ValidFile();
  const size_t weights_entry = 64 + 32 * 3;
  struct Case {
    size_t at;
    uint64_t value;
    bool wide;
    const char* text;
  } cases[] = {
      {weights_entry + 4, 1, false, "section 'weights' has flags"},
      {weights_entry + 28, 1, false, "section 'weights' has flags"},
      {weights_entry + 8, 1ull << 63, true, "section 'weights' starts at"},
      {weights_entry + 8, 704, true, "section 'weights' starts at"},
      {weights_entry + 16, 1ull << 63, true,
       "section 'weights' runs past the end"},
      {weights_entry + 16, ~0ull, true, "section 'weights' runs past the end"},
      {weights_entry + 16, 5447, true, "section 'weights' CRC mismatch"},
      {weights_entry + 24, 0, false, "section 'weights' CRC mismatch"},
      {64 + 32 * 6 + 16, 1000, true, "section 'metadata' runs past the end"},
  };
  for (const Case& c : cases) {
    std::string bad = file;
    if (c.wide) {
      SetU64(bad, c.at, c.value);
    } else {
      SetU32(bad, c.at, static_cast<uint32_t>(c.value));
    }
    ResealHeader(bad);
    ExpectRejected(bad, c.text);
  }
  std::string bad = file;
  bad[GetU64(file, 64 + 32 * 4 + 8) - 1] = 1;  // padding before 'biases'
  ExpectRejected(bad, "section 'biases': the padding before it is not zero");
  std::string longer = file + std::string(64, '\0');
  SetU64(longer, 24, longer.size());
  ResealHeader(longer);
  ExpectRejected(longer, "file continues after the last section");
}

TEST(Corruption, SectionsPresentExactlyOnce) {
  const std::vector<RawSection> sections = SplitFile(ValidFile());
  for (size_t i = 0; i < sections.size(); ++i) {
    std::vector<RawSection> fewer = sections;
    fewer.erase(fewer.begin() + static_cast<long>(i));
    ExpectRejected(AssembleFile(fewer), "required section '");
    std::vector<RawSection> more = sections;
    more.push_back(sections[i]);
    ExpectRejected(AssembleFile(more), "' appears more than once");
  }
  auto fp32 = SplitFile(ValidFile(Precision::kFloat32));
  fp32.push_back(sections[5]);
  ExpectRejected(AssembleFile(fp32), "section 'quant' is present in a float32");
  ExpectRejected(AssembleFile({}), "required section 'features' is missing");
}

TEST(Corruption, RecordSizesAreExact) {
  const std::string file = ValidFile();
  for (uint32_t type = 1; type <= 7; ++type) {
    const std::string longer =
        WithPayload(file, type, [](std::string& p) { p += '\0'; });
    EXPECT_FALSE(Parse(longer, kOrigin).ok()) << type;
    const std::string shorter =
        WithPayload(file, type, [](std::string& p) { p.pop_back(); });
    EXPECT_FALSE(Parse(shorter, kOrigin).ok()) << type;
  }
  ExpectRejected(WithPayload(file, 1, [](std::string& p) { p += "x"; }),
                 "section 'features' has the wrong size (expected 36 bytes");
  ExpectRejected(WithPayload(file, 2, [](std::string& p) { p += "x"; }),
                 "section 'labels' has unexpected bytes at its end");
  ExpectRejected(WithPayload(file, 4, [](std::string& p) { p.pop_back(); }),
                 "section 'weights' has the wrong size (expected 5448 bytes, "
                 "found 5447)");
  ExpectRejected(WithPayload(file, 6, [](std::string& p) { p += "abcd"; }),
                 "section 'quant' has the wrong size");
  ExpectRejected(WithPayload(file, 3, [](std::string& p) { SetU32(p, 0, 3); }),
                 "graph precision is unknown (expected 1 = int8 or 2 = "
                 "float32, found 3)");
  ExpectRejected(
      WithPayload(file, 3, [](std::string& p) { SetU32(p, 16 + 16 * 4, 2); }),
      "relu flag is invalid");
  // An int8 graph with float32-sized arrays.
  ExpectRejected(
      WithPayload(file, 3, [](std::string& p) { SetU32(p, 0, 2); }),
      "section 'weights' has the wrong size (expected 21792 bytes, found "
      "5448)");
}

TEST(Corruption, AbsurdCountsFailWithoutHugeAllocations) {
  const std::string file = ValidFile();
  struct Case {
    std::string bytes;
    const char* text;
    StatusCode code;
  };
  std::vector<Case> cases;
  {
    std::string bad = file;
    SetU32(bad, 16, 1u << 31);
    ResealHeader(bad);
    cases.push_back({bad, "section count 2147483648 exceeds the limit of 32",
                     StatusCode::kFormatError});
  }
  {
    std::string bad = file;
    SetU32(bad, 16, 32);
    ResealHeader(bad);
    cases.push_back({bad, "section 'features' starts at the wrong offset",
                     StatusCode::kFormatError});
  }
  cases.push_back(
      {WithPayload(file, 2, [](std::string& p) { SetU32(p, 0, ~0u); }),
       "section 'labels' count 4294967295 exceeds its limit",
       StatusCode::kFormatError});
  cases.push_back(
      {WithPayload(file, 2, [](std::string& p) { SetU32(p, 0, 1000); }),
       "section 'labels' count 1000 exceeds its limit or the section",
       StatusCode::kFormatError});
  cases.push_back(
      {WithPayload(file, 2, [](std::string& p) { SetU32(p, 4, ~0u); }),
       "label 0 runs past the end of the section", StatusCode::kFormatError});
  cases.push_back(
      {WithPayload(file, 2, [](std::string& p) { SetU32(p, 4, 200); }),
       "label 0 runs past the end", StatusCode::kFormatError});
  cases.push_back(
      {WithPayload(file, 7, [](std::string& p) { SetU32(p, 0, ~0u); }),
       "section 'metadata' count 4294967295 exceeds",
       StatusCode::kFormatError});
  cases.push_back(
      {WithPayload(file, 7, [](std::string& p) { SetU32(p, 4, 60000); }),
       "metadata entry 0 key runs past the end", StatusCode::kFormatError});
  cases.push_back(
      {WithPayload(file, 3, [](std::string& p) { SetU32(p, 12, ~0u); }),
       "graph conv count 4294967295 exceeds the limit of 64",
       StatusCode::kFormatError});
  cases.push_back(
      {WithPayload(file, 3, [](std::string& p) { SetU32(p, 12, 64); }),
       "section 'graph' has the wrong size", StatusCode::kFormatError});
  // Channels and kernel at their limits: the chain check stops it before
  // the implied 1024 * 64 * 64 * 1024 weights are sized.
  cases.push_back({WithPayload(file, 3,
                               [](std::string& p) {
                                 SetU32(p, 16 + 76 + 0, 1024);
                                 SetU32(p, 16 + 76 + 4, 1024);
                                 SetU32(p, 16 + 76 + 8, 64);
                                 SetU32(p, 16 + 76 + 12, 64);
                               }),
                   "conv[1] in_channels does not match the shape chain",
                   StatusCode::kFormatError});
  cases.push_back(
      {WithPayload(file, 3, [](std::string& p) { SetU32(p, 16 + 4, -5); }),
       "conv[0] out_channels out of range (expected 1..1024, "
       "found -5)",
       StatusCode::kFormatError});
  for (const Case& c : cases) {
    testing::ResetLargestAllocation();
    const Status status = ExpectRejected(c.bytes, c.text);
    EXPECT_EQ(status.code(), c.code) << status.message();
    EXPECT_LT(testing::LargestAllocation(), size_t{64} << 10) << c.text;
  }
}

}  // namespace
}  // namespace tinykws::format
