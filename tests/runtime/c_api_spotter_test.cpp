// The C streaming API: create, push with a callback (int16 and float), the
// same detections as the C++ Spotter, reset, thresholds, errors, no leak.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "../common/tone_model.hpp"
#include "format/model_file.hpp"
#include "tinykws/spotter.hpp"
#include "tinykws/tinykws.h"

namespace {

using tinykws::testing::ToneStream;

kws_model* LoadToneModel() {
  tinykws::format::ModelFile file = tinykws::testing::ToneModelFile(true);
  file.has_detector = true;
  file.detector = tinykws::DefaultDetectorParams(3);
  file.detector.thresholds = {0.8f, 0.8f, 1.0f};
  const std::string bytes = tinykws::format::Serialize(file);
  kws_model* model = nullptr;
  EXPECT_EQ(
      kws_model_load_from_buffer(bytes.data(), bytes.size(), &model, nullptr),
      KWS_OK);
  return model;
}

void Collect(const kws_detection* d, void* user) {
  static_cast<std::vector<kws_detection>*>(user)->push_back(*d);
}

const std::vector<tinykws::testing::ToneEvent> kEvents = {
    {1.0, 0.5, false}, {3.0, 0.5, true}, {5.5, 0.5, false}};

TEST(CApiSpotter, PushCallsBackForEachDetection) {
  kws_model* model = LoadToneModel();
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(kws_model_is_keyword(model, 0), 1);
  EXPECT_EQ(kws_model_is_keyword(model, 2), 0);
  EXPECT_EQ(kws_model_is_keyword(model, 3), 0);
  kws_spotter* spotter = nullptr;
  ASSERT_EQ(kws_spotter_create(model, kws_spotter_default_params(), &spotter,
                               nullptr),
            KWS_OK);
  kws_model_free(model);  // the spotter keeps it alive
  const std::vector<int16_t> pcm = ToneStream(kEvents, 7.0);
  std::vector<kws_detection> got;
  for (size_t at = 0; at < pcm.size(); at += 160) {
    ASSERT_EQ(kws_spotter_push(spotter, pcm.data() + at,
                               std::min<size_t>(160, pcm.size() - at), 16000,
                               Collect, &got),
              KWS_OK);
  }
  EXPECT_STREQ(kws_spotter_last_error(spotter), "");
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].label, 0);
  EXPECT_EQ(got[1].label, 1);
  EXPECT_EQ(got[2].label, 0);
  EXPECT_DOUBLE_EQ(got[1].time_s, (got[1].sample + 1) / 16000.0);

  // Float samples after a reset: the same detections.
  std::vector<float> scaled(pcm.size());
  for (size_t i = 0; i < pcm.size(); ++i) scaled[i] = pcm[i] / 32768.0f;
  kws_spotter_reset(spotter);
  std::vector<kws_detection> again;
  ASSERT_EQ(kws_spotter_push_float(spotter, scaled.data(), scaled.size(), 16000,
                                   Collect, &again),
            KWS_OK);
  ASSERT_EQ(again.size(), got.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(again[i].label, got[i].label);
    EXPECT_EQ(again[i].sample, got[i].sample);
    EXPECT_EQ(again[i].score, got[i].score);
  }
  // A null callback is allowed.
  kws_spotter_reset(spotter);
  EXPECT_EQ(kws_spotter_push(spotter, pcm.data(), pcm.size(), 16000, nullptr,
                             nullptr),
            KWS_OK);
  kws_spotter_free(spotter);
}

TEST(CApiSpotter, ThresholdsAndParams) {
  kws_model* model = LoadToneModel();
  kws_spotter_params params = kws_spotter_default_params();
  params.hop_frames = 1;
  params.use_simd = 0;
  kws_spotter* spotter = nullptr;
  ASSERT_EQ(kws_spotter_create(model, params, &spotter, nullptr), KWS_OK);
  EXPECT_FLOAT_EQ(kws_spotter_threshold(spotter, 1), 0.8f);
  EXPECT_EQ(kws_spotter_threshold(spotter, 3), -1.0f);
  ASSERT_EQ(kws_spotter_set_threshold(spotter, 1, 1.0f), KWS_OK);
  EXPECT_EQ(kws_spotter_threshold(spotter, 1), 1.0f);
  EXPECT_EQ(kws_spotter_set_threshold(spotter, 1, 2.0f),
            KWS_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::strstr(kws_spotter_last_error(spotter), "[0, 1]"), nullptr);
  const std::vector<int16_t> pcm = ToneStream(kEvents, 7.0);
  std::vector<kws_detection> got;
  ASSERT_EQ(
      kws_spotter_push(spotter, pcm.data(), pcm.size(), 16000, Collect, &got),
      KWS_OK);
  ASSERT_EQ(got.size(), 2u);  // "high" can no longer fire
  EXPECT_EQ(got[0].label, 0);
  EXPECT_EQ(got[1].label, 0);
  kws_spotter_free(spotter);
  kws_model_free(model);
}

TEST(CApiSpotter, ErrorsComeWithCodesAndMessages) {
  kws_model* model = LoadToneModel();
  kws_error* error = nullptr;
  kws_spotter* spotter = nullptr;
  EXPECT_EQ(kws_spotter_create(nullptr, kws_spotter_default_params(), &spotter,
                               &error),
            KWS_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::strstr(kws_error_message(error), "model"), nullptr);
  kws_error_free(error);
  error = nullptr;
  kws_spotter_params params = kws_spotter_default_params();
  params.smoothing_runs = 1000;
  EXPECT_EQ(kws_spotter_create(model, params, &spotter, &error),
            KWS_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(spotter, nullptr);
  EXPECT_NE(std::strstr(kws_error_message(error), "smoothing_runs"), nullptr);
  kws_error_free(error);
  ASSERT_EQ(kws_spotter_create(model, kws_spotter_default_params(), &spotter,
                               nullptr),
            KWS_OK);
  const std::vector<int16_t> pcm(100, 0);
  EXPECT_EQ(
      kws_spotter_push(spotter, pcm.data(), pcm.size(), 500, nullptr, nullptr),
      KWS_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::strstr(kws_spotter_last_error(spotter), "500 Hz"), nullptr);
  // 48 kHz is converted; the stream then stays at 48 kHz until a reset.
  EXPECT_EQ(kws_spotter_push(spotter, pcm.data(), pcm.size(), 48000, nullptr,
                             nullptr),
            KWS_OK);
  EXPECT_EQ(kws_spotter_push(spotter, pcm.data(), pcm.size(), 16000, nullptr,
                             nullptr),
            KWS_ERROR_INVALID_ARGUMENT);
  kws_spotter_reset(spotter);
  EXPECT_EQ(kws_spotter_push(spotter, pcm.data(), pcm.size(), 16000, nullptr,
                             nullptr),
            KWS_OK);
  EXPECT_EQ(kws_spotter_push(spotter, nullptr, 10, 16000, nullptr, nullptr),
            KWS_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(kws_spotter_push(nullptr, pcm.data(), 1, 16000, nullptr, nullptr),
            KWS_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(kws_spotter_set_threshold(nullptr, 0, 0.5f),
            KWS_ERROR_INVALID_ARGUMENT);
  EXPECT_STREQ(kws_spotter_last_error(nullptr), "no spotter");
  kws_spotter_reset(nullptr);
  kws_spotter_free(nullptr);
  kws_spotter_free(spotter);
  kws_model_free(model);
}

}  // namespace
