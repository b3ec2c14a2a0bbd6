// kws_logf / kws_expf (src/common/kws_math.h): within one ulp of the exact
// (double) result over the whole binary32 range we use, the documented
// special values, and exactly the bits of a fixed sample (which pins the
// algorithm: any machine that builds them gives these bits).
#include "common/kws_math.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

namespace tinykws {
namespace {

// Distance in ulps between a float result and the exact value.
double UlpError(float got, double exact) {
  const float nearest = static_cast<float>(exact);
  const double ulp =
      std::fabs(static_cast<double>(std::nextafter(
                    nearest, std::numeric_limits<float>::infinity())) -
                nearest);
  return std::fabs(got - exact) / ulp;
}

TEST(KwsMath, LogfIsWithinOneUlpEverywhere) {
  double worst = 0.0;
  // Every 97th float from the smallest subnormal to the largest finite one.
  for (uint32_t u = 1; u < 0x7f800000u; u += 97) {
    const float x = kws_bits_float(u);
    const double err = UlpError(kws_logf(x), std::log(static_cast<double>(x)));
    worst = std::max(worst, err);
    ASSERT_LE(err, 1.0) << "x = " << x;
  }
  std::printf("kws_logf: worst error %.3f ulp\n", worst);
}

TEST(KwsMath, ExpfIsWithinOneUlpOverItsRange) {
  double worst = 0.0;
  for (float x = -103.0f; x <= 88.7f; x += 0.000731f) {
    const double exact = std::exp(static_cast<double>(x));
    if (exact < 1.1754944e-38) continue;  // subnormal results: see below
    const double err = UlpError(kws_expf(x), exact);
    worst = std::max(worst, err);
    ASSERT_LE(err, 1.0) << "x = " << x;
  }
  std::printf("kws_expf: worst error %.3f ulp\n", worst);
  // Subnormal results are within one subnormal step.
  for (float x = -103.9f; x < -87.4f; x += 0.01f) {
    EXPECT_LE(std::fabs(kws_expf(x) - std::exp(static_cast<double>(x))),
              1.5e-45)
        << x;
  }
}

TEST(KwsMath, SpecialValues) {
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(kws_logf(1.0f), 0.0f);
  EXPECT_EQ(kws_logf(0.0f), -inf);
  EXPECT_EQ(kws_logf(-0.0f), -inf);
  EXPECT_EQ(kws_logf(inf), inf);
  EXPECT_TRUE(std::isnan(kws_logf(-1.0f)));
  EXPECT_TRUE(std::isnan(kws_logf(std::nanf(""))));
  EXPECT_EQ(kws_expf(0.0f), 1.0f);
  EXPECT_EQ(kws_expf(-200.0f), 0.0f);
  EXPECT_EQ(kws_expf(100.0f), inf);
  EXPECT_EQ(kws_expf(-inf), 0.0f);
  EXPECT_EQ(kws_expf(inf), inf);
  EXPECT_TRUE(std::isnan(kws_expf(std::nanf(""))));
  EXPECT_TRUE(std::isfinite(kws_expf(88.72f)));
}

// The bits of a few values (subnormal and overflowing ones among them), from
// tools/kws_math_golden.py: the same algorithm in numpy float32, written
// independently. A change of algorithm, or an FMA contraction sneaking in,
// shows here.
TEST(KwsMath, PinnedBits) {
  const struct {
    float x;
    uint32_t log_bits, exp_bits;
  } cases[] = {
      {1e-6f, 0xc15d0c55u, 0x3f800008u},
      {0.1234567f, 0xc005e11du, 0x3f90d1c0u},
      {2.5f, 0x3f6a9208u, 0x4142eb7fu},
      {1234.5f, 0x40e3ca1cu, 0x7f800000u},
      {-3.25f, 0x7fc00000u, 0x3d1ed1b4u},
      {-87.5f, 0x7fc00000u, 0x006cb2bcu},
      {1.17e-39f, 0xc2b349a2u, 0x3f800000u},
      {0.69314718f, 0xbebba795u, 0x40000000u},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(kws_float_bits(kws_logf(c.x)), c.log_bits) << c.x;
    EXPECT_EQ(kws_float_bits(kws_expf(c.x)), c.exp_bits) << c.x;
  }
}

}  // namespace
}  // namespace tinykws
