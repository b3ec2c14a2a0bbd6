// The micro reader and the C++ reader agree on every single-byte change of a
// model (as stored, and with every CRC recomputed so the semantic rules are
// reached) and on every truncation; versions, arena size and alignment.
#include "../common/reseal_model.hpp"
#include "format/model_file.hpp"
#include "micro_test_util.hpp"
#include "test_models.hpp"

namespace tinykws::micro_test {
namespace {

using testing::Reseal;

bool MicroAccepts(const std::string& bytes, std::string* message) {
  char error[256];
  size_t arena = 0;
  const kws_micro_status s = kws_micro_arena_size(Bytes(bytes), bytes.size(),
                                                  &arena, error, sizeof error);
  *message = error;
  if (s == KWS_MICRO_OK) {
    EXPECT_GT(arena, 0u);
  }
  EXPECT_FALSE(message->empty() && s != KWS_MICRO_OK)
      << "an error needs a message";
  return s == KWS_MICRO_OK;
}

void ExpectAgreement(const std::string& bytes, const std::string& what) {
  std::string message;
  const bool micro = MicroAccepts(bytes, &message);
  const StatusOr<format::ModelFile> cpp = format::Parse(bytes, "model");
  EXPECT_EQ(micro, cpp.ok())
      << what << ": micro says '" << message << "', C++ says '"
      << (cpp.ok() ? "ok" : cpp.status().message()) << "'";
}

TEST(MicroValidate, EverySingleByteChangeAgreesWithTheCppReader) {
  std::vector<std::pair<std::string, std::string>> models = TestModels();
  // Format version 2: the precision field and the 40-byte record.
  models.push_back({"four_class_float32",
                    WithFloat32FrontEnd(format::Serialize(FourClassModel()))});
  for (const auto& [name, bytes] : models) {
    if (name == "go_stop_seed") continue;  // same structure as tuned
    SCOPED_TRACE(name);
    std::string message;
    ASSERT_TRUE(MicroAccepts(bytes, &message)) << message;
    for (size_t i = 0; i < bytes.size(); ++i) {
      for (uint8_t mask : {0x01, 0x80, 0xFF}) {
        std::string changed = bytes;
        changed[i] = static_cast<char>(changed[i] ^ mask);
        if (mask == 0xFF) {  // as stored: a CRC always catches it
          EXPECT_FALSE(MicroAccepts(changed, &message)) << "byte " << i;
        }
        ExpectAgreement(Reseal(changed), "byte " + std::to_string(i) + " ^ " +
                                             std::to_string(mask) +
                                             ", resealed");
      }
    }
  }
}

TEST(MicroValidate, EveryTruncationIsRefused) {
  const std::string bytes = format::Serialize(testing::ToneModelFile(true));
  for (size_t n = 0; n < bytes.size(); ++n) {
    std::string message;
    EXPECT_FALSE(MicroAccepts(bytes.substr(0, n), &message)) << n;
    ExpectAgreement(bytes.substr(0, n), "truncated to " + std::to_string(n));
  }
}

TEST(MicroValidate, NewerVersionsAreRefusedWithTheirNumber) {
  std::string bytes = TrainedModel("go_stop_tuned.kws");
  bytes[8] = 3;
  char error[256];
  size_t arena = 0;
  EXPECT_EQ(kws_micro_arena_size(Bytes(bytes), bytes.size(), &arena, error,
                                 sizeof error),
            KWS_MICRO_UNSUPPORTED);
  EXPECT_STREQ(error,
               "model: written by a newer tinykws (format version 3, this "
               "build reads up to 2)");
  // Version 2 with a 36-byte features record (version 1's) is refused.
  bytes[8] = 2;
  EXPECT_EQ(kws_micro_arena_size(Bytes(Reseal(bytes)), bytes.size(), &arena,
                                 error, sizeof error),
            KWS_MICRO_BAD_MODEL);
  EXPECT_STREQ(error,
               "model: section 'features' has the wrong size (expected 40 "
               "bytes, found 36)");
}

TEST(MicroValidate, FloatWeightsAreUnsupported) {
  const std::string bytes = format::Serialize(testing::ToneModelFile(false));
  char error[256];
  size_t arena = 0;
  EXPECT_EQ(kws_micro_arena_size(Bytes(bytes), bytes.size(), &arena, error,
                                 sizeof error),
            KWS_MICRO_UNSUPPORTED);
  EXPECT_NE(std::string(error).find("float32 weights are not supported"),
            std::string::npos);
}

TEST(MicroValidate, CorruptedSectionNamesTheSection) {
  std::string bytes = TrainedModel("go_stop_tuned.kws");
  const size_t graph = 64 + 32 * 2;  // the third table entry
  ASSERT_EQ(format::LoadU32(Bytes(bytes) + graph), 3u);
  bytes[format::LoadU64(Bytes(bytes) + graph + 8) + 20] ^= 1;
  char error[256];
  size_t arena = 0;
  EXPECT_EQ(kws_micro_arena_size(Bytes(bytes), bytes.size(), &arena, error,
                                 sizeof error),
            KWS_MICRO_BAD_MODEL);
  EXPECT_STREQ(error, "model: section 'graph' CRC mismatch");
}

TEST(MicroValidate, ArenaMustBeLargeEnoughAndAligned) {
  const std::string bytes = TrainedModel("go_stop_tuned.kws");
  char error[256];
  size_t need = 0;
  ASSERT_EQ(kws_micro_arena_size(Bytes(bytes), bytes.size(), &need, error,
                                 sizeof error),
            KWS_MICRO_OK);
  // One byte short, in a buffer with a known pattern: refused, nothing written.
  std::vector<uint64_t> buffer(need / 8 + 2, 0x5A5A5A5A5A5A5A5Aull);
  const std::vector<uint64_t> before = buffer;
  kws_micro* kws = nullptr;
  EXPECT_EQ(kws_micro_init(Bytes(bytes), bytes.size(), buffer.data(), need - 1,
                           &kws, error, sizeof error),
            KWS_MICRO_ARENA_TOO_SMALL);
  EXPECT_EQ(std::string(error), "arena too small: " + std::to_string(need - 1) +
                                    " bytes given, " + std::to_string(need) +
                                    " needed");
  EXPECT_EQ(kws, nullptr);
  EXPECT_EQ(buffer, before);
  // Misaligned.
  EXPECT_EQ(kws_micro_init(Bytes(bytes), bytes.size(),
                           reinterpret_cast<uint8_t*>(buffer.data()) + 4, need,
                           &kws, error, sizeof error),
            KWS_MICRO_INVALID_ARGUMENT);
  EXPECT_NE(std::string(error).find("aligned"), std::string::npos);
  // Exactly the size: works (MicroInstance mallocs exactly `need` bytes).
  MicroInstance micro(bytes);
  ASSERT_TRUE(micro.ok()) << micro.error();
  EXPECT_EQ(micro.arena_bytes(), need);
  // Null arguments and a tiny error buffer.
  EXPECT_EQ(kws_micro_arena_size(nullptr, 0, &need, nullptr, 0),
            KWS_MICRO_INVALID_ARGUMENT);
  char tiny[4];
  EXPECT_EQ(kws_micro_arena_size(Bytes(bytes), 10, &need, tiny, sizeof tiny),
            KWS_MICRO_BAD_MODEL);
  EXPECT_STREQ(tiny, "mod");
}

// The arena of the default shapes (docs/micro.md breaks them down): a change
// of the layout shows here.
TEST(MicroValidate, ArenaBytesOfTheDefaultShapes) {
  const struct {
    std::string bytes;
    size_t float64, float32;
  } cases[] = {{TrainedModel("go_stop_tuned.kws"), 29576, 18112},
               {format::Serialize(FourClassModel()), 29632, 18168}};
  for (const auto& c : cases) {
    size_t need = 0;
    ASSERT_EQ(
        kws_micro_arena_size(Bytes(c.bytes), c.bytes.size(), &need, nullptr, 0),
        KWS_MICRO_OK);
    EXPECT_EQ(need, c.float64);
    const std::string f32 = WithFloat32FrontEnd(c.bytes);
    ASSERT_EQ(kws_micro_arena_size(Bytes(f32), f32.size(), &need, nullptr, 0),
              KWS_MICRO_OK);
    EXPECT_EQ(need, c.float32);
  }
}

TEST(MicroValidate, LabelsAndSizes) {
  MicroInstance micro(format::Serialize(FourClassModel()));
  ASSERT_TRUE(micro.ok()) << micro.error();
  ASSERT_EQ(kws_micro_num_labels(micro.get()), 4);
  size_t length = 0;
  const char* name = kws_micro_label(micro.get(), 2, &length);
  EXPECT_EQ(std::string(name, length), "_unknown_");
  EXPECT_EQ(kws_micro_label(micro.get(), 4, &length), nullptr);
  EXPECT_EQ(length, 0u);
  EXPECT_EQ(kws_micro_sample_rate(micro.get()), 16000);
  EXPECT_EQ(kws_micro_clip_samples(micro.get()), 16000);
}

}  // namespace
}  // namespace tinykws::micro_test
