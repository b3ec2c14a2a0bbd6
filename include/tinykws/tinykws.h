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
 * Thread safety: a kws_model is immutable and may be used by any number of
 * threads; a kws_session must be used by one thread at a time (create one per
 * thread). Sessions keep their model alive: the model may be freed first.
 * No function throws or aborts on bad input; every failure is a status code
 * with a message. kws_classify does not allocate.
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

/* pcm: mono int16 at sample_rate (must equal the model's rate); shorter
 * clips are zero-padded, longer ones cut. On failure the message is
 * available from kws_session_last_error. */
KWS_API kws_status kws_classify(kws_session* session, const int16_t* pcm,
                                size_t num_samples, int sample_rate,
                                kws_result* result);
/* The message of the session's last failed call ("" if none). */
KWS_API const char* kws_session_last_error(const kws_session* session);

KWS_API const char* kws_error_message(const kws_error* error);
KWS_API kws_status kws_error_status(const kws_error* error);
KWS_API void kws_error_free(kws_error* error);

#ifdef __cplusplus
}
#endif

#endif /* TINYKWS_TINYKWS_H_ */
