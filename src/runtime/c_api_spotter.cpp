// The C API over Spotter (streaming detection). As in c_api.cpp, nothing
// crosses the boundary as an exception.
#include <string>

#include "runtime/c_api_internal.hpp"
#include "tinykws/spotter.hpp"

struct kws_spotter {
  std::unique_ptr<tinykws::Spotter> spotter;
  std::string last_error;
};

namespace {

using tinykws::c_api::Fail;
using tinykws::c_api::Guard;
using tinykws::c_api::ToC;

// Adapts the C callback to the C++ one (same struct layout by value).
struct CallbackBridge {
  kws_detection_callback callback;
  void* user;
  static void Forward(const tinykws::Detection& d, void* self) {
    const auto* bridge = static_cast<const CallbackBridge*>(self);
    const kws_detection c{d.label, d.score, d.sample, d.time_s};
    bridge->callback(&c, bridge->user);
  }
};

template <typename Sample>
kws_status Push(kws_spotter* spotter, const Sample* pcm, size_t n, int rate,
                kws_detection_callback on_detection, void* user) {
  if (spotter == nullptr) return KWS_ERROR_INVALID_ARGUMENT;
  try {
    CallbackBridge bridge{on_detection, user};
    const tinykws::Status s = spotter->spotter->Push(
        pcm, n, rate, on_detection ? &CallbackBridge::Forward : nullptr,
        &bridge);
    if (!s.ok()) {
      spotter->last_error = s.message();
      return ToC(s.code());
    }
    spotter->last_error.clear();
    return KWS_OK;
  } catch (...) {
    // Only an allocation while copying a message can throw here.
    return KWS_ERROR_INTERNAL;
  }
}

}  // namespace

extern "C" {

kws_spotter_params kws_spotter_default_params(void) {
  return kws_spotter_params{0, 0, -1.0f, 1};
}

kws_status kws_spotter_create(const kws_model* model, kws_spotter_params params,
                              kws_spotter** spotter, kws_error** error) {
  if (model == nullptr || spotter == nullptr) {
    return Fail(error, KWS_ERROR_INVALID_ARGUMENT,
                "kws_spotter_create: model and spotter are required");
  }
  *spotter = nullptr;
  return Guard(error, [&] {
    tinykws::SpotterOptions options;
    options.hop_frames = params.hop_frames;
    options.smoothing_runs = params.smoothing_runs;
    options.refractory_ms = params.refractory_ms;
    options.use_simd = params.use_simd != 0;
    tinykws::StatusOr<tinykws::Spotter> created =
        tinykws::Spotter::Create(model->model, options);
    if (!created.ok()) return Fail(error, created.status());
    auto wrapped = std::make_unique<kws_spotter>();
    wrapped->spotter = std::make_unique<tinykws::Spotter>(std::move(*created));
    *spotter = wrapped.release();
    return KWS_OK;
  });
}

void kws_spotter_free(kws_spotter* spotter) { delete spotter; }

kws_status kws_spotter_push(kws_spotter* spotter, const int16_t* pcm,
                            size_t num_samples, int sample_rate,
                            kws_detection_callback on_detection,
                            void* user_data) {
  return Push(spotter, pcm, num_samples, sample_rate, on_detection, user_data);
}

kws_status kws_spotter_push_float(kws_spotter* spotter, const float* pcm,
                                  size_t num_samples, int sample_rate,
                                  kws_detection_callback on_detection,
                                  void* user_data) {
  return Push(spotter, pcm, num_samples, sample_rate, on_detection, user_data);
}

void kws_spotter_reset(kws_spotter* spotter) {
  if (spotter != nullptr) spotter->spotter->Reset();
}

kws_status kws_spotter_set_threshold(kws_spotter* spotter, int label,
                                     float threshold) {
  if (spotter == nullptr) return KWS_ERROR_INVALID_ARGUMENT;
  try {
    const tinykws::Status s = spotter->spotter->SetThreshold(label, threshold);
    spotter->last_error = s.message();
    return ToC(s.code());
  } catch (...) {
    return KWS_ERROR_INTERNAL;
  }
}

float kws_spotter_threshold(const kws_spotter* spotter, int label) {
  if (spotter == nullptr) return -1.0f;
  const std::vector<float>& t = spotter->spotter->params().thresholds;
  if (label < 0 || label >= static_cast<int>(t.size())) return -1.0f;
  return t[static_cast<size_t>(label)];
}

const char* kws_spotter_last_error(const kws_spotter* spotter) {
  return spotter == nullptr ? "no spotter" : spotter->last_error.c_str();
}

int kws_model_is_keyword(const kws_model* model, int label) {
  if (model == nullptr || label < 0 ||
      label >= static_cast<int>(model->model->labels().size())) {
    return 0;
  }
  return tinykws::IsKeywordLabel(
             model->model->labels()[static_cast<size_t>(label)])
             ? 1
             : 0;
}

}  // extern "C"
