// Serialize -> Parse gives back the model; the layout matches the spec.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "file_surgery.hpp"
#include "format/model_file.hpp"
#include "model_compare.hpp"
#include "test_model.hpp"

namespace tinykws::format {
namespace {

using testing::AssembleFile;
using testing::GetU32;
using testing::GetU64;
using testing::GoStopLikeModel;
using testing::SplitFile;

TEST(RoundTrip, TestModelsAreValid) {
  for (Precision p : {Precision::kInt8, Precision::kFloat32}) {
    const ModelFile m = GoStopLikeModel(p);
    const Status status = Validate(m, "test model");
    EXPECT_TRUE(status.ok()) << status.message();
    ASSERT_EQ(m.convs.size(), 2u);
    EXPECT_EQ(m.convs[0].in_height, 34);  // go_stop: 34 frames x 10 MFCC
    EXPECT_EQ(m.convs[0].in_width, 10);
    EXPECT_EQ(m.dense.pool_count, 340);
  }
}

TEST(RoundTrip, Int8ModelComesBackFieldByField) {
  const ModelFile m = GoStopLikeModel(Precision::kInt8);
  const StatusOr<ModelFile> parsed = Parse(Serialize(m), "model.kws");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  testing::ExpectModelsEqual(*parsed, m);
}

TEST(RoundTrip, Float32ModelComesBackFieldByField) {
  const ModelFile m = GoStopLikeModel(Precision::kFloat32);
  const StatusOr<ModelFile> parsed = Parse(Serialize(m), "model.kws");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  testing::ExpectModelsEqual(*parsed, m);
}

TEST(RoundTrip, EveryLayerOptionSurvives) {
  ModelFile m = GoStopLikeModel(Precision::kInt8);
  // conv[1]: stride 2, dilation 2, asymmetric pads, no ReLU.
  ConvLayer& c = m.convs[1];
  c.stride_h = c.stride_w = 2;
  c.dilation_h = c.dilation_w = 2;  // span 5
  c.pad_top = 0;
  c.pad_bottom = 3;
  c.pad_left = 4;
  c.pad_right = 1;
  c.out_height = (34 + 3 - 5) / 2 + 1;  // 17
  c.out_width = (10 + 5 - 5) / 2 + 1;   // 6
  c.relu = false;
  c.output_zero_point = 3;
  m.dense.pool_count = c.out_height * c.out_width;
  m.metadata.push_back({"empty", ""});
  m.metadata.push_back({"utf8 \xc3\xa9\xe2\x82\xac", "\xf0\x9f\x8e\xa4"});
  m.labels = {"_silence_", "_unknown_"};
  ASSERT_TRUE(Validate(m, "m").ok()) << Validate(m, "m").message();
  const StatusOr<ModelFile> parsed = Parse(Serialize(m), "model.kws");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  testing::ExpectModelsEqual(*parsed, m);
}

TEST(RoundTrip, SerializeIsDeterministic) {
  const ModelFile m = GoStopLikeModel(Precision::kInt8);
  EXPECT_EQ(Serialize(m), Serialize(m));
  const StatusOr<ModelFile> parsed = Parse(Serialize(m), "model.kws");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(Serialize(*parsed), Serialize(m));
}

TEST(Layout, WriterMatchesAnIndependentAssemblerOfTheSpec) {
  for (Precision p : {Precision::kInt8, Precision::kFloat32}) {
    const std::string bytes = Serialize(GoStopLikeModel(p));
    const auto sections = SplitFile(bytes);
    ASSERT_EQ(sections.size(), p == Precision::kInt8 ? 7u : 6u);
    uint32_t expected_type = 1;
    for (const auto& s : sections) {
      if (p == Precision::kFloat32 && expected_type == 6) ++expected_type;
      EXPECT_EQ(s.type, expected_type++);
    }
    EXPECT_EQ(AssembleFile(sections), bytes);
  }
}

TEST(Layout, HeaderFieldsAndAlignment) {
  const std::string bytes = Serialize(GoStopLikeModel(Precision::kInt8));
  EXPECT_EQ(bytes.substr(0, 8), std::string("TKWS\r\n\x1a\n", 8));
  EXPECT_EQ(GetU32(bytes, 8), 1u);  // a float64 front end: version 1
  EXPECT_EQ(GetU32(bytes, 12), 64u);
  EXPECT_EQ(GetU32(bytes, 16), 7u);
  EXPECT_EQ(GetU32(bytes, 20), 0u);
  EXPECT_EQ(GetU64(bytes, 24), bytes.size());
  for (size_t i = 40; i < 64; ++i) EXPECT_EQ(bytes[i], 0) << i;
  for (uint32_t i = 0; i < 7; ++i) {
    const size_t entry = 64 + 32 * i;
    EXPECT_EQ(GetU64(bytes, entry + 8) % 64, 0u) << i;
  }
  // Record sizes from the spec: features 36, graph 16 + 2 * 76 + 12,
  // weights 216 + 5184 + 48, biases (24 + 24 + 2) * 4,
  // quant (24 + 24) * 12 + 2 * 8.
  const auto sections = SplitFile(bytes);
  EXPECT_EQ(sections[0].payload.size(), 36u);
  EXPECT_EQ(sections[2].payload.size(), 180u);
  EXPECT_EQ(sections[3].payload.size(), 5448u);
  EXPECT_EQ(sections[4].payload.size(), 200u);
  EXPECT_EQ(sections[5].payload.size(), 592u);
}

TEST(Layout, GoStopInt8ModelIsWellUnder8KB) {
  const std::string int8 = Serialize(GoStopLikeModel(Precision::kInt8));
  const std::string fp32 = Serialize(GoStopLikeModel(Precision::kFloat32));
  // 7104 bytes (docs/model-format.md has the breakdown).
  RecordProperty("int8_bytes", static_cast<int>(int8.size()));
  RecordProperty("float32_bytes", static_cast<int>(fp32.size()));
  std::printf("go_stop-like model: int8 %zu bytes, float32 %zu bytes\n",
              int8.size(), fp32.size());
  EXPECT_LT(int8.size(), 8192u);
}

TEST(Layout, UnknownSectionIsSkipped) {
  const ModelFile m = GoStopLikeModel(Precision::kInt8);
  auto sections = SplitFile(Serialize(m));
  sections.insert(sections.begin() + 3, {99, "future data"});
  sections.push_back({0, ""});  // empty, type 0: also unknown
  const StatusOr<ModelFile> parsed = Parse(AssembleFile(sections), "model.kws");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  testing::ExpectModelsEqual(*parsed, m);
}

TEST(Layout, SectionOrderInTheTableIsFree) {
  const ModelFile m = GoStopLikeModel(Precision::kInt8);
  auto sections = SplitFile(Serialize(m));
  std::swap(sections[0], sections[6]);
  std::swap(sections[2], sections[4]);
  const StatusOr<ModelFile> parsed = Parse(AssembleFile(sections), "model.kws");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  testing::ExpectModelsEqual(*parsed, m);
}

}  // namespace
}  // namespace tinykws::format
