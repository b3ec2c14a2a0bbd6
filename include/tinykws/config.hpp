// Experiment configuration files (TOML): the one place a recipe's numbers
// live. Unknown keys and wrong types are errors naming the key and the file.
#pragma once

#include <string>
#include <vector>

#include "tinykws/features.hpp"
#include "tinykws/status.hpp"

namespace tinykws {

struct KwsConfig {
  std::string source_path;  // file the config was read from
  std::string name;
  FeatureConfig features;
};

// Reads and validates a config file.
StatusOr<KwsConfig> LoadConfig(const std::string& path);

// Same, from TOML text; origin names the text in error messages.
StatusOr<KwsConfig> ParseConfig(const std::string& toml_text,
                                const std::string& origin);

}  // namespace tinykws
