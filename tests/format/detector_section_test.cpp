// The optional 'detector' section (type 8): round trip, exact record size,
// rules, and files without it.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "file_surgery.hpp"
#include "format/model_file.hpp"
#include "model_compare.hpp"
#include "test_model.hpp"

namespace tinykws::format {
namespace {

using testing::AssembleFile;
using testing::GetU32;
using testing::GoStopLikeModel;
using testing::SplitFile;

ModelFile WithDetector() {
  ModelFile m = GoStopLikeModel(Precision::kInt8);
  m.has_detector = true;
  m.detector.hop_frames = 3;
  m.detector.smoothing_runs = 4;
  m.detector.refractory_ms = 750.0f;
  m.detector.thresholds = {0.8125f, 0.96875f};
  return m;
}

TEST(DetectorSection, RoundTripsAfterTheOtherSections) {
  const ModelFile m = WithDetector();
  const std::string bytes = Serialize(m);
  const auto sections = SplitFile(bytes);
  ASSERT_EQ(sections.size(), 8u);
  EXPECT_EQ(sections[7].type, 8u);
  // 12 + 4 * labels bytes: hop, smoothing, refractory, thresholds.
  const std::string& payload = sections[7].payload;
  ASSERT_EQ(payload.size(), 12u + 4u * 2u);
  EXPECT_EQ(GetU32(payload, 0), 3u);
  EXPECT_EQ(GetU32(payload, 4), 4u);
  EXPECT_EQ(GetU32(payload, 8), testing::Bits(750.0f));
  EXPECT_EQ(GetU32(payload, 12), testing::Bits(0.8125f));
  EXPECT_EQ(GetU32(payload, 16), testing::Bits(0.96875f));
  const StatusOr<ModelFile> parsed = Parse(bytes, "model.kws");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  testing::ExpectModelsEqual(*parsed, m);
  EXPECT_EQ(AssembleFile(sections), bytes);
}

TEST(DetectorSection, FilesWithoutItParseWithoutDetector) {
  const StatusOr<ModelFile> parsed =
      Parse(Serialize(GoStopLikeModel(Precision::kInt8)), "old.kws");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_FALSE(parsed->has_detector);
  EXPECT_TRUE(parsed->detector.thresholds.empty());
}

TEST(DetectorSection, RecordSizeMustMatchTheLabels) {
  auto sections = SplitFile(Serialize(WithDetector()));
  sections[7].payload += std::string(4, '\0');
  StatusOr<ModelFile> parsed = Parse(AssembleFile(sections), "m.kws");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kFormatError);
  EXPECT_NE(parsed.status().message().find("section 'detector' has the wrong "
                                           "size (expected 20 bytes, found "
                                           "24)"),
            std::string::npos)
      << parsed.status().message();
  sections[7].payload.resize(8);
  EXPECT_FALSE(Parse(AssembleFile(sections), "m.kws").ok());
}

TEST(DetectorSection, AtMostOnce) {
  auto sections = SplitFile(Serialize(WithDetector()));
  sections.push_back(sections[7]);
  StatusOr<ModelFile> parsed = Parse(AssembleFile(sections), "m.kws");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("'detector' appears more than once"),
            std::string::npos);
}

TEST(DetectorSection, RulesAreChecked) {
  struct Case {
    const char* expect;
    void (*change)(DetectorParams&);
  };
  const Case cases[] = {
      {"hop_frames out of range (expected 1..34, found 0)",
       [](DetectorParams& d) { d.hop_frames = 0; }},
      {"hop_frames out of range (expected 1..34, found 35)",
       [](DetectorParams& d) { d.hop_frames = 35; }},
      {"smoothing_runs out of range (expected 1..64, found 0)",
       [](DetectorParams& d) { d.smoothing_runs = 0; }},
      {"smoothing_runs out of range (expected 1..64, found 65)",
       [](DetectorParams& d) { d.smoothing_runs = 65; }},
      {"refractory_ms must be in 0..60000",
       [](DetectorParams& d) { d.refractory_ms = -1.0f; }},
      {"refractory_ms must be in 0..60000",
       [](DetectorParams& d) { d.refractory_ms = 1.0f / 0.0f; }},
      {"threshold 1 is outside [0, 1]",
       [](DetectorParams& d) { d.thresholds[1] = 1.5f; }},
      {"threshold 0 is outside [0, 1]",
       [](DetectorParams& d) { d.thresholds[0] = std::nanf(""); }},
      {"section 'detector' has the wrong size (expected 20 bytes, found 24)",
       [](DetectorParams& d) { d.thresholds.push_back(0.5f); }},
  };
  for (const Case& c : cases) {
    ModelFile m = WithDetector();
    c.change(m.detector);
    const Status status = Validate(m, "m");
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << c.expect;
    EXPECT_NE(status.message().find(c.expect), std::string::npos)
        << status.message();
    // The same model written by hand fails to parse, with the same reason.
    if (m.detector.thresholds.size() == 2) {
      const StatusOr<ModelFile> parsed = Parse(Serialize(m), "m.kws");
      ASSERT_FALSE(parsed.ok()) << c.expect;
      EXPECT_EQ(parsed.status().code(), StatusCode::kFormatError);
      EXPECT_NE(parsed.status().message().find(c.expect), std::string::npos)
          << parsed.status().message();
    }
  }
}

// A spotter's overrides go through the same rules as the section, plus the
// one a vector can break: one threshold per label.
TEST(DetectorSection, OverridesAreCheckedByTheSameRules) {
  DetectorParams p = DefaultDetectorParams(2);
  EXPECT_TRUE(ValidateDetectorParams(p, 2, 34).ok());
  p.thresholds.push_back(0.5f);
  Status status = ValidateDetectorParams(p, 2, 34);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "detector has 3 thresholds, expected one per label (2)");
  p = DefaultDetectorParams(2);
  p.hop_frames = 35;
  status = ValidateDetectorParams(p, 2, 34);
  EXPECT_EQ(status.message(),
            "detector hop_frames out of range (expected 1..34, found 35)");
  p = DefaultDetectorParams(2);
  p.refractory_ms = 60001.0f;
  EXPECT_EQ(ValidateDetectorParams(p, 2, 34).message(),
            "detector refractory_ms must be in 0..60000");
}

TEST(DetectorSection, HugeFieldsAreRejectedNotWrapped) {
  auto sections = SplitFile(Serialize(WithDetector()));
  for (size_t at : {size_t{0}, size_t{4}}) {
    auto changed = sections;
    testing::SetU32(changed[7].payload, at, 0x80000001u);
    const StatusOr<ModelFile> parsed = Parse(AssembleFile(changed), "m.kws");
    ASSERT_FALSE(parsed.ok());
    EXPECT_NE(parsed.status().message().find("found 2147483649)"),
              std::string::npos)
        << parsed.status().message();
  }
}

TEST(DetectorSection, EveryByteFlipIsDetected) {
  const std::string bytes = Serialize(WithDetector());
  const auto sections = SplitFile(bytes);
  const size_t begin = testing::GetU64(bytes, 64 + 32 * 7 + 8);
  for (size_t i = begin; i < bytes.size(); ++i) {
    std::string bad = bytes;
    bad[i] = static_cast<char>(bad[i] ^ 0x5A);
    EXPECT_FALSE(Parse(bad, "m.kws").ok()) << "byte " << i;
  }
}

}  // namespace
}  // namespace tinykws::format
