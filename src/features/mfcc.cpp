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

MfccKernel BestMfccKernel() {
#if defined(TINYKWS_HAVE_X86_KERNELS)
  if (CpuHasAvx512())
    return {"avx512", avx512::ComputeMfcc, avx512::ComputeFrames};
  if (CpuHasAvx2()) return {"avx2", avx2::ComputeMfcc, avx2::ComputeFrames};
#endif
  return {kPortableName, portable::ComputeMfcc, portable::ComputeFrames};
}

MfccKernel MfccKernelForFrames(int frames) {
#if defined(TINYKWS_HAVE_X86_KERNELS)
  if (frames > avx2::kLanes && CpuHasAvx512()) return BestMfccKernel();
  if (frames > portable::kLanes && CpuHasAvx2()) {
    return {"avx2", avx2::ComputeMfcc, avx2::ComputeFrames};
  }
  return {kPortableName, portable::ComputeMfcc, portable::ComputeFrames};
#else
  (void)frames;
  return BestMfccKernel();
#endif
}

}  // namespace features

struct MfccExtractor::Impl {
  explicit Impl(const FeatureConfig& config)
      : tables(features::MakeMfccTables(config)),
        scratch(tables),
        kernel(features::BestMfccKernel()) {}
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

const FeatureConfig& MfccExtractor::config() const {
  return impl_->tables.config;
}

const char* MfccExtractor::kernel_name() const { return impl_->kernel.name; }

size_t MfccExtractor::memory_bytes() const {
  return impl_ == nullptr ? 0
                          : sizeof(Impl) + features::MemoryBytes(
                                               impl_->tables, impl_->scratch);
}

}  // namespace tinykws
