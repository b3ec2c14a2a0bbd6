// Writes models for tests that need a real .kws file:
//   make_test_model OUT.kws [LABEL LABEL...]   a random (untrained) int8
//                                              go_stop-shaped model
//                                              (default labels: go stop)
//   make_test_model --tone OUT.kws             the tone model of
//                                              tests/common/tone_model.hpp
//                                              with a detector (0.8)
//   make_test_model --float32-front-end IN.kws OUT.kws
//                                              IN with the float32 MFCC
//                                              front end (format version 2)
#include <cstdio>
#include <cstring>

#include "../common/random_model.hpp"
#include "../common/tone_model.hpp"
#include "format/model_file.hpp"

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "--float32-front-end") == 0) {
    tinykws::StatusOr<tinykws::format::ModelFile> in =
        tinykws::format::ReadModelFile(argv[2]);
    tinykws::Status s = in.status();
    if (in.ok()) {
      in->features.precision = tinykws::FeaturePrecision::kFloat32;
      s = tinykws::format::WriteModelFile(argv[3], *in);
    }
    if (!s.ok()) {
      std::fprintf(stderr, "error: %s\n", s.message().c_str());
      return 1;
    }
    return 0;
  }
  const bool tone = argc == 3 && std::strcmp(argv[1], "--tone") == 0;
  if (argc < 2 || (argc == 3 && !tone)) {
    std::fprintf(stderr,
                 "usage: %s OUT.kws [LABEL LABEL...] | --tone OUT.kws\n",
                 argv[0]);
    return 2;
  }
  tinykws::format::ModelFile file;
  if (tone) {
    file = tinykws::testing::ToneModelFile(true);
    file.has_detector = true;
    file.detector = tinykws::DefaultDetectorParams(file.labels.size());
    file.detector.thresholds = {0.8f, 0.8f, 1.0f};
  } else {
    std::vector<std::string> labels = {"go", "stop"};
    if (argc > 3) labels.assign(argv + 2, argv + argc);
    const tinykws::FeatureConfig f = tinykws::testing::SmallFeatures();
    file = tinykws::testing::RandomInt8Model(
        tinykws::testing::RandomFloatModel(f, {{24}, {24}},
                                           static_cast<int>(labels.size()), 1),
        1);
    file.labels = labels;
  }
  const tinykws::Status s =
      tinykws::format::WriteModelFile(argv[tone ? 2 : 1], file);
  if (!s.ok()) {
    std::fprintf(stderr, "error: %s\n", s.message().c_str());
    return 1;
  }
  return 0;
}
