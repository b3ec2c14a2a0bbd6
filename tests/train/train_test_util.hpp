// Helpers shared by the LibTorch training tests: quiet single-thread options
// and a bit-for-bit comparison of two weight (or checkpoint) files.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "train/checkpoint.hpp"
#include "train/trainer.hpp"

namespace tinykws::testing {

// One thread (ctest runs tests in parallel: no spinning OpenMP pair), no
// progress output.
inline train::TrainOptions QuietTrainOptions(const std::string& config,
                                             const std::string& data,
                                             const std::string& out_dir) {
  train::TrainOptions o;
  o.config_path = config;
  o.data_dir = data;
  o.out_dir = out_dir;
  o.threads = 1;
  o.quiet = true;
  return o;
}

// Parameters and buffers of a weights or checkpoint file of the config's net.
inline std::vector<torch::Tensor> WeightsOf(const std::string& config,
                                            const std::string& path) {
  StatusOr<KwsConfig> c = LoadConfig(config);
  EXPECT_TRUE(c.ok()) << c.status().message();
  if (!c.ok()) return {};
  train::KwsNet net(c->model, c->features, static_cast<int>(c->labels.size()));
  EXPECT_TRUE(train::LoadWeights(path, *net).ok()) << path;
  std::vector<torch::Tensor> tensors = net->parameters();
  for (const torch::Tensor& b : net->buffers()) tensors.push_back(b);
  return tensors;
}

inline void ExpectIdenticalWeights(const std::string& config,
                                   const std::string& a, const std::string& b) {
  const std::vector<torch::Tensor> wa = WeightsOf(config, a),
                                   wb = WeightsOf(config, b);
  ASSERT_EQ(wa.size(), wb.size());
  for (size_t i = 0; i < wa.size(); ++i) {
    EXPECT_TRUE(torch::equal(wa[i], wb[i]))
        << "tensor " << i << " differs: " << a;
  }
}

}  // namespace tinykws::testing
