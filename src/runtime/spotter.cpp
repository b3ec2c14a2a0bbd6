// Spotter: MfccStream -> ring of recent frames -> Session::ClassifyFeatures
// every hop -> PosteriorSmoother -> DetectionGate. All memory is allocated
// in Create; Push only computes (but the first push at a rate other than the
// model's makes its rate converter).
#include "tinykws/spotter.hpp"

#include <algorithm>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "common/aligned_buffer.hpp"
#include "features/pcm_convert.hpp"
#include "format/layout.hpp"
#include "runtime/detection_logic.hpp"
#include "runtime/model_impl.hpp"
#include "tinykws/resampler.hpp"

namespace tinykws {

namespace {

// Frames computed together when a push brings many samples; any value gives
// the same results (each frame is computed on its own lane). The model
// file's working-set bound counts this many.
constexpr int kBatchFrames = format::kStreamBatchFrames;
// Input samples converted per step when audio comes at another rate.
constexpr size_t kConvertChunk = 512;

float ToInt16Units(int16_t v) { return static_cast<float>(v); }
float ToInt16Units(float v) { return features::FloatSampleToInt16(v); }

}  // namespace

struct Spotter::Impl {
  Impl(std::shared_ptr<const Model> m, Session s, MfccStream stream,
       DetectorParams p)
      : model(std::move(m)),
        session(std::move(s)),
        mfcc(std::move(stream)),
        params(std::move(p)),
        features(model->features()),
        coeffs(static_cast<size_t>(features.num_mfcc)),
        window_frames(features.num_frames()),
        ring(2 * static_cast<size_t>(window_frames) * coeffs),
        batch(static_cast<size_t>(kBatchFrames) * coeffs),
        smoother(params.smoothing_runs, model->labels().size()),
        gate(model->labels(), params.thresholds,
             runtime::RefractorySamples(params.refractory_ms,
                                        features.sample_rate)) {}

  // Stores frame `frames` and runs the network when a hop ends there.
  Status AddFrame(const float* frame, DetectionCallback on_detection,
                  void* user) {
    const int64_t g = frames++;
    const size_t slot = static_cast<size_t>(g % window_frames);
    // Each frame is stored twice (slot and slot + window) so the last
    // window_frames frames are always contiguous.
    std::memcpy(ring.data() + slot * coeffs, frame, coeffs * sizeof(float));
    std::memcpy(ring.data() + (slot + window_frames) * coeffs, frame,
                coeffs * sizeof(float));
    if (!kws_runs_after_frame(g, window_frames, params.hop_frames)) {
      return Status::Ok();
    }
    const size_t first = static_cast<size_t>((g + 1) % window_frames);
    ClassifyResult result;
    const Status s = session.ClassifyFeatures(ring.data() + first * coeffs,
                                              coeffs * window_frames, &result);
    if (!s.ok()) return s;  // a model whose output is not finite
    ++runs;
    const float* smoothed = smoother.Add(result.scores);
    const int64_t sample =
        kws_frame_last_sample(g, features.frame_step, features.frame_length);
    if (observer != nullptr) {
      observer(SpotterRun{sample, result.scores, smoothed}, observer_user);
    }
    const int label = gate.Check(smoothed, sample);
    if (label >= 0 && on_detection != nullptr) {
      Detection d;
      d.label = label;
      d.score = smoothed[label];
      d.sample = sample;
      d.time_s = static_cast<double>(sample + 1) / features.sample_rate;
      on_detection(d, user);
    }
    return Status::Ok();
  }

  // Audio at another rate goes through a converter made on the first push at
  // that rate (or by Create for SpotterOptions::input_sample_rate): the one
  // allocation a push may make.
  Status PrepareConverter(int rate) {
    if (resampler.has_value() && resampler->input_rate() == rate) {
      return Status::Ok();
    }
    StatusOr<Resampler> made = Resampler::Create(rate, features.sample_rate);
    if (!made.ok()) return made.status().WithPrefix("spotter");
    try {
      convert_in.resize(kConvertChunk);
      convert_out.resize(kConvertChunk);
      converted.resize(kConvertChunk);
    } catch (const std::bad_alloc&) {
      return OutOfRange("spotter: out of memory");
    }
    resampler = std::move(*made);
    return Status::Ok();
  }

  template <typename Sample>
  Status Push(const Sample* pcm, size_t n, int sample_rate,
              DetectionCallback on_detection, void* user) {
    if (pcm == nullptr && n > 0) {
      return InvalidArgument("spotter: no samples given (null pointer)");
    }
    if (stream_rate != 0 && sample_rate != stream_rate) {
      return InvalidArgument("spotter: this stream is at " +
                             std::to_string(stream_rate) + " Hz, got " +
                             std::to_string(sample_rate) +
                             " Hz (Reset() starts a new stream)");
    }
    if (sample_rate == features.sample_rate) {
      if (n > 0) stream_rate = sample_rate;
      return PushAtModelRate(pcm, n, on_detection, user);
    }
    TINYKWS_RETURN_IF_ERROR(PrepareConverter(sample_rate));
    if (n > 0) stream_rate = sample_rate;
    // Inputs are rounded to int16 first (as at the model's rate), the
    // converter's outputs again.
    while (n > 0) {
      const size_t m = std::min(n, kConvertChunk);
      for (size_t i = 0; i < m; ++i) convert_in[i] = ToInt16Units(pcm[i]);
      // Until the chunk is used and the converter has nothing more to give.
      size_t used = 0, written = convert_out.size();
      while (used < m || written == convert_out.size()) {
        used += resampler->Process(convert_in.data() + used, m - used,
                                   convert_out.data(), convert_out.size(),
                                   &written);
        for (size_t k = 0; k < written; ++k) {
          converted[k] = features::RoundToInt16(convert_out[k]);
        }
        TINYKWS_RETURN_IF_ERROR(
            PushAtModelRate(converted.data(), written, on_detection, user));
      }
      pcm += m;
      n -= m;
    }
    return Status::Ok();
  }

  template <typename Sample>
  Status PushAtModelRate(const Sample* pcm, size_t n,
                         DetectionCallback on_detection, void* user) {
    while (n > 0 || mfcc.ready_frames() > 0) {
      const size_t used = mfcc.Append(pcm, n);
      pcm += used;
      n -= used;
      StatusOr<int> ready = mfcc.ComputeReady(batch.data(), batch.size());
      if (!ready.ok()) return ready.status();
      for (int f = 0; f < *ready; ++f) {
        TINYKWS_RETURN_IF_ERROR(
            AddFrame(batch.data() + static_cast<size_t>(f) * coeffs,
                     on_detection, user));
      }
    }
    return Status::Ok();
  }

  std::shared_ptr<const Model> model;
  Session session;
  MfccStream mfcc;
  DetectorParams params;
  FeatureConfig features;
  size_t coeffs;
  int window_frames;
  AlignedBuffer<float> ring;
  AlignedBuffer<float> batch;
  runtime::PosteriorSmoother smoother;
  runtime::DetectionGate gate;
  int64_t frames = 0;
  int64_t runs = 0;
  RunCallback observer = nullptr;
  void* observer_user = nullptr;
  std::optional<Resampler> resampler;
  int stream_rate = 0;  // of this stream's pushes; 0 before the first
  std::vector<float> convert_in, convert_out;
  std::vector<int16_t> converted;
};

StatusOr<Spotter> Spotter::Create(std::shared_ptr<const Model> model,
                                  const SpotterOptions& options) {
  if (model == nullptr) return InvalidArgument("spotter: no model");
  DetectorParams params = model->detector();
  if (options.hop_frames != 0) params.hop_frames = options.hop_frames;
  if (options.smoothing_runs != 0) {
    params.smoothing_runs = options.smoothing_runs;
  }
  if (options.refractory_ms >= 0.0f) {
    params.refractory_ms = options.refractory_ms;
  }
  if (!options.thresholds.empty()) params.thresholds = options.thresholds;
  TINYKWS_RETURN_IF_ERROR(ValidateDetectorParams(params, model->labels().size(),
                                                 model->features().num_frames())
                              .WithPrefix("spotter"));
  try {
    SessionOptions session_options;
    session_options.use_simd = options.use_simd;
    StatusOr<Session> session = Session::Create(model, session_options);
    if (!session.ok()) return session.status();
    StatusOr<MfccStream> stream =
        MfccStream::Create(model->features(), kBatchFrames);
    if (!stream.ok()) return stream.status();
    auto impl = std::make_unique<Impl>(model, std::move(*session),
                                       std::move(*stream), std::move(params));
    if (options.input_sample_rate != 0 &&
        options.input_sample_rate != model->features().sample_rate) {
      TINYKWS_RETURN_IF_ERROR(
          impl->PrepareConverter(options.input_sample_rate));
    }
    return Spotter(std::move(impl));
  } catch (const std::bad_alloc&) {
    return OutOfRange("spotter: out of memory");
  }
}

Spotter::Spotter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Spotter::Spotter(Spotter&&) noexcept = default;
Spotter& Spotter::operator=(Spotter&&) noexcept = default;
Spotter::~Spotter() = default;

Status Spotter::Push(const int16_t* pcm, size_t num_samples, int sample_rate,
                     DetectionCallback on_detection, void* user) {
  if (impl_ == nullptr) return InvalidArgument("spotter: used after move");
  return impl_->Push(pcm, num_samples, sample_rate, on_detection, user);
}

Status Spotter::Push(const float* pcm, size_t num_samples, int sample_rate,
                     DetectionCallback on_detection, void* user) {
  if (impl_ == nullptr) return InvalidArgument("spotter: used after move");
  return impl_->Push(pcm, num_samples, sample_rate, on_detection, user);
}

void Spotter::Reset() {
  if (impl_ == nullptr) return;
  impl_->mfcc.Reset();
  impl_->smoother.Reset();
  impl_->gate.Reset();
  impl_->frames = 0;
  impl_->runs = 0;
  impl_->stream_rate = 0;
  if (impl_->resampler.has_value()) impl_->resampler->Reset();
}

Status Spotter::SetThreshold(int label, float threshold) {
  if (impl_ == nullptr) return InvalidArgument("spotter: used after move");
  const int labels = static_cast<int>(impl_->params.thresholds.size());
  if (label < 0 || label >= labels) {
    return InvalidArgument("spotter: label index " + std::to_string(label) +
                           " is out of range (the model has " +
                           std::to_string(labels) + " labels)");
  }
  if (!(threshold >= 0.0f && threshold <= 1.0f)) {
    return InvalidArgument("spotter: threshold must be in [0, 1], got " +
                           std::to_string(threshold));
  }
  impl_->params.thresholds[static_cast<size_t>(label)] = threshold;
  impl_->gate.SetThreshold(static_cast<size_t>(label), threshold);
  return Status::Ok();
}

void Spotter::SetRunObserver(RunCallback observer, void* user) {
  if (impl_ == nullptr) return;
  impl_->observer = observer;
  impl_->observer_user = user;
}

// A moved-from spotter: all-zero params (no thresholds), the empty model,
// 0 bytes, kernel "".
const DetectorParams& Spotter::params() const {
  static const DetectorParams kNone{};
  return impl_ == nullptr ? kNone : impl_->params;
}
const Model& Spotter::model() const {
  return impl_ == nullptr ? runtime::Internals::Empty() : *impl_->model;
}
int64_t Spotter::samples_pushed() const {
  return impl_ == nullptr ? 0 : impl_->mfcc.samples_appended();
}
int64_t Spotter::network_runs() const {
  return impl_ == nullptr ? 0 : impl_->runs;
}
size_t Spotter::arena_bytes() const {
  if (impl_ == nullptr) return 0;
  const Impl& s = *impl_;
  const size_t labels = s.params.thresholds.size();
  const size_t converter =
      s.resampler.has_value()
          ? s.resampler->memory_bytes() +
                (s.convert_in.size() + s.convert_out.size()) * sizeof(float) +
                s.converted.size() * sizeof(int16_t)
          : 0;
  return converter + s.session.arena_bytes() + s.mfcc.memory_bytes() +
         (s.ring.size() + s.batch.size()) * sizeof(float) +
         (static_cast<size_t>(s.params.smoothing_runs) + 1) * labels *
             sizeof(float) +
         2 * labels;
}
const char* Spotter::kernel_name() const {
  return impl_ == nullptr ? "" : impl_->session.kernel_name();
}

}  // namespace tinykws
