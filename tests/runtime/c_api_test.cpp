// The C API: every entry point, its error paths, and no leak (this test
// also runs in the sanitizer build that scripts/test.sh makes).
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "../common/random_model.hpp"
#include "format/model_file.hpp"
#include "tinykws/tinykws.h"

namespace {

std::string ModelBytes() {
  const tinykws::FeatureConfig f = tinykws::testing::SmallFeatures();
  tinykws::format::ModelFile file = tinykws::testing::RandomInt8Model(
      tinykws::testing::RandomFloatModel(f, {{8}, {8}}, 2, 3), 3);
  file.labels = {"go", "stop"};
  return tinykws::format::Serialize(file);
}

TEST(CApi, LoadClassifyFree) {
  const std::string bytes = ModelBytes();
  kws_model* model = nullptr;
  kws_error* error = nullptr;
  ASSERT_EQ(
      kws_model_load_from_buffer(bytes.data(), bytes.size(), &model, &error),
      KWS_OK);
  EXPECT_EQ(error, nullptr);
  EXPECT_EQ(kws_model_num_labels(model), 2);
  EXPECT_STREQ(kws_model_label(model, 1), "stop");
  EXPECT_EQ(kws_model_label(model, 2), nullptr);
  EXPECT_EQ(kws_model_label(model, -1), nullptr);
  EXPECT_EQ(kws_model_sample_rate(model), 16000);
  EXPECT_EQ(kws_model_clip_samples(model), 16000);
  EXPECT_EQ(kws_model_is_int8(model), 1);
  for (int simd : {0, 1}) {
    kws_session* session = nullptr;
    kws_session_params params = kws_session_default_params();
    params.use_simd = simd;
    ASSERT_EQ(kws_session_create(model, params, &session, nullptr), KWS_OK);
    std::vector<int16_t> pcm(16000);
    for (size_t i = 0; i < pcm.size(); ++i)
      pcm[i] = static_cast<int16_t>((i * 37) % 4000 - 2000);
    kws_result result;
    ASSERT_EQ(kws_classify(session, pcm.data(), pcm.size(), 16000, &result),
              KWS_OK);
    EXPECT_STREQ(kws_session_last_error(session), "");
    EXPECT_EQ(result.num_labels, 2);
    EXPECT_NEAR(result.scores[0] + result.scores[1], 1.0f, 1e-5f);
    EXPECT_EQ(result.score, result.scores[result.label]);
    EXPECT_EQ(kws_classify(session, pcm.data(), pcm.size(), 44100, &result),
              KWS_ERROR_INVALID_ARGUMENT);
    EXPECT_NE(std::strstr(kws_session_last_error(session), "44100"), nullptr);
    EXPECT_EQ(kws_classify(session, pcm.data(), pcm.size(), 16000, nullptr),
              KWS_ERROR_INVALID_ARGUMENT);
    kws_session_free(session);
  }
  kws_model_free(model);
}

TEST(CApi, SessionOutlivesItsModel) {
  const std::string bytes = ModelBytes();
  kws_model* model = nullptr;
  ASSERT_EQ(
      kws_model_load_from_buffer(bytes.data(), bytes.size(), &model, nullptr),
      KWS_OK);
  kws_session* session = nullptr;
  ASSERT_EQ(kws_session_create(model, kws_session_default_params(), &session,
                               nullptr),
            KWS_OK);
  kws_model_free(model);
  std::vector<int16_t> pcm(8000, 100);
  kws_result result;
  EXPECT_EQ(kws_classify(session, pcm.data(), pcm.size(), 16000, &result),
            KWS_OK);
  kws_session_free(session);
}

TEST(CApi, ErrorsComeWithCodesAndMessages) {
  kws_model* model = nullptr;
  kws_error* error = nullptr;
  EXPECT_EQ(kws_model_load("/no/such.kws", &model, &error),
            KWS_ERROR_NOT_FOUND);
  EXPECT_EQ(model, nullptr);
  EXPECT_EQ(kws_error_status(error), KWS_ERROR_NOT_FOUND);
  EXPECT_NE(std::strstr(kws_error_message(error), "/no/such.kws"), nullptr);
  kws_error_free(error);
  const std::string junk(300, 'x');
  error = nullptr;
  EXPECT_EQ(
      kws_model_load_from_buffer(junk.data(), junk.size(), &model, &error),
      KWS_ERROR_FORMAT);
  EXPECT_NE(std::strstr(kws_error_message(error), "not a tinykws model file"),
            nullptr)
      << kws_error_message(error);
  kws_error_free(error);
  std::string bytes = ModelBytes();
  bytes[8] = 9;  // format version 9
  error = nullptr;
  EXPECT_EQ(
      kws_model_load_from_buffer(bytes.data(), bytes.size(), &model, &error),
      KWS_ERROR_UNSUPPORTED);
  kws_error_free(error);
  EXPECT_EQ(kws_model_load(nullptr, &model, nullptr),
            KWS_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(kws_model_load("x", nullptr, nullptr), KWS_ERROR_INVALID_ARGUMENT);
  kws_session* session = nullptr;
  EXPECT_EQ(kws_session_create(nullptr, kws_session_default_params(), &session,
                               nullptr),
            KWS_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(kws_classify(nullptr, nullptr, 0, 16000, nullptr),
            KWS_ERROR_INVALID_ARGUMENT);
  kws_model_free(nullptr);
  kws_session_free(nullptr);
  kws_error_free(nullptr);
  EXPECT_STREQ(kws_error_message(nullptr), "");
  EXPECT_NE(std::strstr(kws_version(), "tinykws"), nullptr);
}

// Zero samples is an error, as an empty file is for the CLI (it used to
// return KWS_OK and a score).
TEST(CApi, ClassifyRejectsZeroSamples) {
  const std::string bytes = ModelBytes();
  kws_model* model = nullptr;
  ASSERT_EQ(
      kws_model_load_from_buffer(bytes.data(), bytes.size(), &model, nullptr),
      KWS_OK);
  kws_session* session = nullptr;
  ASSERT_EQ(kws_session_create(model, kws_session_default_params(), &session,
                               nullptr),
            KWS_OK);
  const int16_t one = 0;
  kws_result result;
  EXPECT_EQ(kws_classify(session, &one, 0, 16000, &result),
            KWS_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::strstr(kws_session_last_error(session), "no samples"),
            nullptr);
  EXPECT_EQ(kws_classify(session, &one, 1, 16000, &result), KWS_OK);
  kws_session_free(session);
  kws_model_free(model);
}

}  // namespace
