// MfccStream: frames of a continuous stream, each computed once by the same
// kernel MfccExtractor uses (so values are bit-identical to whole-clip MFCC).
// Samples live in one linear buffer of frame_length + (batch - 1) * step
// values; after a batch the samples still needed move to the front.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>

#include "features/mfcc_tables.hpp"
#include "features/pcm_convert.hpp"
#include "tinykws/features.hpp"

namespace tinykws {

namespace {

constexpr int kMaxBatchFrames = 256;

}  // namespace

struct MfccStream::Impl {
  Impl(const FeatureConfig& config, int batch)
      : tables(features::MakeMfccTables(config)),
        scratch(tables),
        kernel(features::BestMfccKernel(config.precision)),
        batch_frames(batch),
        capacity(static_cast<size_t>(config.frame_length) +
                 static_cast<size_t>(batch - 1) * config.frame_step),
        samples(capacity) {}

  int Ready() const {
    const size_t length = static_cast<size_t>(tables.config.frame_length);
    if (filled < length) return 0;
    return 1 + static_cast<int>((filled - length) /
                                static_cast<size_t>(tables.config.frame_step));
  }

  template <typename T, typename Convert>
  size_t Append(const T* pcm, size_t n, Convert convert) {
    if (pcm == nullptr) return 0;
    // Take samples only while fewer than batch_frames frames are complete,
    // so the buffer never overflows.
    const size_t take = std::min(n, capacity - filled);
    float* dst = samples.data() + filled;
    for (size_t i = 0; i < take; ++i) dst[i] = convert(pcm[i]);
    filled += take;
    appended += static_cast<int64_t>(take);
    return take;
  }

  features::MfccTables tables;
  features::MfccScratch scratch;
  features::MfccKernel kernel;
  int batch_frames;
  size_t capacity;
  AlignedBuffer<float> samples;  // int16 values as float, oldest first
  size_t filled = 0;             // samples held, from the next frame's start
  int64_t frames = 0;
  int64_t appended = 0;
};

StatusOr<MfccStream> MfccStream::Create(const FeatureConfig& config,
                                        int batch_frames) {
  TINYKWS_RETURN_IF_ERROR(ValidateFeatureConfig(config));
  if (batch_frames < 1 || batch_frames > kMaxBatchFrames) {
    return InvalidArgument("MFCC stream: batch_frames must be 1.." +
                           std::to_string(kMaxBatchFrames) + ", got " +
                           std::to_string(batch_frames));
  }
  try {
    return MfccStream(std::make_unique<Impl>(config, batch_frames));
  } catch (const std::bad_alloc&) {
    return OutOfRange("MFCC stream: out of memory");
  }
}

MfccStream::MfccStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MfccStream::MfccStream(MfccStream&&) noexcept = default;
MfccStream& MfccStream::operator=(MfccStream&&) noexcept = default;
MfccStream::~MfccStream() = default;

size_t MfccStream::Append(const int16_t* pcm, size_t n) {
  if (impl_ == nullptr) return 0;
  return impl_->Append(pcm, n, [](int16_t v) { return static_cast<float>(v); });
}

size_t MfccStream::Append(const float* pcm, size_t n) {
  if (impl_ == nullptr) return 0;
  return impl_->Append(pcm, n, features::FloatSampleToInt16);
}

int MfccStream::ready_frames() const {
  return impl_ == nullptr ? 0 : impl_->Ready();
}

StatusOr<int> MfccStream::ComputeReady(float* out, size_t out_size) {
  if (impl_ == nullptr) return InvalidArgument("MFCC stream: moved from");
  Impl& s = *impl_;
  const int ready = s.Ready();
  if (ready == 0) return 0;
  const size_t coeffs = static_cast<size_t>(s.tables.config.num_mfcc);
  if (out == nullptr || out_size < static_cast<size_t>(ready) * coeffs) {
    return InvalidArgument("MFCC stream: output holds " +
                           std::to_string(out_size) + " floats, " +
                           std::to_string(ready) + " frames need " +
                           std::to_string(ready * coeffs));
  }
  const size_t step = static_cast<size_t>(s.tables.config.frame_step);
  // The narrowest vectors that hold the batch: a hop of 2 frames is twice
  // as fast on 2 lanes as on 8 (measured with `kws bench --hops`).
  features::MfccKernelForFrames(ready, s.tables.config.precision)
      .frames(s.tables, s.scratch, s.samples.data(), step, ready, out);
  s.frames += ready;
  const size_t consumed = static_cast<size_t>(ready) * step;
  const size_t keep = s.filled - consumed;
  std::memmove(s.samples.data(), s.samples.data() + consumed,
               keep * sizeof(float));
  s.filled = keep;
  return ready;
}

int64_t MfccStream::frames_computed() const {
  return impl_ == nullptr ? 0 : impl_->frames;
}
int64_t MfccStream::samples_appended() const {
  return impl_ == nullptr ? 0 : impl_->appended;
}
int MfccStream::batch_frames() const {
  return impl_ == nullptr ? 0 : impl_->batch_frames;
}

void MfccStream::Reset() {
  if (impl_ == nullptr) return;
  impl_->filled = 0;
  impl_->frames = 0;
  impl_->appended = 0;
}

// A moved-from stream answers with an all-zero config and "".
const FeatureConfig& MfccStream::config() const {
  static const FeatureConfig kNone{};
  return impl_ == nullptr ? kNone : impl_->tables.config;
}
const char* MfccStream::kernel_name() const {
  return impl_ == nullptr ? "" : impl_->kernel.name;
}

size_t MfccStream::memory_bytes() const {
  if (impl_ == nullptr) return 0;
  return sizeof(Impl) + features::MemoryBytes(impl_->tables, impl_->scratch) +
         (impl_->samples.size() * sizeof(float) + 63) / 64 * 64;
}

}  // namespace tinykws
