// Helpers shared by the libFuzzer targets (tests/fuzz/README.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "../common/reseal_model.hpp"
#include "format/model_file.hpp"
#include "tinykws/runtime.hpp"

namespace tinykws::fuzz {

using testing::Reseal;

// The input as a model file, resealed first (the session and spotter
// targets start from a model that loads).
inline StatusOr<std::shared_ptr<const Model>> LoadResealed(const uint8_t* data,
                                                           size_t size) {
  const std::string bytes =
      Reseal(std::string(reinterpret_cast<const char*>(data), size));
  return Model::LoadFromBuffer(bytes.data(), bytes.size(), "fuzz.kws");
}

// A finding: libFuzzer reports the abort with the input that caused it.
inline void Require(bool condition) {
  if (!condition) std::abort();
}

// A deterministic 2 s test signal: silence, a tone, loud noise, a click.
inline std::string TestSignal() {
  std::string pcm(2 * 32000, '\0');
  auto* s = reinterpret_cast<int16_t*>(&pcm[0]);
  uint32_t noise = 1;
  for (int i = 0; i < 32000; ++i) {
    noise = noise * 1664525u + 1013904223u;
    int v = 0;
    if (i >= 8000 && i < 16000) v = ((i / 20) % 2 ? 12000 : -12000);
    if (i >= 16000 && i < 24000) v = static_cast<int16_t>(noise >> 16);
    if (i == 28000) v = 32767;
    s[i] = static_cast<int16_t>(v);
  }
  return pcm;
}

}  // namespace tinykws::fuzz
