// The C API over Model and Session. Nothing crosses the boundary as an
// exception: every entry point catches and converts.
#include <new>
#include <string>

#include "runtime/c_api_internal.hpp"
#include "runtime/model_impl.hpp"

struct kws_session {
  std::unique_ptr<tinykws::Session> session;
  std::string last_error;
};

namespace {

using tinykws::c_api::Fail;
using tinykws::c_api::Guard;
using tinykws::c_api::ToC;

kws_status Loaded(
    tinykws::StatusOr<std::shared_ptr<const tinykws::Model>> loaded,
    kws_model** model, kws_error** error) {
  if (!loaded.ok()) return Fail(error, loaded.status());
  *model = new kws_model{std::move(*loaded)};
  return KWS_OK;
}

}  // namespace

extern "C" {

const char* kws_version(void) { return "tinykws " TINYKWS_VERSION; }

kws_status kws_model_load(const char* path, kws_model** model,
                          kws_error** error) {
  if (path == nullptr || model == nullptr) {
    return Fail(error, KWS_ERROR_INVALID_ARGUMENT,
                "kws_model_load: path and model are required");
  }
  *model = nullptr;
  return Guard(
      error, [&] { return Loaded(tinykws::Model::Load(path), model, error); });
}

kws_status kws_model_load_from_buffer(const void* data, size_t size,
                                      kws_model** model, kws_error** error) {
  if (model == nullptr) {
    return Fail(error, KWS_ERROR_INVALID_ARGUMENT,
                "kws_model_load_from_buffer: model is required");
  }
  *model = nullptr;
  return Guard(error, [&] {
    return Loaded(tinykws::Model::LoadFromBuffer(data, size, "buffer"), model,
                  error);
  });
}

void kws_model_free(kws_model* model) { delete model; }

int kws_model_num_labels(const kws_model* model) {
  return model == nullptr ? 0 : static_cast<int>(model->model->labels().size());
}

const char* kws_model_label(const kws_model* model, int index) {
  if (model == nullptr || index < 0 || index >= kws_model_num_labels(model))
    return nullptr;
  return model->model->labels()[index].c_str();
}

int kws_model_sample_rate(const kws_model* model) {
  return model == nullptr ? 0 : model->model->features().sample_rate;
}

int kws_model_clip_samples(const kws_model* model) {
  return model == nullptr ? 0 : model->model->features().clip_samples;
}

int kws_model_is_int8(const kws_model* model) {
  return model != nullptr && model->model->is_int8() ? 1 : 0;
}

kws_session_params kws_session_default_params(void) {
  return kws_session_params{1};
}

kws_status kws_session_create(const kws_model* model, kws_session_params params,
                              kws_session** session, kws_error** error) {
  if (model == nullptr || session == nullptr) {
    return Fail(error, KWS_ERROR_INVALID_ARGUMENT,
                "kws_session_create: model and session are required");
  }
  *session = nullptr;
  return Guard(error, [&] {
    tinykws::SessionOptions options;
    options.use_simd = params.use_simd != 0;
    tinykws::StatusOr<tinykws::Session> created =
        tinykws::Session::Create(model->model, options);
    if (!created.ok()) return Fail(error, created.status());
    auto wrapped = std::make_unique<kws_session>();
    wrapped->session = std::make_unique<tinykws::Session>(std::move(*created));
    *session = wrapped.release();
    return KWS_OK;
  });
}

void kws_session_free(kws_session* session) { delete session; }

kws_status kws_classify(kws_session* session, const int16_t* pcm,
                        size_t num_samples, int sample_rate,
                        kws_result* result) {
  if (session == nullptr) return KWS_ERROR_INVALID_ARGUMENT;
  // Like every entry point: nothing may escape (copying a message can
  // throw std::bad_alloc).
  try {
    if (result == nullptr) {
      session->last_error = "kws_classify: result is required";
      return KWS_ERROR_INVALID_ARGUMENT;
    }
    tinykws::ClassifyResult r;
    const tinykws::Status s =
        session->session->Classify(pcm, num_samples, sample_rate, &r);
    if (!s.ok()) {
      // Assigning into the existing string: no allocation for short
      // messages once the buffer has grown.
      session->last_error = s.message();
      return ToC(s.code());
    }
    session->last_error.clear();
    result->label = r.label;
    result->score = r.score;
    result->scores = r.scores;
    result->num_labels =
        static_cast<int>(session->session->model().labels().size());
    result->mfcc_us = r.mfcc_us;
    result->inference_us = r.inference_us;
    return KWS_OK;
  } catch (...) {
    return KWS_ERROR_INTERNAL;
  }
}

const char* kws_session_last_error(const kws_session* session) {
  return session == nullptr ? "no session" : session->last_error.c_str();
}

const char* kws_error_message(const kws_error* error) {
  return error == nullptr ? "" : error->message.c_str();
}

kws_status kws_error_status(const kws_error* error) {
  return error == nullptr ? KWS_OK : error->status;
}

void kws_error_free(kws_error* error) { delete error; }

}  // extern "C"
