// The models the micro tests run: the committed trained go/stop models, a
// random int8 model shaped like the default detector (configs/
// go_stop_4class.toml) with a detector section, and the tone model.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "../common/random_model.hpp"
#include "../common/tone_model.hpp"
#include "format/model_file.hpp"
#include "micro_test_util.hpp"
#include "tinykws/config.hpp"

namespace tinykws::micro_test {

inline FeatureConfig FourClassFeatures() {
  StatusOr<KwsConfig> config = LoadConfig(std::string(TINYKWS_SOURCE_DIR) +
                                          "/configs/go_stop_4class.toml");
  return config.ok() ? config->features : FeatureConfig{};
}

// 24 x [3, 10] valid, 24 x [3, 1] dilation 2, 24 x [3, 1] dilation 4 (same),
// 4 labels, a detector section with thresholds low enough to fire.
inline format::ModelFile FourClassModel(uint32_t seed = 7) {
  using testing::ConvShape;
  ConvShape a, b, c;
  a.out_channels = b.out_channels = c.out_channels = 24;
  a.kernel_w = 10;
  a.same = false;
  b.kernel_w = c.kernel_w = 1;
  b.dilation_h = 2;
  c.dilation_h = 4;
  const quant::FloatModel float_model =
      testing::RandomFloatModel(FourClassFeatures(), {a, b, c}, 4, seed);
  format::ModelFile file = testing::RandomInt8Model(float_model, seed + 1);
  file.labels = {"go", "stop", "_unknown_", "_silence_"};
  file.has_detector = true;
  file.detector.hop_frames = 2;
  file.detector.smoothing_runs = 3;
  file.detector.refractory_ms = 300.0f;
  file.detector.thresholds = {0.4f, 0.4f, 1.0f, 1.0f};
  return file;
}

// The model with the other MFCC front end (format version 2).
inline std::string WithFloat32FrontEnd(const std::string& bytes) {
  StatusOr<format::ModelFile> file = format::Parse(bytes, "model");
  if (!file.ok()) return std::string();
  file->features.precision = FeaturePrecision::kFloat32;
  return format::Serialize(*file);
}

inline std::vector<std::pair<std::string, std::string>> TestModels() {
  return {{"go_stop_tuned", TrainedModel("go_stop_tuned.kws")},
          {"go_stop_seed", TrainedModel("go_stop_seed.kws")},
          {"four_class", format::Serialize(FourClassModel())},
          {"tone", format::Serialize(testing::ToneModelFile(true))}};
}

}  // namespace tinykws::micro_test
