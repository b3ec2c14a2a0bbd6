// A sweep's search space (TOML, docs/sweep.md): a base config, the values
// each swept key may take, how to search, and reference configs ("marks")
// trained alongside. Keys name any value of the resolved base config:
// "features.mel_bins", "training.learning_rate", "model.blocks[0].kernel",
// or "model.conv[1].filters" / "model.conv[*].filters" for the second /
// every conv block.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tinykws/config.hpp"
#include "tinykws/status.hpp"

namespace tinykws::sweep {

struct Dimension {
  std::string key;                   // as written, e.g. "features.mel_bins"
  std::vector<std::string> choices;  // each a TOML value: "20", "[3, 3]"
  int line = 0;                      // in the space file, for messages
};

struct Mark {
  std::string name;         // "seed", "tuned", ...
  std::string as_written;   // the path in the space file
  std::string config_toml;  // its resolved config (ConfigToToml)
};

struct SweepSpace {
  std::string origin;               // file name, for messages
  std::string base_as_written;      // "../go_stop.toml"
  std::string base_toml;            // the resolved base config: every key
  std::string strategy = "random";  // "grid" or "random"
  int trials = 0;                   // random: how many (required); grid: all
  uint64_t sample_seed = 1;         // which random trials
  int seeds = 1;                    // training seeds per trial
  std::string early_stopping = "none";  // "none" or "halving"
  int min_epochs = 0;  // halving: first rung (0: epochs / eta^2, >= 1)
  int eta = 3;         // halving: keep the best 1/eta at each rung
  int latency_clips = 300;
  std::vector<Mark> marks;
  std::vector<Dimension> dimensions;
};

// Reads a space file; the base config and marks are read relative to it.
// Errors name the file and key: unknown keys (with the nearest known one),
// empty lists or ranges, values the config rejects.
StatusOr<SweepSpace> LoadSpace(const std::string& path);

// The number of combinations (saturates at INT64_MAX).
int64_t CombinationCount(const SweepSpace& space);

// The base config with choice[d] of every dimension d applied, as a
// validated config whose shape infers.
StatusOr<KwsConfig> ApplyChoices(const SweepSpace& space,
                                 const std::vector<int>& choice);

// A choice's TOML value as JSON ("[3, 3]" -> [3, 3]), for reports.
nlohmann::json ChoiceToJson(const std::string& toml_value);

}  // namespace tinykws::sweep
