// Internals of Model and Session (shared by model.cpp, session.cpp and the
// C API).
#pragma once

#include <memory>

#include "common/aligned_buffer.hpp"
#include "format/model_file.hpp"
#include "micro/micro_internal.h"
#include "quant/float_model.hpp"
#include "runtime/packed_model.hpp"
#include "tinykws/runtime.hpp"

namespace tinykws {

struct Model::Impl {
  Impl() = default;
  // A copy's view would point into the original's bytes.
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  format::ModelFile file;
  std::string bytes;              // the file, which `view` points into
  kws_view view{};                // the core's view, for its graph code
  runtime::PackedModel packed;    // int8 models
  quant::FloatModel float_model;  // fp32 models
  int64_t parameters = 0;
  int64_t macs = 0;
  DetectorParams detector;  // the file's, or the defaults
};

struct Session::Impl {
  std::shared_ptr<const Model> model;
  std::unique_ptr<MfccExtractor> extractor;
  AlignedBuffer<float> mfcc;
  std::vector<AlignedBuffer<int16_t>> activations;  // one padded input per conv
  AlignedBuffer<int32_t> pool;
  std::vector<float> logits, scores;
  const kws_kernels* kernels = nullptr;  // int8 models: the conv kernels
  std::vector<const void*> prepared;     // the layers' PackedConvs
  std::vector<void*> inputs;             // activations[i].data()
  std::unique_ptr<quant::FloatExecutor> float_executor;
  size_t arena_bytes = 0;

  void RunInt8(const float* mfcc);
};

namespace runtime {

// Access to the implementations for the runtime itself, the C API and
// tests (kernel choice, raw logits); not part of the installed API.
struct Internals {
  static const Model::Impl& Of(const Model& model) { return *model.impl_; }
  static Session::Impl& Of(Session& session) { return *session.impl_; }
  static const float* Logits(const Session& session) {
    return session.impl_->logits.data();
  }
  // What model() of a moved-from Session or Spotter refers to: no labels,
  // an all-zero feature config, no layers.
  static const Model& Empty();
};

}  // namespace runtime

}  // namespace tinykws
