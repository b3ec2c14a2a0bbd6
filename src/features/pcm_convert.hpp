// Float samples to int16 values for the runtime (MfccStream, the spotter's
// rate converter), by the rule the audio reader applies to float files
// (there in double): scale by 32768, round half away from zero, saturate;
// NaN becomes 0.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace tinykws::features {

// x in [-1, 1] -> an int16 value, as a float.
inline float FloatSampleToInt16(float x) {
  if (std::isnan(x)) return 0.0f;
  return std::clamp(std::round(x * 32768.0f), -32768.0f, 32767.0f);
}

// A value in int16 units (e.g. a filter's output) -> int16, same rounding.
inline int16_t RoundToInt16(float v) {
  if (std::isnan(v)) return 0;
  return static_cast<int16_t>(std::clamp(std::round(v), -32768.0f, 32767.0f));
}

}  // namespace tinykws::features
