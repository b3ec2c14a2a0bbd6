// The DFT inside the MFCC: tinykws' batched mixed-radix FFT vs Eigen's FFT
// module (KISS FFT inside), both on real 800-point frames (the seed config's
// frame_length), time per frame.
//   build/bench/fft_bench
#include <benchmark/benchmark.h>

#include <complex>
#include <random>
#include <unsupported/Eigen/FFT>
#include <vector>

#include "common/aligned_buffer.hpp"
#include "common/cpu.hpp"
#include "features/fft_plan.hpp"
#include "features/mfcc_tables.hpp"

namespace {

constexpr int kFrameLength = 800;  // benchmark input size, not a model setting

void BM_EigenRealFft(benchmark::State& state) {
  Eigen::FFT<float> fft;
  std::vector<float> frame(kFrameLength);
  std::mt19937 rng(1);
  std::normal_distribution<float> normal;
  for (float& v : frame) v = normal(rng);
  std::vector<std::complex<float>> spectrum;
  for (auto _ : state) {
    fft.fwd(spectrum, frame);
    benchmark::DoNotOptimize(spectrum.data());
  }
  state.SetItemsProcessed(state.iterations());  // frames
}
BENCHMARK(BM_EigenRealFft)->Unit(benchmark::kMicrosecond);

// One call transforms kLanes frames (a half-length complex FFT each, as the
// MFCC kernel runs it); items are frames.
template <void (*kFft)(const tinykws::features::FftPlan&, double*, double*,
                       double*, double*)>
void RunBatch(benchmark::State& state, int lanes) {
  const tinykws::features::FftPlan plan =
      tinykws::features::MakeFftPlan(kFrameLength / 2);
  const size_t n = static_cast<size_t>(plan.size) * lanes;
  tinykws::AlignedBuffer<double> re(n), im(n), work_re(n), work_im(n);
  for (auto _ : state) {
    kFft(plan, re.data(), im.data(), work_re.data(), work_im.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * lanes);
}

void BM_TinykwsFftPortable(benchmark::State& state) {
  RunBatch<tinykws::features::portable::ComplexFftBatch>(
      state, tinykws::features::portable::kLanes);
}
BENCHMARK(BM_TinykwsFftPortable)->Unit(benchmark::kMicrosecond);

#if defined(TINYKWS_HAVE_X86_KERNELS)
void BM_TinykwsFftAvx2(benchmark::State& state) {
  if (!tinykws::CpuHasAvx2()) return state.SkipWithError("no AVX2");
  RunBatch<tinykws::features::avx2::ComplexFftBatch>(
      state, tinykws::features::avx2::kLanes);
}
BENCHMARK(BM_TinykwsFftAvx2)->Unit(benchmark::kMicrosecond);

void BM_TinykwsFftAvx512(benchmark::State& state) {
  if (!tinykws::CpuHasAvx512()) return state.SkipWithError("no AVX-512");
  RunBatch<tinykws::features::avx512::ComplexFftBatch>(
      state, tinykws::features::avx512::kLanes);
}
BENCHMARK(BM_TinykwsFftAvx512)->Unit(benchmark::kMicrosecond);
#endif

}  // namespace

BENCHMARK_MAIN();
