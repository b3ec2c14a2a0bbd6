#include <algorithm>
#include <chrono>
#include <cmath>

#include "quant/int8_reference.hpp"
#include "quant/requantize.hpp"
#include "runtime/model_impl.hpp"

namespace tinykws {

namespace {

double Micros(std::chrono::steady_clock::time_point a,
              std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double, std::micro>(b - a).count();
}

}  // namespace

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

StatusOr<Session> Session::Create(std::shared_ptr<const Model> model,
                                  const SessionOptions& options) {
  if (model == nullptr) return InvalidArgument("session: no model");
  try {
    auto impl = std::make_unique<Impl>();
    const Model::Impl& m = runtime::Internals::Of(*model);
    FeatureConfig features_config = m.file.features;
    if (options.front_end.has_value()) {
      features_config.precision = *options.front_end;
    }
    StatusOr<MfccExtractor> extractor = MfccExtractor::Create(features_config);
    if (!extractor.ok()) return extractor.status();
    impl->extractor = std::make_unique<MfccExtractor>(std::move(*extractor));
    const size_t features = static_cast<size_t>(m.file.features.num_features());
    impl->mfcc = AlignedBuffer<float>(features);
    const size_t labels = m.file.labels.size();
    impl->logits.assign(labels, 0.0f);
    impl->scores.assign(labels, 0.0f);
    impl->arena_bytes = impl->extractor->memory_bytes() +
                        features * sizeof(float) + 2 * labels * sizeof(float);
    if (model->is_int8()) {
      impl->kernels = options.use_simd ? &runtime::BestConvKernels()
                                       : &runtime::kPortableKernels;
      for (const runtime::PackedConv& conv : m.packed.convs) {
        // Zeroed once: the padding border is never written again.
        impl->activations.emplace_back(conv.BufferElements());
        impl->arena_bytes += conv.BufferElements() * sizeof(int16_t);
        impl->prepared.push_back(&conv);
        impl->inputs.push_back(impl->activations.back().data());
      }
      impl->pool = AlignedBuffer<int32_t>(m.packed.pool_channels);
      impl->arena_bytes += m.packed.pool_channels * sizeof(int32_t);
    } else {
      impl->float_executor =
          std::make_unique<quant::FloatExecutor>(m.float_model);
      impl->arena_bytes += impl->float_executor->memory_bytes();
    }
    impl->model = std::move(model);
    return Session(std::move(impl));
  } catch (const std::bad_alloc&) {
    return OutOfRange("session: out of memory");
  }
}

void Session::Impl::RunInt8(const float* features) {
  const runtime::PackedModel& p = runtime::Internals::Of(*model).packed;
  const runtime::PackedConv& first = p.convs[0];
  const int coeffs = runtime::Internals::Of(*model).file.features.num_mfcc;
  const int frames = runtime::Internals::Of(*model).file.features.num_frames();
  int16_t* in = activations[0].data();
  for (int f = 0; f < frames; ++f) {
    int16_t* row =
        in + static_cast<size_t>(f + first.pad_top) * first.plan.row_stride +
        static_cast<size_t>(first.pad_left) * first.plan.pixel_stride;
    for (int c = 0; c < coeffs; ++c) {
      const int8_t q = quant::QuantizeInput(
          features[f * coeffs + c], p.input_inv_scale, p.input_zero_point);
      row[c * first.plan.pixel_stride] =
          static_cast<int16_t>(q - p.input_zero_point);
    }
  }
  // The core's graph code, with the host kernels; each layer its own buffer.
  kws_graph graph;
  graph.kernels = kernels;
  graph.prepared = prepared.data();
  graph.inputs = inputs.data();
  graph.input_count = static_cast<uint32_t>(inputs.size());
  graph.pool = pool.data();
  graph.pool_lanes = pool.size();
  kws_net_run(&runtime::Internals::Of(*model).view, &graph, 0, logits.data());
}

Status Session::ClassifyFeatures(const float* mfcc, size_t size,
                                 ClassifyResult* result) {
  if (impl_ == nullptr) return InvalidArgument("session: used after move");
  const size_t expected =
      static_cast<size_t>(impl_->model->features().num_features());
  if (mfcc == nullptr) return InvalidArgument("session: no MFCC values (null)");
  if (result == nullptr) return InvalidArgument("session: no result to fill");
  if (size != expected) {
    return InvalidArgument("session: expected " + std::to_string(expected) +
                           " MFCC values, got " + std::to_string(size));
  }
  if (impl_->float_executor != nullptr) {
    impl_->float_executor->Run(mfcc, impl_->logits.data(), nullptr);
  } else {
    impl_->RunInt8(mfcc);
  }
  const std::vector<float>& logits = impl_->logits;
  std::vector<float>& scores = impl_->scores;
  for (size_t k = 0; k < logits.size(); ++k) {
    // A float model with extreme weights can overflow on some inputs; a
    // score must never be NaN.
    if (!std::isfinite(logits[k])) {
      return OutOfRange("model output is not finite (logit " +
                        std::to_string(k) + " is " +
                        (std::isnan(logits[k]) ? "NaN" : "infinite") +
                        "): the model's arithmetic overflows on this input");
    }
  }
  quant::Softmax(logits.data(), logits.size(), scores.data());
  result->label = static_cast<int>(
      std::max_element(logits.begin(), logits.end()) - logits.begin());
  result->score = scores[result->label];
  result->scores = scores.data();
  return Status::Ok();
}

Status Session::Classify(const int16_t* pcm, size_t num_samples,
                         int sample_rate, ClassifyResult* result) {
  if (impl_ == nullptr) return InvalidArgument("session: used after move");
  const FeatureConfig& features = impl_->model->features();
  if (sample_rate != features.sample_rate) {
    return InvalidArgument(
        "audio is " + std::to_string(sample_rate) + " Hz, the model expects " +
        std::to_string(features.sample_rate) + " Hz (resample first)");
  }
  if (result == nullptr) return InvalidArgument("session: no result to fill");
  if (num_samples == 0) {
    return InvalidArgument("session: no samples to classify (0 given)");
  }
  const auto start = std::chrono::steady_clock::now();
  TINYKWS_RETURN_IF_ERROR(impl_->extractor->Compute(
      pcm, num_samples, impl_->mfcc.data(), impl_->mfcc.size()));
  const auto features_done = std::chrono::steady_clock::now();
  TINYKWS_RETURN_IF_ERROR(
      ClassifyFeatures(impl_->mfcc.data(), impl_->mfcc.size(), result));
  const auto done = std::chrono::steady_clock::now();
  result->mfcc_us = Micros(start, features_done);
  result->inference_us = Micros(features_done, done);
  return Status::Ok();
}

// A moved-from session: the empty model, 0 bytes, kernel "".
const Model& Session::model() const {
  return impl_ == nullptr ? runtime::Internals::Empty() : *impl_->model;
}
size_t Session::arena_bytes() const {
  return impl_ == nullptr ? 0 : impl_->arena_bytes;
}
const char* Session::kernel_name() const {
  if (impl_ == nullptr) return "";
  return impl_->kernels == nullptr ? "float" : impl_->kernels->name;
}

}  // namespace tinykws
