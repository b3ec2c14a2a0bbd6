// Fixed-point requantization against gemmlowp's original formulation and
// exact arithmetic.
#include "quant/requantize.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace tinykws::quant {
namespace {

// gemmlowp's SaturatingRoundingDoublingHighMul, as written there.
int32_t GemmlowpHighMul(int32_t a, int32_t b) {
  const bool overflow = a == b && a == std::numeric_limits<int32_t>::min();
  const int64_t ab = static_cast<int64_t>(a) * b;
  const int32_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  const int32_t result =
      static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));
  return overflow ? std::numeric_limits<int32_t>::max() : result;
}

// x / 2^e rounded half away from zero, in exact arithmetic.
int32_t DivideRoundHalfAway(int32_t x, int e) {
  const long double q = static_cast<long double>(x) / std::ldexp(1.0L, e);
  return static_cast<int32_t>(q >= 0 ? std::floor(q + 0.5L)
                                     : -std::floor(-q + 0.5L));
}

TEST(Requantize, HighMulMatchesGemmlowp) {
  std::mt19937 rng(1);
  std::uniform_int_distribution<int32_t> any(
      std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
  std::uniform_int_distribution<int32_t> multiplier(
      1 << 30, std::numeric_limits<int32_t>::max());
  for (int i = 0; i < 200000; ++i) {
    const int32_t a = any(rng), b = multiplier(rng);
    ASSERT_EQ(RoundingHighMul(a, b), GemmlowpHighMul(a, b)) << a << " " << b;
  }
  // Exact ties, both signs: a * b = (2k + 1) * 2^30.
  for (int32_t a :
       {1, -1, 3, -3, 1 << 20, -(1 << 20), std::numeric_limits<int32_t>::min(),
        std::numeric_limits<int32_t>::max()}) {
    for (int32_t b :
         {1 << 30, (1 << 30) + 1, std::numeric_limits<int32_t>::max()}) {
      EXPECT_EQ(RoundingHighMul(a, b), GemmlowpHighMul(a, b)) << a << " " << b;
    }
  }
}

TEST(Requantize, DivideByPowerOfTwoRoundsHalfAwayFromZero) {
  std::mt19937 rng(2);
  std::uniform_int_distribution<int32_t> any(
      std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
  for (int e = 0; e <= 31; ++e) {
    for (int32_t x : {0, 1, -1, 2, -2, 3, -3, 5, -5, 6, -6,
                      std::numeric_limits<int32_t>::max(),
                      std::numeric_limits<int32_t>::min()}) {
      EXPECT_EQ(RoundingDivideByPowerOfTwo(x, e), DivideRoundHalfAway(x, e))
          << x << " " << e;
    }
    for (int i = 0; i < 5000; ++i) {
      const int32_t x = any(rng);
      ASSERT_EQ(RoundingDivideByPowerOfTwo(x, e), DivideRoundHalfAway(x, e))
          << x << " " << e;
    }
  }
}

TEST(Requantize, QuantizedMultiplierRepresentsTheScale) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> log_scale(-20.0, -0.0001);
  for (int i = 0; i < 10000; ++i) {
    const double real = std::pow(2.0, log_scale(rng));
    int32_t m, shift;
    ASSERT_TRUE(QuantizeMultiplier(real, &m, &shift)) << real;
    EXPECT_GE(m, 1 << 30);
    EXPECT_LE(shift, 0);
    EXPECT_NEAR(std::ldexp(static_cast<double>(m), shift - 31) / real, 1.0,
                1e-9);
  }
  int32_t m, shift;
  EXPECT_FALSE(QuantizeMultiplier(1.0, &m, &shift));
  EXPECT_FALSE(QuantizeMultiplier(0.0, &m, &shift));
  EXPECT_FALSE(QuantizeMultiplier(-0.5, &m, &shift));
  EXPECT_FALSE(QuantizeMultiplier(NAN, &m, &shift));
}

TEST(Requantize, ScalesAccumulatorsLikeRealArithmetic) {
  std::mt19937 rng(4);
  std::uniform_int_distribution<int32_t> acc(-5000000, 5000000);
  for (double real : {0.9, 0.5, 0.0123, 3.1e-5, 1e-7}) {
    int32_t m, shift;
    ASSERT_TRUE(QuantizeMultiplier(real, &m, &shift));
    for (int i = 0; i < 1000; ++i) {
      const int32_t a = acc(rng);
      // Two roundings: at most one unit away from the exact product.
      EXPECT_LE(std::fabs(Requantize(a, m, shift) - a * real), 1.0)
          << a << " " << real;
    }
  }
}

TEST(Requantize, InputQuantizationRoundsTiesToEvenAndSaturates) {
  EXPECT_EQ(QuantizeInput(2.5f, 1.0f, 0), 2);
  EXPECT_EQ(QuantizeInput(3.5f, 1.0f, 0), 4);
  EXPECT_EQ(QuantizeInput(-2.5f, 1.0f, 0), -2);
  EXPECT_EQ(QuantizeInput(10.0f, 0.5f, -3), 2);
  EXPECT_EQ(QuantizeInput(1e9f, 1.0f, 0), 127);
  EXPECT_EQ(QuantizeInput(-1e9f, 1.0f, 0), -128);
  EXPECT_EQ(QuantizeInput(NAN, 1.0f, 0), -128);
}

}  // namespace
}  // namespace tinykws::quant
