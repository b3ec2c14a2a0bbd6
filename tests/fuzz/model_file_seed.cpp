// Writes the model seed corpus of the fuzz targets (tests/fuzz/seeds/model):
// valid .kws files -- go_stop-like int8 and float32 models, one with a
// detector section, a minimal int8 model, and the tone model of the
// streaming tests, int8 and float32 (it detects something in the targets'
// test signal). scripts/fuzz.sh gives the runtime targets the small ones.
#include <cstdio>
#include <string>

#include "../common/tone_model.hpp"
#include "format/model_file.hpp"
#include "test_model.hpp"

namespace {

using namespace tinykws::format;

// One 1x1 conv with 2 filters: the smallest valid int8 model.
ModelFile MinimalModel() {
  ModelFile m = testing::GoStopLikeModel(Precision::kInt8);
  const int h = m.features.num_frames(), w = m.features.num_mfcc;
  m.convs = {testing::SameConv(1, 2, 1, h, w, false)};
  testing::Lcg rng(3);
  testing::FillInt8(m.convs[0], rng);
  m.dense.in_channels = 2;
  m.dense.weights = {1, -1, 127, -127};
  m.metadata.clear();
  return m;
}

// The go_stop-like model with a detector section.
ModelFile WithDetector() {
  ModelFile m = testing::GoStopLikeModel(Precision::kInt8);
  m.has_detector = true;
  m.detector = tinykws::DefaultDetectorParams(m.labels.size());
  return m;
}

ModelFile ToneWithDetector(bool int8) {
  ModelFile m = tinykws::testing::ToneModelFile(int8);
  m.has_detector = true;
  m.detector = tinykws::DefaultDetectorParams(m.labels.size());
  m.detector.thresholds = {0.6f, 0.6f, 1.0f};
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: model_file_seed OUT_DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  const struct {
    const char* name;
    ModelFile model;
  } seeds[] = {
      {"go_stop_int8.kws", testing::GoStopLikeModel(Precision::kInt8)},
      {"go_stop_fp32.kws", testing::GoStopLikeModel(Precision::kFloat32)},
      {"minimal_int8.kws", MinimalModel()},
      {"go_stop_detector.kws", WithDetector()},
      {"tone_int8.kws", ToneWithDetector(true)},
      {"tone_fp32.kws", ToneWithDetector(false)}};
  for (const auto& seed : seeds) {
    const tinykws::Status status =
        WriteModelFile(dir + "/" + seed.name, seed.model);
    if (!status.ok()) {
      std::fprintf(stderr, "error: %s\n", status.message().c_str());
      return 1;
    }
  }
  return 0;
}
