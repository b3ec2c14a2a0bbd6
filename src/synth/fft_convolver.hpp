// Linear convolution by FFT with tinykws's own mixed-radix FFT
// (features/fft_plan.hpp, the float32 portable kernel): O(N log N) instead
// of the O(N M) direct sum. Transform sizes are products of 2, 3 and 5;
// plans are kept per size and buffers only grow, so a run of clips
// allocates nothing after the first few.
#pragma once

#include <map>
#include <vector>

#include "common/aligned_buffer.hpp"
#include "features/fft_plan.hpp"

namespace tinykws::synth {

class FftConvolver {
 public:
  // *x = (x * h) cut to x's length (the tail beyond it is dropped).
  void Convolve(const std::vector<float>& h, std::vector<float>* x);

  // Makes the plans and buffers for signals of x_length samples and
  // responses of up to max_h_length (e.g. before worker processes fork, so
  // that they share them instead of each making its own).
  void Warm(size_t x_length, size_t max_h_length);

  // The smallest 2^a 3^b 5^c >= n (n >= 1).
  static int FftSize(int n);

 private:
  void Prepare(int size);

  int size_ = 0;
  const features::FftPlan* plan_ = nullptr;
  std::map<int, features::FftPlan> plans_;
  size_t capacity_ = 0;  // floats in each buffer
  AlignedBuffer<float> re_, im_, work_re_, work_im_;
};

// The direct O(N M) sum, for tests only.
std::vector<float> ConvolveDirect(const std::vector<float>& x,
                                  const std::vector<float>& h);

}  // namespace tinykws::synth
