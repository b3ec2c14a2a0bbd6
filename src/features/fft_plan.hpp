// Plan for a mixed-radix complex FFT (Stockham autosort, decimation in
// frequency): the factorization of the length and per-stage twiddles.
#pragma once

#include <cstddef>
#include <vector>

namespace tinykws::features {

struct FftStage {
  int radix = 0;
  int length = 0;             // n: sub-transform length this stage splits
  int stride = 0;             // s: number of interleaved sub-transforms
  int span = 0;               // m = n / radix
  size_t twiddle_offset = 0;  // into FftPlan::twiddle_re/im, span*(radix-1)
  size_t root_offset = 0;     // into FftPlan::root_re/im, radix entries
};

struct FftPlan {
  int size = 0;
  std::vector<FftStage> stages;
  // twiddle[offset + q * (radix - 1) + (k - 1)] = exp(-2 pi i q k / length)
  std::vector<double> twiddle_re, twiddle_im;
  // root[offset + r] = exp(-2 pi i r / radix), used by the generic butterfly
  std::vector<double> root_re, root_im;
  // The same tables rounded to float once, for the float32 front end.
  std::vector<float> twiddle_re32, twiddle_im32, root_re32, root_im32;
};

// Factors size into radices 4, 2, 3, 5 first, then any other prime.
// Precondition: size >= 1.
FftPlan MakeFftPlan(int size);

}  // namespace tinykws::features
