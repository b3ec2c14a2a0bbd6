// Writes a random (untrained) int8 go_stop-shaped model file for tests that
// need a real .kws: make_test_model OUT.kws [LABEL...] (default: go stop)
#include <cstdio>

#include "../common/random_model.hpp"
#include "format/model_file.hpp"

int main(int argc, char** argv) {
  if (argc < 2 || argc == 3) {
    std::fprintf(stderr, "usage: %s OUT.kws [LABEL LABEL...]\n", argv[0]);
    return 2;
  }
  std::vector<std::string> labels = {"go", "stop"};
  if (argc > 3) labels.assign(argv + 2, argv + argc);
  const tinykws::FeatureConfig f = tinykws::testing::SmallFeatures();
  tinykws::format::ModelFile file = tinykws::testing::RandomInt8Model(
      tinykws::testing::RandomFloatModel(f, {{24}, {24}},
                                         static_cast<int>(labels.size()), 1),
      1);
  file.labels = labels;
  const tinykws::Status s = tinykws::format::WriteModelFile(argv[1], file);
  if (!s.ok()) {
    std::fprintf(stderr, "error: %s\n", s.message().c_str());
    return 1;
  }
  return 0;
}
