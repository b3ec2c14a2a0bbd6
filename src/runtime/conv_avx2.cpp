// The AVX2 conv kernel (compiled with -mavx2, chosen at run time):
// vpmaddwd + vpaddd; 16 registers hold 4 pixels x 3 vectors.
#include <immintrin.h>

namespace {
inline __m256i TinyDot(__m256i acc, __m256i x, __m256i w) {
  return _mm256_add_epi32(acc, _mm256_madd_epi16(x, w));
}
}  // namespace

#define TINYKWS_CONV_NAME ConvAvx2
#define TINYKWS_CONV_PIXELS 4
#define TINYKWS_CONV_VECTORS 3
#include "runtime/conv_x86.inc"
