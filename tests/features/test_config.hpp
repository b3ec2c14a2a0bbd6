// The seed feature config, read from configs/go_stop.toml (the one source of
// its numbers), and small hand-checkable configs.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "tinykws/config.hpp"

namespace tinykws::testing {

inline FeatureConfig SeedFeatureConfig() {
  const std::string path =
      std::string(TINYKWS_SOURCE_DIR) + "/configs/go_stop.toml";
  StatusOr<KwsConfig> config = LoadConfig(path);
  EXPECT_TRUE(config.ok()) << config.status().message();
  return config.ok() ? config->features : FeatureConfig{};
}

}  // namespace tinykws::testing
