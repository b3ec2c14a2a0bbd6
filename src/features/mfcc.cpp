#include <new>

#include "common/cpu.hpp"
#include "features/mfcc_tables.hpp"
#include "tinykws/features.hpp"

namespace tinykws {

namespace features {

namespace {
// The portable kernel's 2-lane double vectors are NEON on AArch64.
#if defined(__aarch64__)
constexpr const char* kPortableName = "neon";
#else
constexpr const char* kPortableName = "portable";
#endif
}  // namespace

// Kernel tables by instruction set: [0] float64, [1] float32.
#define TINYKWS_KERNEL_PAIR(name, isa)              \
  const MfccKernel isa##_kernels[2] = {             \
      {name, isa::ComputeMfcc, isa::ComputeFrames}, \
      {name, isa##_f32::ComputeMfcc, isa##_f32::ComputeFrames}}
TINYKWS_KERNEL_PAIR(kPortableName, portable);
#if defined(TINYKWS_HAVE_X86_KERNELS)
TINYKWS_KERNEL_PAIR("avx2", avx2);
TINYKWS_KERNEL_PAIR("avx512", avx512);
#endif
#undef TINYKWS_KERNEL_PAIR

MfccKernel BestMfccKernel(FeaturePrecision precision, bool use_simd) {
  const int p = precision == FeaturePrecision::kFloat32 ? 1 : 0;
#if defined(TINYKWS_HAVE_X86_KERNELS)
  // float32 on AVX-512 runs 16 frames per batch: a 34-frame clip fills 34
  // of 48 lanes and is slower than AVX2's 34 of 40 (bench/mfcc_bench:
  // 18.2 against 16.8 us), so float32 stops at AVX2 here; MfccKernelForFrames
  // still takes AVX-512 for batches that fill it.
  if (use_simd && p == 0 && CpuHasAvx512()) return avx512_kernels[p];
  if (use_simd && CpuHasAvx2()) return avx2_kernels[p];
#endif
  (void)use_simd;
  return portable_kernels[p];
}

MfccKernel MfccKernelForFrames(int frames, FeaturePrecision precision) {
#if defined(TINYKWS_HAVE_X86_KERNELS)
  const int p = precision == FeaturePrecision::kFloat32 ? 1 : 0;
  const int avx2_lanes = p ? avx2_f32::kLanes : avx2::kLanes;
  const int portable_lanes = p ? portable_f32::kLanes : portable::kLanes;
  const int avx512_lanes = p ? avx512_f32::kLanes : avx512::kLanes;
  if (p == 0 ? frames > avx2_lanes : frames >= avx512_lanes) {
    if (CpuHasAvx512()) return avx512_kernels[p];
  }
  if (frames > portable_lanes && CpuHasAvx2()) return avx2_kernels[p];
  return portable_kernels[p];
#else
  (void)frames;
  return BestMfccKernel(precision);
#endif
}

}  // namespace features

struct MfccExtractor::Impl {
  explicit Impl(const FeatureConfig& config)
      : tables(features::MakeMfccTables(config)),
        scratch(tables),
        kernel(features::BestMfccKernel(config.precision)) {}
  features::MfccTables tables;
  features::MfccScratch scratch;
  features::MfccKernel kernel;
};

StatusOr<MfccExtractor> MfccExtractor::Create(const FeatureConfig& config) {
  TINYKWS_RETURN_IF_ERROR(ValidateFeatureConfig(config));
  try {
    return MfccExtractor(std::make_unique<Impl>(config));
  } catch (const std::bad_alloc&) {
    return OutOfRange("MFCC tables: out of memory");
  }
}

MfccExtractor::MfccExtractor(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
MfccExtractor::MfccExtractor(MfccExtractor&&) noexcept = default;
MfccExtractor& MfccExtractor::operator=(MfccExtractor&&) noexcept = default;
MfccExtractor::~MfccExtractor() = default;

Status MfccExtractor::Compute(const int16_t* pcm, size_t num_samples,
                              float* out, size_t out_size) {
  if (impl_ == nullptr)
    return InvalidArgument("MFCC: extractor was moved from");
  const size_t needed =
      static_cast<size_t>(impl_->tables.config.num_features());
  if (out == nullptr || out_size < needed) {
    return InvalidArgument("MFCC: output holds " + std::to_string(out_size) +
                           " floats, needs " + std::to_string(needed));
  }
  if (pcm == nullptr && num_samples > 0) {
    return InvalidArgument("MFCC: no samples given (null pointer)");
  }
  impl_->kernel.compute(impl_->tables, impl_->scratch, pcm, num_samples, out);
  return Status::Ok();
}

// A moved-from extractor answers with an all-zero config and "".
const FeatureConfig& MfccExtractor::config() const {
  static const FeatureConfig kNone{};
  return impl_ == nullptr ? kNone : impl_->tables.config;
}

const char* MfccExtractor::kernel_name() const {
  return impl_ == nullptr ? "" : impl_->kernel.name;
}

size_t MfccExtractor::memory_bytes() const {
  return impl_ == nullptr ? 0
                          : sizeof(Impl) + features::MemoryBytes(
                                               impl_->tables, impl_->scratch);
}

}  // namespace tinykws
