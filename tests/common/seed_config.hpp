// The seed feature config, read from configs/go_stop.toml (the one source of
// its numbers), for tests and test tools.
#pragma once

#include <cstdio>
#include <string>

#include "tinykws/config.hpp"

namespace tinykws::testing {

inline FeatureConfig SeedFeatureConfig() {
  const std::string path =
      std::string(TINYKWS_SOURCE_DIR) + "/configs/go_stop.toml";
  StatusOr<KwsConfig> config = LoadConfig(path);
  if (!config.ok()) {
    // Tests then fail on the invalid (all-zero) config with this reason.
    std::fprintf(stderr, "error: %s\n", config.status().message().c_str());
    return FeatureConfig{};
  }
  return config->features;
}

}  // namespace tinykws::testing
