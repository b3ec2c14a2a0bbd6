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

  const FeatureConfig& config() const;

  // Name of the kernel in use ("avx512", "avx2" or "portable").
  const char* kernel_name() const;

  struct Impl;

 private:
  explicit MfccExtractor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tinykws
