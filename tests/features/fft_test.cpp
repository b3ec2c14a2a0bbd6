// The batched mixed-radix FFT against a direct DFT in long double, for every
// instruction-set variant this CPU runs.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <random>
#include <vector>

#include "common/aligned_buffer.hpp"
#include "common/cpu.hpp"
#include "features/fft_plan.hpp"
#include "features/mfcc_tables.hpp"

namespace tinykws::features {
namespace {

using FftFn = void (*)(const FftPlan&, double*, double*, double*, double*);
using Signal = std::vector<std::complex<double>>;

struct Kernel {
  const char* name;
  FftFn fft;
  int lanes;
};

std::vector<Kernel> Kernels() {
  std::vector<Kernel> kernels = {
      {"portable", portable::ComplexFftBatch, portable::kLanes}};
#if defined(TINYKWS_HAVE_X86_KERNELS)
  if (CpuHasAvx2())
    kernels.push_back({"avx2", avx2::ComplexFftBatch, avx2::kLanes});
  if (CpuHasAvx512()) {
    kernels.push_back({"avx512", avx512::ComplexFftBatch, avx512::kLanes});
  }
#endif
  return kernels;
}

// Transforms each signal with the kernel, kernel.lanes signals per call,
// checking sentinels after every buffer for overruns.
std::vector<Signal> Transform(const Kernel& kernel, const FftPlan& plan,
                              const std::vector<Signal>& signals) {
  const int size = plan.size;
  const size_t n = static_cast<size_t>(size) * kernel.lanes;
  const double kSentinel = 12345.0;
  std::vector<Signal> out;
  for (size_t first = 0; first < signals.size(); first += kernel.lanes) {
    AlignedBuffer<double> re(n + 8), im(n + 8), work_re(n + 8), work_im(n + 8);
    for (size_t i = n; i < n + 8; ++i) {
      re[i] = im[i] = work_re[i] = work_im[i] = kSentinel;
    }
    for (int lane = 0; lane < kernel.lanes; ++lane) {
      if (first + lane >= signals.size()) break;
      for (int t = 0; t < size; ++t) {
        re[t * kernel.lanes + lane] = signals[first + lane][t].real();
        im[t * kernel.lanes + lane] = signals[first + lane][t].imag();
      }
    }
    kernel.fft(plan, re.data(), im.data(), work_re.data(), work_im.data());
    for (size_t i = n; i < n + 8; ++i) {
      EXPECT_EQ(re[i], kSentinel);
      EXPECT_EQ(im[i], kSentinel);
      EXPECT_EQ(work_re[i], kSentinel);
      EXPECT_EQ(work_im[i], kSentinel);
    }
    for (int lane = 0; lane < kernel.lanes; ++lane) {
      if (first + lane >= signals.size()) break;
      Signal spectrum(size);
      for (int k = 0; k < size; ++k) {
        spectrum[k] = {re[k * kernel.lanes + lane],
                       im[k * kernel.lanes + lane]};
      }
      out.push_back(spectrum);
    }
  }
  return out;
}

std::vector<Signal> RandomSignals(int count, int size, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<Signal> signals(count, Signal(size));
  for (Signal& s : signals) {
    for (auto& v : s) v = {normal(rng), normal(rng)};
  }
  return signals;
}

// Signal-to-error ratio in dB vs a direct DFT in long double.
double SnrDb(const Signal& input, const Signal& spectrum) {
  const int size = static_cast<int>(input.size());
  long double signal = 0, error = 0;
  for (int k = 0; k < size; ++k) {
    long double sr = 0, si = 0;
    for (int t = 0; t < size; ++t) {
      const long double angle = -2.0L * M_PI * ((1L * t * k) % size) / size;
      sr +=
          input[t].real() * std::cos(angle) - input[t].imag() * std::sin(angle);
      si +=
          input[t].real() * std::sin(angle) + input[t].imag() * std::cos(angle);
    }
    const long double er = spectrum[k].real() - sr;
    const long double ei = spectrum[k].imag() - si;
    signal += sr * sr + si * si;
    error += er * er + ei * ei;
  }
  return 10.0 * std::log10(static_cast<double>(signal / error));
}

class FftTest : public ::testing::TestWithParam<int> {};

TEST_P(FftTest, MatchesDirectDft) {
  const int size = GetParam();
  const FftPlan plan = MakeFftPlan(size);
  const std::vector<Signal> signals = RandomSignals(8, size, 7u + size);
  for (const Kernel& kernel : Kernels()) {
    const std::vector<Signal> spectra = Transform(kernel, plan, signals);
    ASSERT_EQ(spectra.size(), signals.size());
    for (size_t i = 0; i < signals.size(); ++i) {
      // double carries ~320 dB; these FFTs keep > 280 dB. A wrong twiddle or
      // index gives < 20 dB.
      EXPECT_GT(SnrDb(signals[i], spectra[i]), 280.0)
          << kernel.name << " size " << size << " signal " << i;
    }
  }
}

// 400 and 320 are the seed and reference configs' half frames; the others
// cover radix 2, 3, 4, 5, generic primes (7, 11) and a single point.
INSTANTIATE_TEST_SUITE_P(Sizes, FftTest,
                         ::testing::Values(1, 2, 3, 4, 5, 8, 12, 7, 14, 22, 36,
                                           100, 320, 400));

TEST(FftPlan, FactorsIntoRadices) {
  const FftPlan plan = MakeFftPlan(400);
  int product = 1;
  for (const FftStage& stage : plan.stages) product *= stage.radix;
  EXPECT_EQ(product, 400);
  ASSERT_EQ(plan.stages.size(), 4u);  // 4 * 4 * 5 * 5
  EXPECT_EQ(plan.stages[0].radix, 4);
  EXPECT_EQ(plan.stages[3].radix, 5);
}

TEST(FftKernels, IsaVariantsAreBitIdentical) {
  const std::vector<Kernel> kernels = Kernels();
  if (kernels.size() < 2)
    GTEST_SKIP() << "this CPU runs only the portable kernel";
  const FftPlan plan = MakeFftPlan(400);
  const std::vector<Signal> signals = RandomSignals(8, 400, 3);
  const std::vector<Signal> expected = Transform(kernels[0], plan, signals);
  for (size_t i = 1; i < kernels.size(); ++i) {
    EXPECT_EQ(Transform(kernels[i], plan, signals), expected)
        << kernels[i].name;
  }
}

}  // namespace
}  // namespace tinykws::features
