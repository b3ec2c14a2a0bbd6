// Shared by the spotter tests: the tone model with a detector, a stream of
// tone events, and feeding / comparing helpers.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "../common/tone_model.hpp"
#include "format/model_file.hpp"
#include "tinykws/spotter.hpp"

namespace tinykws::testing {

inline const std::vector<ToneEvent> kEvents = {
    {1.0, 0.5, false}, {3.5, 0.6, true}, {6.0, 0.4, false}, {8.2, 0.7, true}};

inline std::shared_ptr<const Model> Load(const format::ModelFile& file) {
  const std::string bytes = format::Serialize(file);
  StatusOr<std::shared_ptr<const Model>> model =
      Model::LoadFromBuffer(bytes.data(), bytes.size(), "tone.kws");
  EXPECT_TRUE(model.ok()) << model.status().message();
  return model.ok() ? *model : nullptr;
}

inline format::ModelFile ToneFile(bool int8, float threshold = 0.8f) {
  format::ModelFile file = testing::ToneModelFile(int8);
  file.has_detector = true;
  file.detector.hop_frames = 2;
  file.detector.smoothing_runs = 3;
  file.detector.refractory_ms = 1000.0f;
  file.detector.thresholds = {threshold, threshold, 1.0f};
  return file;
}

inline uint32_t Bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

inline void ExpectSameDetections(const std::vector<Detection>& a,
                                 const std::vector<Detection>& b,
                                 const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].label, b[i].label) << what << " #" << i;
    EXPECT_EQ(a[i].sample, b[i].sample) << what << " #" << i;
    EXPECT_EQ(Bits(a[i].score), Bits(b[i].score)) << what << " #" << i;
    EXPECT_EQ(a[i].time_s, b[i].time_s) << what << " #" << i;
  }
}

inline std::vector<Detection> Spot(Spotter& spotter,
                                   const std::vector<int16_t>& pcm,
                                   size_t chunk) {
  std::vector<Detection> found;
  for (size_t at = 0; at < pcm.size(); at += chunk) {
    const size_t n = std::min(chunk, pcm.size() - at);
    const Status s =
        spotter.Push(pcm.data() + at, n, 16000,
                     [&](const Detection& d) { found.push_back(d); });
    EXPECT_TRUE(s.ok()) << s.message();
  }
  return found;
}

}  // namespace tinykws::testing
