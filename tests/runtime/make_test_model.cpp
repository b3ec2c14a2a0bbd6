// Writes a random (untrained) int8 go_stop-shaped model file for tests that
// need a real .kws: make_test_model OUT.kws
#include <cstdio>

#include "../common/random_model.hpp"
#include "format/model_file.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT.kws\n", argv[0]);
    return 2;
  }
  const tinykws::FeatureConfig f = tinykws::testing::SmallFeatures();
  tinykws::format::ModelFile file = tinykws::testing::RandomInt8Model(
      tinykws::testing::RandomFloatModel(f, {{24}, {24}}, 2, 1), 1);
  file.labels = {"go", "stop"};
  const tinykws::Status s = tinykws::format::WriteModelFile(argv[1], file);
  if (!s.ok()) {
    std::fprintf(stderr, "error: %s\n", s.message().c_str());
    return 1;
  }
  return 0;
}
