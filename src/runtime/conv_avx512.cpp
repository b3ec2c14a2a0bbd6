// The AVX-512 VNNI conv kernel (compiled with -mavx512vnni -mavx512vl):
// one vpdpwssd per pair of channels instead of vpmaddwd + vpaddd, and 32
// registers hold 6 pixels x 4 vectors.
#include <immintrin.h>

namespace {
inline __m256i TinyDot(__m256i acc, __m256i x, __m256i w) {
  return _mm256_dpwssd_epi32(acc, x, w);
}
}  // namespace

#define TINYKWS_CONV_NAME ConvAvx512Vnni
#define TINYKWS_CONV_PIXELS 6
#define TINYKWS_CONV_VECTORS 4
#include "runtime/conv_x86.inc"
