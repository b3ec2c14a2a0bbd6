/* tinykws C API: keyword spotting inference with a .kws model.
 *
 *   kws_model* model = NULL;
 *   kws_error* error = NULL;
 *   if (kws_model_load("go_stop.kws", &model, &error) != KWS_OK) {
 *     fprintf(stderr, "error: %s\n", kws_error_message(error));
 *     kws_error_free(error);
 *     return 1;
 *   }
 *   kws_session* session = NULL;
 *   kws_session_create(model, kws_session_default_params(), &session, NULL);
 *   kws_result result;
 *   if (kws_classify(session, pcm, num_samples, 16000, &result) == KWS_OK) {
 *     printf("%s %.3f\n", kws_model_label(model, result.label), result.score);
 *   } else {
 *     fprintf(stderr, "error: %s\n", kws_session_last_error(session));
 *   }
 *   kws_session_free(session);
 *   kws_model_free(model);
 *
 * Streaming (a microphone, a long file): a spotter takes chunks of any size
 * and calls back on each detected keyword.
 *
 *   static void on_keyword(const kws_detection* d, void* user) {
 *     printf("%.2f s: %s (%.2f)\n", d->time_s,
 *            kws_model_label((const kws_model*)user, d->label), d->score);
 *   }
 *   kws_spotter* spotter = NULL;
 *   kws_spotter_create(model, kws_spotter_default_params(), &spotter, NULL);
 *   while ((n = read_audio(buffer, 160)) > 0)     // e.g. 10 ms at 16 kHz
 *     kws_spotter_push(spotter, buffer, n, 16000, on_keyword, model);
 *   kws_spotter_free(spotter);
 *
 * Thread safety: a kws_model is immutable and may be used by any number of
 * threads; a kws_session or kws_spotter must be used by one thread at a time
 * (create one per thread). Sessions and spotters keep their model alive: the
 * model may be freed first. No function throws or aborts on bad input; every
 * failure is a status code with a message. kws_classify and
 * kws_spotter_push do not allocate.
 */
#ifndef TINYKWS_TINYKWS_H_
#define TINYKWS_TINYKWS_H_

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define KWS_API __attribute__((visibility("default")))
#else
#define KWS_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kws_model kws_model;
typedef struct kws_session kws_session;
typedef struct kws_error kws_error;
typedef struct kws_spotter kws_spotter;

typedef enum kws_status {
  KWS_OK = 0,
  KWS_ERROR_INVALID_ARGUMENT = 1,
  KWS_ERROR_NOT_FOUND = 2,
  KWS_ERROR_IO = 3,
  KWS_ERROR_FORMAT = 4,      /* not a valid model file */
  KWS_ERROR_UNSUPPORTED = 5, /* e.g. a newer model format version */
  KWS_ERROR_OUT_OF_RANGE = 6,
  KWS_ERROR_INTERNAL = 7,
} kws_status;

typedef struct kws_session_params {
  int use_simd; /* 1 (default): fastest kernels for this CPU; 0: portable */
} kws_session_params;

typedef struct kws_result {
  int label;           /* index of the best label */
  float score;         /* its softmax probability */
  const float* scores; /* num_labels probabilities, valid until the next
                          call on the session or its destruction */
  int num_labels;
  double mfcc_us;      /* time in feature extraction */
  double inference_us; /* time in the network */
} kws_result;

/* "tinykws 0.1.0". */
KWS_API const char* kws_version(void);

/* error may be NULL; when not and the call fails, *error receives an error
 * to read with kws_error_message and free with kws_error_free. */
KWS_API kws_status kws_model_load(const char* path, kws_model** model,
                                  kws_error** error);
KWS_API kws_status kws_model_load_from_buffer(const void* data, size_t size,
                                              kws_model** model,
                                              kws_error** error);
KWS_API void kws_model_free(kws_model* model);

KWS_API int kws_model_num_labels(const kws_model* model);
/* NULL when index is out of range. */
KWS_API const char* kws_model_label(const kws_model* model, int index);
KWS_API int kws_model_sample_rate(const kws_model* model);
KWS_API int kws_model_clip_samples(const kws_model* model);
KWS_API int kws_model_is_int8(const kws_model* model);

KWS_API kws_session_params kws_session_default_params(void);
KWS_API kws_status kws_session_create(const kws_model* model,
                                      kws_session_params params,
                                      kws_session** session, kws_error** error);
KWS_API void kws_session_free(kws_session* session);

/* pcm: mono int16 at sample_rate (must equal the model's rate), at least one
 * sample; shorter clips are zero-padded, longer ones cut. On failure the
 * message is available from kws_session_last_error. */
KWS_API kws_status kws_classify(kws_session* session, const int16_t* pcm,
                                size_t num_samples, int sample_rate,
                                kws_result* result);
/* The message of the session's last failed call ("" if none). */
KWS_API const char* kws_session_last_error(const kws_session* session);

/* ---- Streaming detection ---------------------------------------------- */

typedef struct kws_detection {
  int label;      /* index of the keyword (kws_model_label) */
  float score;    /* its smoothed score when it fired */
  int64_t sample; /* the sample that completed the network's input window,
                     counted from the stream start (create or reset) */
  double time_s;  /* (sample + 1) / sample rate */
} kws_detection;

/* Called from kws_spotter_push for each detection, in order. */
typedef void (*kws_detection_callback)(const kws_detection* detection,
                                       void* user_data);

/* Overrides of the detector stored in the model file (0 or < 0: keep). */
typedef struct kws_spotter_params {
  int hop_frames;      /* network runs every hop_frames MFCC frames; 0 */
  int smoothing_runs;  /* posteriors averaged over this many runs; 0 */
  float refractory_ms; /* a keyword waits this long after its own; -1 */
  int use_simd;        /* 1 (default): fastest kernels; 0: portable */
} kws_spotter_params;

KWS_API kws_spotter_params kws_spotter_default_params(void);
KWS_API kws_status kws_spotter_create(const kws_model* model,
                                      kws_spotter_params params,
                                      kws_spotter** spotter, kws_error** error);
KWS_API void kws_spotter_free(kws_spotter* spotter);

/* Feeds mono samples at sample_rate: the model's, or another rate (44100,
 * 48000, ...) converted inside; one stream keeps one rate until
 * kws_spotter_reset. The first push at another rate allocates the
 * converter once. Any chunk size. on_detection may be NULL. On failure
 * nothing is consumed and the message is available from
 * kws_spotter_last_error. */
KWS_API kws_status kws_spotter_push(kws_spotter* spotter, const int16_t* pcm,
                                    size_t num_samples, int sample_rate,
                                    kws_detection_callback on_detection,
                                    void* user_data);
/* Float samples in [-1, 1]. */
KWS_API kws_status kws_spotter_push_float(kws_spotter* spotter,
                                          const float* pcm, size_t num_samples,
                                          int sample_rate,
                                          kws_detection_callback on_detection,
                                          void* user_data);
/* Starts a new stream (sample 0), keeping the memory. */
KWS_API void kws_spotter_reset(kws_spotter* spotter);
/* A label's threshold in [0, 1]; kws_spotter_threshold returns -1 for an
 * index out of range. */
KWS_API kws_status kws_spotter_set_threshold(kws_spotter* spotter, int label,
                                             float threshold);
KWS_API float kws_spotter_threshold(const kws_spotter* spotter, int label);
KWS_API const char* kws_spotter_last_error(const kws_spotter* spotter);
/* 1 when label is a keyword (a name not starting with '_'), else 0. */
KWS_API int kws_model_is_keyword(const kws_model* model, int label);

KWS_API const char* kws_error_message(const kws_error* error);
KWS_API kws_status kws_error_status(const kws_error* error);
KWS_API void kws_error_free(kws_error* error);

#ifdef __cplusplus
}
#endif

#endif /* TINYKWS_TINYKWS_H_ */
