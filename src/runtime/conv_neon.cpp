// The AArch64 NEON conv kernel (NEON is part of every AArch64 CPU, so it is
// chosen without a run-time check). The packed layout of conv_kernels.hpp
// feeds it directly: vld2q splits a pair's 16 weights into the 8 lanes of the
// first channel and the 8 of the second, and each is one widening
// multiply-add (smlal / smlal2 by element) by the pixel's activation, whose
// pair is one 32-bit load. 16 of the 32 registers hold the 4 pixels x 2
// vectors of 8 int32 accumulators.
//
// Why not the dot-product extension (sdot): it multiplies int8 by int8, and
// activations here are int16 (q - zero point spans -255..255).
#if defined(__aarch64__)
#include <arm_neon.h>

#include <cstring>

#include "runtime/conv_kernels.hpp"

namespace tinykws::runtime {

namespace {

constexpr int kPixels = 4;
constexpr int kVectors = 2;

// Exactly quant::Requantize on 4 lanes. sqrdmulh is gemmlowp's
// SaturatingRoundingDoublingHighMul, floor((a * b + 2^30) / 2^31); srshl by
// -r rounds half up, so negative values first step down by one (saturating)
// to round half away from zero, as gemmlowp's NEON RoundingDivideByPOT does.
// (x & -r) has x's sign bit when r > 0 and is 0 when r = 0.
inline int32x4_t Requantize4(int32x4_t acc, int32x4_t multiplier,
                             int32x4_t neg_shift) {
  const int32x4_t high = vqrdmulhq_s32(acc, multiplier);
  const int32x4_t fixup = vshrq_n_s32(vandq_s32(high, neg_shift), 31);
  return vrshlq_s32(vqaddq_s32(high, fixup), neg_shift);
}

// A pixel's two activations of a channel pair, in lanes 0 and 1 (and 2, 3).
inline int16x4_t LoadPair(const int16_t* p) {
  int32_t pair;
  std::memcpy(&pair, p, sizeof(pair));
  return vreinterpret_s16_s32(vdup_n_s32(pair));
}

// NP consecutive output pixels in raster order x NB channel blocks from b0.
template <int NP, int NB>
void ConvTile(const ConvPlan& plan, const int16_t* in, const ConvTarget& out,
              int first, int b0) {
  const int taps = plan.kernel_h * plan.kernel_w;
  const size_t block_weights =
      static_cast<size_t>(taps) * plan.pairs * kBlock * 2;
  const int16_t* x[NP];
  int16_t* y_out[NP];
  for (int q = 0; q < NP; ++q) {
    const int oy = (first + q) / plan.out_width,
              ox = (first + q) % plan.out_width;
    x[q] = in + static_cast<size_t>(oy) * plan.stride_h * plan.row_stride +
           static_cast<size_t>(ox) * plan.stride_w * plan.pixel_stride;
    y_out[q] = out.pool != nullptr
                   ? nullptr
                   : out.data + static_cast<size_t>(oy) * out.row_stride +
                         static_cast<size_t>(ox) * out.pixel_stride;
  }
  // Output channels 0-3 and 4-7 of each block.
  int32x4_t lo[NP][NB], hi[NP][NB];
  for (int b = 0; b < NB; ++b) {
    const int32_t* bias = plan.bias + (b0 + b) * kBlock;
    for (int q = 0; q < NP; ++q) {
      lo[q][b] = vld1q_s32(bias);
      hi[q][b] = vld1q_s32(bias + 4);
    }
  }
  const int16_t* w0 = plan.weights + b0 * block_weights;
  for (int t = 0; t < taps; ++t) {
    const size_t tap = static_cast<size_t>(t / plan.kernel_w) *
                           plan.dilation_h * plan.row_stride +
                       static_cast<size_t>(t % plan.kernel_w) *
                           plan.dilation_w * plan.pixel_stride;
    const int16_t* wt = w0 + static_cast<size_t>(t) * plan.pairs * kBlock * 2;
    for (int p = 0; p < plan.pairs; ++p) {
      int16x8x2_t w[NB];  // val[0]: first channel of the pair, val[1]: second
      for (int b = 0; b < NB; ++b)
        w[b] = vld2q_s16(wt + b * block_weights + p * kBlock * 2);
      for (int q = 0; q < NP; ++q) {
        const int16x4_t xq = LoadPair(x[q] + tap + 2 * p);
        for (int b = 0; b < NB; ++b) {
          lo[q][b] = vmlal_lane_s16(lo[q][b], vget_low_s16(w[b].val[0]), xq, 0);
          hi[q][b] = vmlal_high_lane_s16(hi[q][b], w[b].val[0], xq, 0);
          lo[q][b] = vmlal_lane_s16(lo[q][b], vget_low_s16(w[b].val[1]), xq, 1);
          hi[q][b] = vmlal_high_lane_s16(hi[q][b], w[b].val[1], xq, 1);
        }
      }
    }
  }
  const int32x4_t lowest = vdupq_n_s32(plan.lowest);
  const int32x4_t highest = vdupq_n_s32(plan.highest);
  for (int b = 0; b < NB; ++b) {
    const int c = (b0 + b) * kBlock;
    const int32x4_t m_lo = vld1q_s32(plan.multiplier + c);
    const int32x4_t m_hi = vld1q_s32(plan.multiplier + c + 4);
    const int32x4_t s_lo = vnegq_s32(vld1q_s32(plan.right_shift + c));
    const int32x4_t s_hi = vnegq_s32(vld1q_s32(plan.right_shift + c + 4));
    int32x4_t pooled_lo = vdupq_n_s32(0), pooled_hi = vdupq_n_s32(0);
    for (int q = 0; q < NP; ++q) {
      const int32x4_t y_lo = vminq_s32(
          vmaxq_s32(Requantize4(lo[q][b], m_lo, s_lo), lowest), highest);
      const int32x4_t y_hi = vminq_s32(
          vmaxq_s32(Requantize4(hi[q][b], m_hi, s_hi), lowest), highest);
      if (out.pool != nullptr) {
        pooled_lo = vaddq_s32(pooled_lo, y_lo);
        pooled_hi = vaddq_s32(pooled_hi, y_hi);
      } else {
        vst1q_s16(y_out[q] + c,
                  vcombine_s16(vqmovn_s32(y_lo), vqmovn_s32(y_hi)));
      }
    }
    if (out.pool != nullptr) {
      int32_t* sum = out.pool + c;
      vst1q_s32(sum, vaddq_s32(vld1q_s32(sum), pooled_lo));
      vst1q_s32(sum + 4, vaddq_s32(vld1q_s32(sum + 4), pooled_hi));
    }
  }
}

#define TINYKWS_CONV_NAME ConvNeon
#include "runtime/conv_tiles.inc"

#endif  // __aarch64__
