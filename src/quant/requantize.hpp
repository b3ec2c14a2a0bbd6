// Fixed-point arithmetic shared by the exporter's int8 simulation and the
// runtime kernels, so both round exactly alike (docs/model-format.md).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace tinykws::quant {

// gemmlowp's SaturatingRoundingDoublingHighMul for b > 0: round(a * b / 2^31)
// with ties toward +infinity, which is exactly floor((a * b + 2^30) / 2^31).
// (The saturating case a = b = INT32_MIN cannot occur: b > 0.)
inline int32_t RoundingHighMul(int32_t a, int32_t b) {
  const int64_t product = static_cast<int64_t>(a) * b;
  return static_cast<int32_t>((product + (int64_t{1} << 30)) >> 31);
}

// gemmlowp's RoundingDivideByPOT: x / 2^exponent rounded half away from zero.
inline int32_t RoundingDivideByPowerOfTwo(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((int64_t{1} << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// acc * multiplier * 2^shift / 2^31 with shift <= 0 (right shifts only: the
// exporter keeps every real multiplier below 1).
inline int32_t Requantize(int32_t acc, int32_t multiplier, int32_t shift) {
  return RoundingDivideByPowerOfTwo(RoundingHighMul(acc, multiplier), -shift);
}

// real = multiplier * 2^shift / 2^31 with multiplier in [2^30, 2^31).
// Returns false when real is outside (2^-32, 1), which the exporter avoids.
inline bool QuantizeMultiplier(double real, int32_t* multiplier,
                               int32_t* shift) {
  if (!(real > 0.0) || real >= 1.0) return false;
  int exponent = 0;
  const double fraction = std::frexp(real, &exponent);  // [0.5, 1)
  int64_t fixed = std::llround(fraction * 2147483648.0);
  if (fixed == (int64_t{1} << 31)) {
    fixed /= 2;
    ++exponent;
  }
  if (exponent > 0 || exponent < -31) return false;
  *multiplier = static_cast<int32_t>(fixed);
  *shift = exponent;
  return true;
}

// MFCC value -> int8 input: nearest (ties to even, as the vector rounding
// instructions do) of x * inv_scale, plus the zero point, saturated.
inline int8_t QuantizeInput(float x, float inv_scale, int32_t zero_point) {
  const float q =
      std::nearbyint(x * inv_scale) + static_cast<float>(zero_point);
  if (!(q > -128.0f)) return -128;  // also NaN, like a vector max(q, -128)
  if (q > 127.0f) return 127;
  return static_cast<int8_t>(q);
}

}  // namespace tinykws::quant
