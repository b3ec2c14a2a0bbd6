// The front end's precision in the file: float64 models are written exactly
// as format version 1 always was; float32 ones as version 2, whose
// features record carries the precision.
#include <gtest/gtest.h>

#include <string>

#include "common/atomic_file.hpp"
#include "file_surgery.hpp"
#include "format/layout.hpp"
#include "format/model_file.hpp"
#include "model_compare.hpp"
#include "test_model.hpp"

namespace tinykws::format {
namespace {

using testing::AssembleFile;
using testing::GetU32;
using testing::GoStopLikeModel;
using testing::SplitFile;

ModelFile Float32FrontEnd() {
  ModelFile m = GoStopLikeModel(Precision::kInt8);
  m.features.precision = FeaturePrecision::kFloat32;
  return m;
}

void ExpectRefused(const std::string& bytes, const std::string& text) {
  const StatusOr<ModelFile> parsed = Parse(bytes, "m.kws");
  ASSERT_FALSE(parsed.ok()) << "accepted; expected: " << text;
  EXPECT_NE(parsed.status().message().find(text), std::string::npos)
      << parsed.status().message();
}

TEST(FrontEndFormat, CommittedVersion1FilesAreRewrittenByteForByte) {
  for (const char* name : {"go_stop_tuned.kws", "go_stop_seed.kws"}) {
    SCOPED_TRACE(name);
    const std::string path =
        std::string(TINYKWS_SOURCE_DIR) + "/tests/runtime/data/" + name;
    StatusOr<ModelFile> file = ReadModelFile(path);
    ASSERT_TRUE(file.ok()) << file.status().message();
    EXPECT_EQ(file->features.precision, FeaturePrecision::kFloat64);
    StatusOr<std::string> bytes = ReadWholeFile(path, kMaxFileBytes);
    ASSERT_TRUE(bytes.ok()) << bytes.status().message();
    EXPECT_EQ(GetU32(*bytes, kOffVersion), 1u);
    EXPECT_TRUE(Serialize(*file) == *bytes);
  }
}

TEST(FrontEndFormat, Float32ModelIsVersion2WithA40ByteRecord) {
  const ModelFile m = Float32FrontEnd();
  const std::string bytes = Serialize(m);
  EXPECT_EQ(GetU32(bytes, kOffVersion), 2u);
  const auto sections = SplitFile(bytes);
  ASSERT_EQ(sections[0].type, 1u);
  ASSERT_EQ(sections[0].payload.size(), 40u);
  EXPECT_EQ(GetU32(sections[0].payload, 36), 1u);  // float32
  // Everything after the precision field is as version 1 writes it.
  const std::string v1 = Serialize(GoStopLikeModel(Precision::kInt8));
  EXPECT_EQ(sections[0].payload.substr(0, 36), SplitFile(v1)[0].payload);
  const StatusOr<ModelFile> parsed = Parse(bytes, "m.kws");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->features.precision, FeaturePrecision::kFloat32);
  testing::ExpectModelsEqual(*parsed, m);
}

TEST(FrontEndFormat, RecordSizeMustMatchTheVersion) {
  auto v2 = SplitFile(Serialize(Float32FrontEnd()));
  auto v1 = SplitFile(Serialize(GoStopLikeModel(Precision::kInt8)));
  // A version-1 record in a version-2 file, and the other way round.
  ExpectRefused(AssembleFile(v1, 2), "expected 40 bytes, found 36");
  ExpectRefused(AssembleFile(v2, 1), "expected 36 bytes, found 40");
  EXPECT_TRUE(Parse(AssembleFile(v2, 2), "m.kws").ok());
}

TEST(FrontEndFormat, UnknownPrecisionIsRefusedByName) {
  for (uint32_t value : {2u, 7u, 0xFFFFFFFFu}) {
    auto sections = SplitFile(Serialize(Float32FrontEnd()));
    testing::SetU32(sections[0].payload, 36, value);
    ExpectRefused(AssembleFile(sections, 2), "precision");
  }
  // 0 (float64) would be a second encoding of a version-1 model: refused.
  auto sections = SplitFile(Serialize(Float32FrontEnd()));
  testing::SetU32(sections[0].payload, 36, 0);
  ExpectRefused(AssembleFile(sections, 2),
                "format version 2 records a float32 front end");
}

}  // namespace
}  // namespace tinykws::format
