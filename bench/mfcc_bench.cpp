// MFCC of one clip on one thread: the fast kernel(s) of both front ends
// (float64 and float32, the .../Float32 rows) and the double-precision
// reference twin. Peer (PyTorch, same recipe): bench/peer_mfcc.py.
//   build/bench/mfcc_bench [--config configs/go_stop.toml]
#include <benchmark/benchmark.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "common/cpu.hpp"
#include "features/mfcc_reference.hpp"
#include "features/mfcc_tables.hpp"
#include "tinykws/config.hpp"

namespace {

std::string g_config_path =
    std::string(TINYKWS_SOURCE_DIR) + "/configs/go_stop.toml";

tinykws::FeatureConfig Config() {
  tinykws::StatusOr<tinykws::KwsConfig> config =
      tinykws::LoadConfig(g_config_path);
  if (!config.ok()) {
    std::fprintf(stderr, "error: %s\n", config.status().message().c_str());
    std::exit(1);
  }
  return config->features;
}

std::vector<int16_t> NoiseClip(int samples) {
  std::mt19937 rng(1);
  std::normal_distribution<float> normal(0.0f, 3000.0f);
  std::vector<int16_t> pcm(samples);
  for (int16_t& s : pcm) s = static_cast<int16_t>(normal(rng));
  return pcm;
}

void RunKernel(
    benchmark::State& state, tinykws::features::MfccKernelFn kernel,
    tinykws::FeaturePrecision precision = tinykws::FeaturePrecision::kFloat64) {
  tinykws::FeatureConfig config = Config();
  config.precision = precision;
  const tinykws::features::MfccTables tables =
      tinykws::features::MakeMfccTables(config);
  tinykws::features::MfccScratch scratch(tables);
  const std::vector<int16_t> pcm = NoiseClip(config.clip_samples);
  std::vector<float> out(config.num_features());
  for (auto _ : state) {
    kernel(tables, scratch, pcm.data(), pcm.size(), out.data());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_MfccPortable(benchmark::State& state) {
  RunKernel(state, tinykws::features::portable::ComputeMfcc);
}
BENCHMARK(BM_MfccPortable)->Unit(benchmark::kMicrosecond);

void BM_MfccPortableFloat32(benchmark::State& state) {
  RunKernel(state, tinykws::features::portable_f32::ComputeMfcc,
            tinykws::FeaturePrecision::kFloat32);
}
BENCHMARK(BM_MfccPortableFloat32)->Unit(benchmark::kMicrosecond);

#if defined(TINYKWS_HAVE_X86_KERNELS)
void BM_MfccAvx2(benchmark::State& state) {
  if (!tinykws::CpuHasAvx2()) {
    state.SkipWithError("no AVX2 on this CPU");
    return;
  }
  RunKernel(state, tinykws::features::avx2::ComputeMfcc);
}
BENCHMARK(BM_MfccAvx2)->Unit(benchmark::kMicrosecond);

void BM_MfccAvx2Float32(benchmark::State& state) {
  if (!tinykws::CpuHasAvx2()) {
    state.SkipWithError("no AVX2 on this CPU");
    return;
  }
  RunKernel(state, tinykws::features::avx2_f32::ComputeMfcc,
            tinykws::FeaturePrecision::kFloat32);
}
BENCHMARK(BM_MfccAvx2Float32)->Unit(benchmark::kMicrosecond);

void BM_MfccAvx512(benchmark::State& state) {
  if (!tinykws::CpuHasAvx512()) {
    state.SkipWithError("no AVX-512 on this CPU");
    return;
  }
  RunKernel(state, tinykws::features::avx512::ComputeMfcc);
}
BENCHMARK(BM_MfccAvx512)->Unit(benchmark::kMicrosecond);

void BM_MfccAvx512Float32(benchmark::State& state) {
  if (!tinykws::CpuHasAvx512()) {
    state.SkipWithError("no AVX-512 on this CPU");
    return;
  }
  RunKernel(state, tinykws::features::avx512_f32::ComputeMfcc,
            tinykws::FeaturePrecision::kFloat32);
}
BENCHMARK(BM_MfccAvx512Float32)->Unit(benchmark::kMicrosecond);
#endif

void BM_MfccReferenceTwin(benchmark::State& state) {
  const tinykws::FeatureConfig config = Config();
  const std::vector<int16_t> pcm = NoiseClip(config.clip_samples);
  for (auto _ : state) {
    std::vector<float> out =
        tinykws::features::ComputeMfccReference(config, pcm.data(), pcm.size());
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_MfccReferenceTwin)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--config") == 0) g_config_path = argv[i + 1];
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
