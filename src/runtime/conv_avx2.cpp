// The AVX2 kernel (compiled with -mavx2, chosen at run time): blocks of up
// to 4 output pixels x 3 channel vectors (24 channels) in 12 accumulators;
// each pair of input channels is one broadcast and one vpmaddwd per vector.
#include <immintrin.h>

#include <cstring>

#include "runtime/conv_kernels.hpp"

namespace tinykws::runtime {

namespace {

// gemmlowp requantization of 8 lanes, exactly quant::Requantize:
// floor((acc * m + 2^30) / 2^31), then divide by 2^r rounding half away.
inline __m256i Requantize8(__m256i acc, __m256i multiplier,
                           __m256i right_shift) {
  const __m256i round = _mm256_set1_epi64x(int64_t{1} << 30);
  const __m256i even =
      _mm256_add_epi64(_mm256_mul_epi32(acc, multiplier), round);
  const __m256i odd =
      _mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(acc, 32),
                                        _mm256_srli_epi64(multiplier, 32)),
                       round);
  // Bits 31..62 of each 64-bit sum: low dword of even >> 31, high dword of
  // odd << 1.
  const __m256i high = _mm256_blend_epi32(_mm256_srli_epi64(even, 31),
                                          _mm256_slli_epi64(odd, 1), 0xAA);
  const __m256i one = _mm256_set1_epi32(1);
  const __m256i mask =
      _mm256_sub_epi32(_mm256_sllv_epi32(one, right_shift), one);
  const __m256i remainder = _mm256_and_si256(high, mask);
  // threshold = mask / 2 + (high < 0); cmpgt gives -1 for true.
  const __m256i threshold =
      _mm256_sub_epi32(_mm256_srai_epi32(mask, 1),
                       _mm256_cmpgt_epi32(_mm256_setzero_si256(), high));
  return _mm256_sub_epi32(_mm256_srav_epi32(high, right_shift),
                          _mm256_cmpgt_epi32(remainder, threshold));
}

inline __m256i Broadcast2(const int16_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof(v));
  return _mm256_set1_epi32(v);
}

inline __m256i Load(const void* p) {
  return _mm256_loadu_si256(static_cast<const __m256i*>(p));
}

// NP output pixels (ox0.. in row oy) x NB channel blocks from block b0.
template <int NP, int NB>
void ConvTile(const ConvPlan& plan, const int16_t* in, const ConvTarget& out,
              int oy, int ox0, int b0) {
  const int taps = plan.kernel_h * plan.kernel_w;
  const size_t block_weights =
      static_cast<size_t>(taps) * plan.pairs * kBlock * 2;
  __m256i acc[NP][NB];
  for (int b = 0; b < NB; ++b) {
    const __m256i bias = Load(plan.bias + (b0 + b) * kBlock);
    for (int q = 0; q < NP; ++q) acc[q][b] = bias;
  }
  const int16_t* w0 = plan.weights + b0 * block_weights;
  for (int t = 0; t < taps; ++t) {
    const int iy = oy * plan.stride_h + (t / plan.kernel_w) * plan.dilation_h;
    const int ix = ox0 * plan.stride_w + (t % plan.kernel_w) * plan.dilation_w;
    const int16_t* x = in + static_cast<size_t>(iy) * plan.row_stride +
                       static_cast<size_t>(ix) * plan.pixel_stride;
    const int16_t* wt = w0 + static_cast<size_t>(t) * plan.pairs * kBlock * 2;
    const size_t step = static_cast<size_t>(plan.stride_w) * plan.pixel_stride;
    for (int p = 0; p < plan.pairs; ++p) {
      __m256i w[NB];
      for (int b = 0; b < NB; ++b)
        w[b] = Load(wt + b * block_weights + p * kBlock * 2);
      for (int q = 0; q < NP; ++q) {
        const __m256i xq = Broadcast2(x + q * step + 2 * p);
        for (int b = 0; b < NB; ++b) {
          acc[q][b] = _mm256_add_epi32(acc[q][b], _mm256_madd_epi16(xq, w[b]));
        }
      }
    }
  }
  const __m256i lowest = _mm256_set1_epi32(plan.lowest);
  const __m256i highest = _mm256_set1_epi32(plan.highest);
  for (int b = 0; b < NB; ++b) {
    const int c = (b0 + b) * kBlock;
    const __m256i multiplier = Load(plan.multiplier + c);
    const __m256i right_shift = Load(plan.right_shift + c);
    __m256i pooled = _mm256_setzero_si256();
    for (int q = 0; q < NP; ++q) {
      const __m256i y = _mm256_min_epi32(
          _mm256_max_epi32(Requantize8(acc[q][b], multiplier, right_shift),
                           lowest),
          highest);
      if (out.pool != nullptr) {
        pooled = _mm256_add_epi32(pooled, y);
      } else {
        const __m256i packed =
            _mm256_permute4x64_epi64(_mm256_packs_epi32(y, y), 0x08);
        _mm_storeu_si128(
            reinterpret_cast<__m128i*>(
                out.data + static_cast<size_t>(oy) * out.row_stride +
                static_cast<size_t>(ox0 + q) * out.pixel_stride + c),
            _mm256_castsi256_si128(packed));
      }
    }
    if (out.pool != nullptr) {
      __m256i* sum = reinterpret_cast<__m256i*>(out.pool + c);
      _mm256_storeu_si256(sum,
                          _mm256_add_epi32(_mm256_loadu_si256(sum), pooled));
    }
  }
}

template <int NP>
void ConvRowTile(const ConvPlan& plan, const int16_t* in, const ConvTarget& out,
                 int oy, int ox0) {
  int b = 0;
  for (; b + 3 <= plan.blocks; b += 3)
    ConvTile<NP, 3>(plan, in, out, oy, ox0, b);
  if (plan.blocks - b == 2) ConvTile<NP, 2>(plan, in, out, oy, ox0, b);
  if (plan.blocks - b == 1) ConvTile<NP, 1>(plan, in, out, oy, ox0, b);
}

}  // namespace

void ConvAvx2(const ConvPlan& plan, const int16_t* in, const ConvTarget& out) {
  for (int oy = 0; oy < plan.out_height; ++oy) {
    int ox = 0;
    for (; ox + 4 <= plan.out_width; ox += 4)
      ConvRowTile<4>(plan, in, out, oy, ox);
    switch (plan.out_width - ox) {
      case 3:
        ConvRowTile<3>(plan, in, out, oy, ox);
        break;
      case 2:
        ConvRowTile<2>(plan, in, out, oy, ox);
        break;
      case 1:
        ConvRowTile<1>(plan, in, out, oy, ox);
        break;
      default:
        break;
    }
  }
}

}  // namespace tinykws::runtime
