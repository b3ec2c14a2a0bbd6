// The lean inference runtime: load a .kws model once, classify 1 s clips.
// No third-party dependency; no heap allocation per Classify call.
//
//   auto model = tinykws::Model::Load("go_stop.kws");      // StatusOr
//   auto session = tinykws::Session::Create(*model);       // one per thread
//   tinykws::ClassifyResult result;
//   session->Classify(pcm, n, 16000, &result);
//   printf("%s %.3f\n", (*model)->labels()[result.label].c_str(),
//   result.score);
//
// Thread safety: a Model is immutable and may be shared by any number of
// threads; a Session is used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tinykws/detector.hpp"
#include "tinykws/export.hpp"
#include "tinykws/features.hpp"
#include "tinykws/status.hpp"

namespace tinykws {

namespace runtime {
struct Internals;  // the runtime's own access to the implementations
}

class TINYKWS_API Model {
 public:
  static StatusOr<std::shared_ptr<const Model>> Load(const std::string& path);
  // origin names the buffer in error messages.
  static StatusOr<std::shared_ptr<const Model>> LoadFromBuffer(
      const void* data, size_t size, const std::string& origin = "buffer");

  ~Model();
  const FeatureConfig& features() const;
  const std::vector<std::string>& labels() const;
  bool is_int8() const;
  size_t file_bytes() const;   // size of the model file
  int64_t parameters() const;  // weights and biases
  int64_t macs() const;        // multiply-accumulates per clip
  // Upper bounds of the working memory of a Session / a Spotter of this
  // model, from the file alone; models beyond 64 MiB are refused at load
  // (docs/model-format.md, "Resource limits"). A spotter fed at another rate
  // than the model's also holds its rate converter (sized by the rates,
  // at most 4 MiB of coefficients; Resampler::memory_bytes()).
  size_t session_bytes_bound() const;
  size_t spotter_bytes_bound() const;
  const std::vector<std::pair<std::string, std::string>>& metadata() const;
  // The streaming detector's parameters: the model file's, or
  // DefaultDetectorParams() when it has none (has_detector() is false).
  const DetectorParams& detector() const;
  bool has_detector() const;

  struct Impl;

 private:
  friend struct runtime::Internals;
  explicit Model(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct ClassifyResult {
  int label = -1;      // index into Model::labels()
  float score = 0.0f;  // softmax probability of label
  // Borrowed: labels().size() probabilities, valid until the session's next
  // call or its destruction.
  const float* scores = nullptr;
  double mfcc_us = 0.0;       // time spent computing features
  double inference_us = 0.0;  // time spent in the network
};

struct SessionOptions {
  // false: the portable int8 kernels instead of the fastest for this CPU
  // (same results bit for bit; for measuring what the SIMD kernels gain).
  bool use_simd = true;
  // The MFCC front end: unset, the one the model was trained with
  // (features().precision); set, that one instead, to measure what running
  // the model through the other path costs (kws eval --front-end).
  std::optional<FeaturePrecision> front_end;
};

class TINYKWS_API Session {
 public:
  // Sizes and allocates the arena once.
  static StatusOr<Session> Create(std::shared_ptr<const Model> model,
                                  const SessionOptions& options = {});

  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  ~Session();

  // pcm: mono int16 at sample_rate, which must be the model's rate (resample
  // before). At least one sample; shorter clips are zero-padded, longer
  // ones cut to the model's clip length.
  Status Classify(const int16_t* pcm, size_t num_samples, int sample_rate,
                  ClassifyResult* result);

  // The network alone, on precomputed MFCCs ([frames][num_mfcc]).
  Status ClassifyFeatures(const float* mfcc, size_t size,
                          ClassifyResult* result);

  // A moved-from session is safe to ask: an empty model (no labels,
  // all-zero features), 0 bytes, kernel "". Its Classify calls fail.
  const Model& model() const;
  size_t arena_bytes() const;  // working memory owned by this session
  // "avx512vnni", "avx2", "neon", "portable" (int8), or "float".
  const char* kernel_name() const;

  struct Impl;

 private:
  friend struct runtime::Internals;
  explicit Session(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tinykws
