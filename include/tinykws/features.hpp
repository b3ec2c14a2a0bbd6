// MFCC features, numerically the tf.signal recipe:
//   int16 / 32768, padded or cut to clip_samples
//   frames of frame_length every frame_step (no end padding)
//   periodic Hann window, DFT of length frame_length (not padded), magnitude
//   HTK mel matrix (DC row zero, triangles in mel space, unnormalized)
//   ln(mel + log_offset), DCT-II scaled by sqrt(2 / mel_bins) for every k
//   first num_mfcc coefficients.
// The one FeatureConfig travels config file -> training -> model file -> every
// consumer; there is no other copy of these numbers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "tinykws/export.hpp"
#include "tinykws/status.hpp"

namespace tinykws {

// Arithmetic of the DFT stage (window, FFT, magnitudes); mel, log and DCT are
// float32 in both. float64 is the tf.signal recipe to ~1e-6; float32 is what
// a microcontroller FPU (Cortex-M4F/M7, ESP32-S3) computes natively, and
// about twice as fast on x86. A model records the one it was trained with.
enum class FeaturePrecision : int { kFloat64 = 0, kFloat32 = 1 };

// "float64" / "float32".
TINYKWS_API const char* FeaturePrecisionName(FeaturePrecision precision);

struct FeatureConfig {
  int sample_rate = 0;   // Hz
  int clip_samples = 0;  // audio is padded with zeros or cut to this length
  int frame_length = 0;  // samples per frame, also the DFT length
  int frame_step = 0;    // samples between frame starts
  int mel_bins = 0;
  float fmin_hz = 0.0f;  // lower edge of the first mel triangle
  float fmax_hz = 0.0f;  // upper edge of the last mel triangle
  int num_mfcc = 0;      // DCT coefficients kept
  float log_offset = 0.0f;
  FeaturePrecision precision = FeaturePrecision::kFloat64;

  // Derived sizes; meaningful only for a config that validates.
  int num_frames() const;    // 1 + (clip_samples - frame_length) / frame_step
  int num_fft_bins() const;  // frame_length / 2 + 1
  int num_features() const;  // num_frames() * num_mfcc
};

TINYKWS_API bool operator==(const FeatureConfig& a, const FeatureConfig& b);
inline bool operator!=(const FeatureConfig& a, const FeatureConfig& b) {
  return !(a == b);
}

// Checks every field and their relations (fmax <= sample_rate / 2, frame <=
// clip, num_mfcc <= mel_bins, ...). The message names the field and value.
TINYKWS_API Status ValidateFeatureConfig(const FeatureConfig& config);

// Computes MFCCs of one clip. Create() precomputes window, DFT plan, mel
// matrix and DCT once; Compute() then never allocates. Not thread-safe: give
// every thread its own extractor (they are cheap, a few tens of KB).
class TINYKWS_API MfccExtractor {
 public:
  static StatusOr<MfccExtractor> Create(const FeatureConfig& config);

  MfccExtractor(MfccExtractor&&) noexcept;
  MfccExtractor& operator=(MfccExtractor&&) noexcept;
  ~MfccExtractor();

  // pcm: mono int16 at config().sample_rate; shorter clips are padded with
  // zeros, longer ones cut to clip_samples. out receives num_frames x
  // num_mfcc floats, row-major (frame-major). out_size must be at least
  // config().num_features().
  Status Compute(const int16_t* pcm, size_t num_samples, float* out,
                 size_t out_size);

  // Moved from: an all-zero config, kernel "", 0 bytes (Compute fails).
  const FeatureConfig& config() const;

  // Name of the kernel in use ("avx512", "avx2", "neon" or "portable").
  const char* kernel_name() const;

  // Bytes of tables and working buffers this extractor holds.
  size_t memory_bytes() const;

  struct Impl;

 private:
  explicit MfccExtractor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Incremental MFCC over a continuous stream (the front end of the streaming
// Spotter). Frame f covers stream samples [f * frame_step, f * frame_step +
// frame_length): where MfccExtractor::Compute places frame f on a clip that
// starts at the first sample, with bit-identical values. Each frame is
// computed once, whatever the chunk sizes. All memory is allocated by
// Create; Append and ComputeReady never allocate. Not thread-safe.
//
//   while (n > 0) {
//     size_t used = stream.Append(pcm, n);  pcm += used;  n -= used;
//     int frames = stream.ComputeReady(out, out_size);  // oldest first
//   }
class TINYKWS_API MfccStream {
 public:
  // batch_frames (1..256): frames buffered and computed together at most;
  // the buffer holds frame_length + (batch_frames - 1) * frame_step samples.
  static StatusOr<MfccStream> Create(const FeatureConfig& config,
                                     int batch_frames);

  MfccStream(MfccStream&&) noexcept;
  MfccStream& operator=(MfccStream&&) noexcept;
  ~MfccStream();

  // Buffers samples until batch_frames frames are complete and returns how
  // many it took (fewer than n when the buffer is full: call ComputeReady,
  // then append the rest). The float form takes [-1, 1] samples and converts
  // them as audio files are read: x * 32768, rounded half away from zero,
  // saturated to int16 (NaN -> 0).
  size_t Append(const int16_t* pcm, size_t n);
  size_t Append(const float* pcm, size_t n);

  // Complete frames not yet computed (0..batch_frames).
  int ready_frames() const;
  // Computes the ready frames, oldest first, into out (ready_frames() x
  // num_mfcc floats; out_size must hold them) and returns their count.
  // Samples no later frame needs are dropped.
  StatusOr<int> ComputeReady(float* out, size_t out_size);

  int64_t frames_computed() const;  // since Create or Reset
  int64_t samples_appended() const;
  int batch_frames() const;
  // Back to an empty stream (sample 0), keeping the memory.
  void Reset();

  // Moved from: an all-zero config, kernel "", 0 everywhere (ComputeReady
  // fails).
  const FeatureConfig& config() const;
  const char* kernel_name() const;
  // Bytes of tables and buffers this stream holds.
  size_t memory_bytes() const;

  struct Impl;

 private:
  explicit MfccStream(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tinykws
