#include "features/fft_plan.hpp"

#include <cmath>

namespace tinykws::features {

namespace {

std::vector<int> Factorize(int size) {
  std::vector<int> radices;
  int rest = size;
  while (rest % 4 == 0) {
    radices.push_back(4);
    rest /= 4;
  }
  for (int radix : {2, 3, 5}) {
    while (rest % radix == 0) {
      radices.push_back(radix);
      rest /= radix;
    }
  }
  for (int radix = 7; rest > 1; radix += 2) {
    while (rest % radix == 0) {
      radices.push_back(radix);
      rest /= radix;
    }
  }
  return radices;
}

// exp(-2 pi i num / den) in double, with num reduced mod den first so large
// products keep their accuracy.
void Root(long num, long den, double* re, double* im) {
  const double angle = -2.0 * M_PI * static_cast<double>(num % den) / den;
  *re = std::cos(angle);
  *im = std::sin(angle);
}

}  // namespace

FftPlan MakeFftPlan(int size) {
  FftPlan plan;
  plan.size = size;
  int length = size;
  int stride = 1;
  for (int radix : Factorize(size)) {
    FftStage stage;
    stage.radix = radix;
    stage.length = length;
    stage.stride = stride;
    stage.span = length / radix;
    stage.twiddle_offset = plan.twiddle_re.size();
    stage.root_offset = plan.root_re.size();
    for (int q = 0; q < stage.span; ++q) {
      for (int k = 1; k < radix; ++k) {
        double re, im;
        Root(static_cast<long>(q) * k, length, &re, &im);
        plan.twiddle_re.push_back(re);
        plan.twiddle_im.push_back(im);
      }
    }
    for (int r = 0; r < radix; ++r) {
      double re, im;
      Root(r, radix, &re, &im);
      plan.root_re.push_back(re);
      plan.root_im.push_back(im);
    }
    plan.stages.push_back(stage);
    length = stage.span;
    stride *= radix;
  }
  auto to_float = [](const std::vector<double>& v) {
    return std::vector<float>(v.begin(), v.end());
  };
  plan.twiddle_re32 = to_float(plan.twiddle_re);
  plan.twiddle_im32 = to_float(plan.twiddle_im);
  plan.root_re32 = to_float(plan.root_re);
  plan.root_im32 = to_float(plan.root_im);
  return plan;
}

}  // namespace tinykws::features
