// The reader on damaged bytes (a Status, never a crash: these tests also run
// under ASan), the flatbuffer layout rules, and the writer's refusals.
#include <random>

#include "interop/flatbuffer_builder.hpp"
#include "interop/flatbuffer_reader.hpp"
#include "tflite_test_util.hpp"

namespace tinykws::testing {
namespace {

using interop::ParseTflite;
using interop::TfliteGraph;

std::string SmallModelBytes() {
  const StatusOr<std::string> bytes =
      interop::ToTflite(Int8Model({ConvShape{4, 3, 3, 2, 2, 1, 1, true}}, 2));
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : std::string();
}

// A damaged file either parses into exactly the original graph or fails.
void ExpectOriginalOrError(const std::string& damaged,
                           const std::string& original) {
  const StatusOr<TfliteGraph> g = ParseTflite(damaged);
  if (!g.ok()) {
    EXPECT_FALSE(g.status().message().empty());
    return;
  }
  // Only bytes the reader never looks at (padding) may change silently.
  EXPECT_EQ(interop::SerializeTflite(*g).size(), original.size());
}

TEST(TfliteReaderErrorTest, EveryTruncationIsAnErrorOrHarmless) {
  const std::string bytes = SmallModelBytes();
  ASSERT_GT(bytes.size(), 100u);
  int errors = 0;
  for (size_t n = 0; n < bytes.size(); ++n) {
    const std::string cut = bytes.substr(0, n);
    ExpectOriginalOrError(cut, bytes);
    errors += !ParseTflite(cut).ok();
  }
  // Only the final padding (at most 3 bytes) can go unnoticed.
  EXPECT_GE(errors, static_cast<int>(bytes.size()) - 3) << bytes.size();
}

TEST(TfliteReaderErrorTest, RandomByteCorruptionNeverCrashes) {
  const std::string bytes = SmallModelBytes();
  std::mt19937 rng(11);
  std::uniform_int_distribution<size_t> at(0, bytes.size() - 1);
  std::uniform_int_distribution<int> value(0, 255);
  for (int trial = 0; trial < 3000; ++trial) {
    std::string damaged = bytes;
    for (int k = 0; k < 1 + trial % 4; ++k) {
      damaged[at(rng)] = static_cast<char>(value(rng));
    }
    const StatusOr<TfliteGraph> g = ParseTflite(damaged);
    if (!g.ok()) {
      EXPECT_FALSE(g.status().message().empty());
    }
  }
}

TEST(TfliteReaderErrorTest, NamesWhatIsWrong) {
  EXPECT_NE(ParseTflite("").status().message().find("0 bytes"),
            std::string::npos);
  std::string bytes = SmallModelBytes();
  std::string other = bytes;
  other.replace(4, 4, "TFL2");
  EXPECT_NE(ParseTflite(other).status().message().find("TFL3"),
            std::string::npos);
  other = bytes;
  other.replace(0, 4, std::string("\xfc\xff\xff\x7f", 4));  // root far away
  EXPECT_NE(ParseTflite(other).status().message().find("outside"),
            std::string::npos);

  StatusOr<TfliteGraph> g = ParseTflite(bytes);
  ASSERT_TRUE(g.ok()) << g.status();
  TfliteGraph broken = *g;
  broken.version = 4;
  EXPECT_EQ(ParseTflite(interop::SerializeTflite(broken)).status().code(),
            StatusCode::kUnsupported);
  broken = *g;
  broken.tensors[3].buffer = 999;
  EXPECT_NE(ParseTflite(interop::SerializeTflite(broken))
                .status()
                .message()
                .find("uses buffer 999"),
            std::string::npos);
  broken = *g;
  broken.operators[1].inputs[0] = 77;
  EXPECT_NE(ParseTflite(interop::SerializeTflite(broken))
                .status()
                .message()
                .find("names tensor 77"),
            std::string::npos);
  broken = *g;
  broken.metadata[0].second = 1000;
  EXPECT_FALSE(ParseTflite(interop::SerializeTflite(broken)).ok());
  broken = *g;
  broken.tensors[1].zero_point.push_back(0);
  EXPECT_FALSE(ParseTflite(interop::SerializeTflite(broken)).ok());
}

TEST(TfliteReaderErrorTest, HugeVectorCountIsRejectedBeforeAllocating) {
  namespace fb = interop::flatbuffer;
  fb::Builder b;
  const fb::Ref root =
      b.Table({fb::Field::Offset(0, b.Vector(std::vector<int32_t>{1, 2, 3}))});
  std::string bytes = b.Finish(root, "TEST");
  // The vector's count follows the table: find it and claim 2^30 entries.
  const size_t count_at = bytes.find(std::string("\x03\0\0\0", 4));
  ASSERT_NE(count_at, std::string::npos);
  bytes.replace(count_at, 4, std::string("\0\0\0\x40", 4));
  fb::Reader r(bytes);
  EXPECT_TRUE(r.ScalarVector<int32_t>(r.Root(), 0, "numbers").empty());
  EXPECT_NE(r.error().find("claims 1073741824 elements"), std::string::npos)
      << r.error();
}

TEST(FlatbufferBuilderTest, AlignsPayloadsAndReadsBack) {
  namespace fb = interop::flatbuffer;
  fb::Builder b;
  const fb::Ref root = b.Table(
      {fb::Field::Scalar<int8_t>(0, -5), fb::Field::Offset(1, b.String("abc")),
       fb::Field::Offset(2, b.Vector(std::vector<int64_t>{7, -8})),
       fb::Field::Offset(3, b.Bytes("xyz", 16)),
       fb::Field::Scalar<uint32_t>(5, 123456u)});
  const std::string bytes = b.Finish(root, "TEST");
  EXPECT_EQ(bytes.size() % 4, 0u);
  fb::Reader r(bytes);
  EXPECT_EQ(r.Identifier(), "TEST");
  const fb::Reader::Table t = r.Root();
  EXPECT_EQ(t.pos % 4, 0u);
  EXPECT_EQ(r.Scalar<int8_t>(t, 0, 0), -5);
  EXPECT_EQ(r.String(t, 1, "s"), "abc");
  EXPECT_EQ(r.Vector(t, 2, 8, "v").data % 8, 0u);
  EXPECT_EQ(r.ScalarVector<int64_t>(t, 2, "v"), (std::vector<int64_t>{7, -8}));
  EXPECT_EQ(r.Vector(t, 3, 1, "b").data % 16, 0u);
  EXPECT_FALSE(r.Has(t, 4));
  EXPECT_EQ(r.Scalar<uint32_t>(t, 4, 99u), 99u);  // absent: the default
  EXPECT_EQ(r.Scalar<uint32_t>(t, 5, 0u), 123456u);
  EXPECT_EQ(r.Scalar<uint32_t>(t, 40, 1u), 1u);  // beyond the vtable
  EXPECT_TRUE(r.ok()) << r.error();
}

TEST(TfliteWriterRefusalTest, InvalidModelsAreRefusedWithAStatus) {
  format::ModelFile m = Int8Model({ConvShape{}}, 2);
  m.labels.pop_back();  // the dense layer still has 2 outputs
  StatusOr<std::string> bytes = interop::ToTflite(m);
  ASSERT_FALSE(bytes.ok());
  EXPECT_NE(bytes.status().message().find("tflite export"), std::string::npos)
      << bytes.status();

  format::ModelFile empty;
  EXPECT_FALSE(interop::ToTflite(empty).ok());

  m = Int8Model({ConvShape{}}, 2);
  m.convs[0].weight_scales[0] = -1.0f;
  EXPECT_FALSE(interop::ToTflite(m).ok());
}

// TFLite's kernels requantize with input * weight / output scale: a model
// whose fixed-point multipliers say something else cannot be written
// faithfully (the same rule as the ONNX writer's).
TEST(TfliteWriterRefusalTest, RefusesMultipliersThatDisagreeWithTheScales) {
  format::ModelFile m = Int8Model({ConvShape{}, ConvShape{}}, 2);
  m.convs[1].multipliers[2] -= m.convs[1].multipliers[2] / 100;
  StatusOr<std::string> bytes = interop::ToTflite(m);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(bytes.status().message().find("tflite export: conv[1] channel 2"),
            std::string::npos)
      << bytes.status();
}

}  // namespace
}  // namespace tinykws::testing
