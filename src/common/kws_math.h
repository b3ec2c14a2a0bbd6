/* logf and expf that give the same bits on every machine: the host's C++
 * runtime, the micro runtime on a Cortex-M, any C library. A libm's logf is
 * free to differ from another's in the last bit (newlib's for Cortex-M4F
 * differs from glibc's on ~15 % of MFCC values), and the features and
 * scores must not, so both runtimes call these. They use only IEEE-754
 * binary32 +, -, *, / (each rounded once: compile without FMA contraction,
 * as the MFCC kernels and src/micro are) and integer bit operations.
 * The algorithms are fdlibm's (FreeBSD e_logf.c, e_expf.c): within one ulp
 * of the exact result (tests/features/kws_math_test.cpp measures it).
 * C99 and C++. */
#ifndef TINYKWS_COMMON_KWS_MATH_H_
#define TINYKWS_COMMON_KWS_MATH_H_

#include <stdint.h>
#include <string.h>

static inline uint32_t kws_float_bits(float x) {
  uint32_t u;
  memcpy(&u, &x, sizeof u);
  return u;
}

static inline float kws_bits_float(uint32_t u) {
  float x;
  memcpy(&x, &u, sizeof x);
  return x;
}

/* Natural logarithm: -inf at +-0, NaN below 0 and for NaN, +inf at +inf. */
static inline float kws_logf(float x) {
  const float ln2_hi = 6.9313812256e-01f; /* 0x3f317180: k * ln2_hi exact */
  const float ln2_lo = 9.0580006145e-06f; /* 0x3717f7d1 */
  const float lg1 = 0.66666662693f;       /* 0xaaaaaa.0p-24 */
  const float lg2 = 0.40000972152f;       /* 0xccce13.0p-25 */
  const float lg3 = 0.28498786688f;       /* 0x91e9ee.0p-25 */
  const float lg4 = 0.24279078841f;       /* 0xf89e26.0p-26 */
  uint32_t u = kws_float_bits(x);
  int32_t k = 0;
  float f, s, z, w, r, hfsq, dk;
  if ((u & 0x7fffffffu) == 0) return kws_bits_float(0xff800000u); /* -inf */
  if (u >= 0x7f800000u) {               /* negative, +inf or NaN */
    if (u == 0x7f800000u) return x;     /* +inf */
    return kws_bits_float(0x7fc00000u); /* NaN */
  }
  if (u < 0x00800000u) { /* subnormal: scale into the normal range */
    u = kws_float_bits(x * 33554432.0f); /* 2^25 */
    k = -25;
  }
  k += (int32_t)(u >> 23) - 127;
  u = (u & 0x007fffffu) | 0x3f800000u; /* m in [1, 2) */
  if (u > 0x3fb504f3u) {               /* m > sqrt(2): m / 2 */
    u -= 0x00800000u;
    k += 1;
  }
  f = kws_bits_float(u) - 1.0f; /* exact, in [sqrt(1/2) - 1, sqrt(2) - 1] */
  s = f / (2.0f + f);
  z = s * s;
  w = z * z;
  r = z * (lg1 + w * lg3) + w * (lg2 + w * lg4);
  hfsq = 0.5f * f * f;
  dk = (float)k;
  return dk * ln2_hi - ((hfsq - (s * (hfsq + r) + dk * ln2_lo)) - f);
}

/* e^x: +inf above 88.72, 0 below -103.97 (subnormals in between), NaN for
 * NaN. */
static inline float kws_expf(float x) {
  const float ln2_hi = 6.9314575195e-01f; /* 0x3f317200 */
  const float ln2_lo = 1.4286067653e-06f; /* 0x35bfbe8e */
  const float inv_ln2 = 1.4426950216e+00f;
  const float p1 = 1.6666625440e-1f;  /* 0xaaaaa8.0p-26 */
  const float p2 = -2.7667332906e-3f; /* -0xb55215.0p-32 */
  const uint32_t u = kws_float_bits(x);
  const uint32_t magnitude = u & 0x7fffffffu;
  int32_t k = 0;
  float hi = x, lo = 0.0f, t, c, y;
  if (magnitude > 0x7f800000u) return x;                         /* NaN */
  if (x > 8.8721679688e+01f) return kws_bits_float(0x7f800000u); /* +inf */
  if (x < -1.0397208405e+02f) return 0.0f;
  if (magnitude > 0x3eb17218u) { /* |x| > ln2 / 2: x = k ln2 + r */
    k = (int32_t)(inv_ln2 * x + ((u >> 31) ? -0.5f : 0.5f));
    t = (float)k;
    hi = x - t * ln2_hi; /* exact */
    lo = t * ln2_lo;
    x = hi - lo;
  } else if (magnitude < 0x39000000u) { /* |x| < 2^-13 */
    return 1.0f + x;
  }
  t = x * x;
  c = x - t * (p1 + t * p2);
  if (k == 0) return 1.0f - ((x * c) / (c - 2.0f) - x);
  y = 1.0f - ((lo - (x * c) / (2.0f - c)) - hi);
  if (k > 127) return y * 2.0f * kws_bits_float(0x7f000000u); /* 2^127 */
  if (k >= -125) {
    return y * kws_bits_float((uint32_t)(127 + k) << 23); /* y 2^k */
  }
  /* y 2^(k + 100) 2^-100: an exact scaling, then one rounding. */
  return y * kws_bits_float((uint32_t)(127 + k + 100) << 23) *
         kws_bits_float((uint32_t)(127 - 100) << 23);
}

#endif /* TINYKWS_COMMON_KWS_MATH_H_ */
