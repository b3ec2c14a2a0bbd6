// libFuzzer target: the experiment config loader on any text. A config that
// loads must write out (ConfigToToml) to text that loads to the same
// config, and have a model shape that either infers or fails with a Status.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_util.hpp"
#include "tinykws/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tinykws;
  const std::string text(reinterpret_cast<const char*>(data), size);
  StatusOr<KwsConfig> config = ParseConfig(text, "fuzz.toml");
  if (!config.ok()) {
    fuzz::Require(config.status().message().find("fuzz.toml") !=
                  std::string::npos);
    return 0;
  }
  const std::string written = ConfigToToml(*config);
  StatusOr<KwsConfig> again = ParseConfig(written, "written.toml");
  fuzz::Require(again.ok());
  fuzz::Require(ConfigToToml(*again) == written);
  InferModelShape(config->model, config->features,
                  static_cast<int>(config->labels.size()));
  return 0;
}
