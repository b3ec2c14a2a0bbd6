/* tinykws micro runtime: runs an int8 `.kws` model in place on a
 * microcontroller. C99, no heap, no stdio, no static mutable state: every
 * byte it writes lives in an arena the caller provides, and the model's
 * weights are read straight from the model bytes (e.g. a const array in
 * flash). Results are bit-identical to the C++ runtime (tinykws::Session and
 * tinykws::Spotter) on the same model and audio.
 *
 * Usage:
 *
 *   extern const uint8_t model[];  extern const size_t model_size;
 *   static uint64_t arena[40 * 1024 / 8];  // 8-byte aligned (see below)
 *   char error[128];
 *   size_t need = 0;
 *   kws_micro* kws = NULL;
 *   if (kws_micro_arena_size(model, model_size, &need, error, sizeof error) ||
 *       need > sizeof arena ||
 *       kws_micro_init(model, model_size, arena, sizeof arena, &kws, error,
 *                      sizeof error)) {
 *     fail(error);
 *   }
 *   // Streaming: push audio as it arrives, in any chunk size.
 *   kws_micro_detection found[4];
 *   size_t count = 0;
 *   kws_micro_push(kws, pcm, n, found, 4, &count);
 *   // count may exceed 4 (the rest were dropped): read only what fits.
 *   for (size_t i = 0; i < count && i < 4; ++i) on_keyword(found[i].label);
 *   // Or one clip: label and (optionally) scores / logits.
 *   int label;
 *   kws_micro_classify(kws, clip, clip_samples, &label, NULL, NULL);
 *
 * Thread safety: one kws_micro per thread (it is its arena); the model bytes
 * (and a tables blob) may be shared. The model bytes, the tables blob and
 * the arena must outlive the kws_micro.
 * Audio is mono int16 at the model's sample rate (kws_micro_sample_rate);
 * a microphone at 48 or 44.1 kHz goes through tinykws/micro_resampler.h.
 *
 * Build options (define them when compiling the library's sources):
 *   KWS_MICRO_NO_FLOAT64        leaves out the float64 MFCC front end (for
 *                               FPUs without double precision); float64
 *                               models are then refused.
 *   KWS_MICRO_NO_TABLE_BUILDER  leaves out the code that computes the MFCC
 *                               tables (double trigonometry): init needs the
 *                               tables blob made on the host
 *                               (kws convert --tables).
 * Code they keep on a Cortex-M4F: docs/micro.md (bench/micro_size.sh).
 */
#ifndef TINYKWS_MICRO_H_
#define TINYKWS_MICRO_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The arena must start at a multiple of this many bytes (it holds doubles
 * and int32/int64 values). */
#define KWS_MICRO_ARENA_ALIGNMENT 8

typedef enum {
  KWS_MICRO_OK = 0,
  KWS_MICRO_INVALID_ARGUMENT = 1, /* a null pointer, misaligned arena, ... */
  KWS_MICRO_BAD_MODEL = 2,        /* the bytes are not a valid .kws model */
  KWS_MICRO_UNSUPPORTED = 3,      /* valid, but not runnable by this build */
  KWS_MICRO_ARENA_TOO_SMALL = 4,
  KWS_MICRO_NOT_FINITE = 5, /* a logit overflowed (cannot happen for int8) */
  KWS_MICRO_BAD_TABLES = 6  /* a tables blob is invalid or for another model */
} kws_micro_status;

/* The runtime; it lives inside the caller's arena. */
typedef struct kws_micro kws_micro;

typedef struct {
  int label;      /* index of the keyword (kws_micro_label) */
  int64_t sample; /* stream sample index of the run's last sample */
  float score;    /* the smoothed score that crossed the threshold */
} kws_micro_detection;

/* Validates the model (the C++ reader's rules, similar messages) and
 * reports the exact arena size kws_micro_init needs for it. `error` (may be
 * NULL) receives a NUL-terminated message, cut to error_size bytes. */
kws_micro_status kws_micro_arena_size(const uint8_t* model, size_t model_bytes,
                                      size_t* arena_bytes, char* error,
                                      size_t error_size);

/* Validates the model, builds the MFCC tables in the arena and returns the
 * runtime in *out. Fails with KWS_MICRO_ARENA_TOO_SMALL, writing nothing
 * past arena + arena_bytes, when the arena is smaller than needed. */
kws_micro_status kws_micro_init(const uint8_t* model, size_t model_bytes,
                                void* arena, size_t arena_bytes,
                                kws_micro** out, char* error,
                                size_t error_size);

/* ---- Tables in flash ----
 * The MFCC front end's tables (window, FFT twiddles, split factors, mel
 * weights, DCT) can be computed once on the host into a "tables blob" and
 * stored next to the model (e.g. `kws convert --format c-array --tables`);
 * the runtime then reads them in place and the arena holds only buffers and
 * state. The blob is bit-identical to what kws_micro_init computes, and
 * carries CRCs of itself and of the model's features record: a damaged blob
 * or one made for another feature config is refused (KWS_MICRO_BAD_TABLES).
 * It must start at a multiple of KWS_MICRO_TABLES_ALIGNMENT bytes
 * (KWS_MICRO_INVALID_ARGUMENT otherwise); its payload is in the writer's
 * byte order (a device of the other byte order refuses it). */
#define KWS_MICRO_TABLES_ALIGNMENT 8

/* The size of the model's tables blob, header included. */
kws_micro_status kws_micro_tables_size(const uint8_t* model, size_t model_bytes,
                                       size_t* tables_bytes, char* error,
                                       size_t error_size);

/* Writes the model's tables blob (kws_micro_tables_size bytes) to `out`
 * (8-byte aligned, out_bytes at least that; KWS_MICRO_ARENA_TOO_SMALL
 * otherwise). Meant for the host; uses libm like kws_micro_init. */
kws_micro_status kws_micro_write_tables(const uint8_t* model,
                                        size_t model_bytes, void* out,
                                        size_t out_bytes, char* error,
                                        size_t error_size);

/* kws_micro_arena_size and kws_micro_init with a tables blob (tables_bytes
 * exactly its size). tables == NULL: the same as the functions above. */
kws_micro_status kws_micro_arena_size_with_tables(
    const uint8_t* model, size_t model_bytes, const void* tables,
    size_t tables_bytes, size_t* arena_bytes, char* error, size_t error_size);
kws_micro_status kws_micro_init_with_tables(const uint8_t* model,
                                            size_t model_bytes,
                                            const void* tables,
                                            size_t tables_bytes, void* arena,
                                            size_t arena_bytes, kws_micro** out,
                                            char* error, size_t error_size);

/* Classifies one clip: the first clip_samples samples of pcm, padded with
 * zeros when shorter. *label gets the arg-max logit; scores (softmax) and
 * logits, when not NULL, receive kws_micro_num_labels values. Uses the
 * stream's buffers: a stream in progress starts over afterwards (as after
 * kws_micro_reset). */
kws_micro_status kws_micro_classify(kws_micro* kws, const int16_t* pcm,
                                    size_t num_samples, int* label,
                                    float* scores, float* logits);

/* The MFCC features of one clip (padded or cut like kws_micro_classify):
 * num_frames x num_mfcc floats, frame-major, bit-identical to
 * tinykws::MfccExtractor. out_size is in floats. Leaves the stream as is. */
kws_micro_status kws_micro_features(kws_micro* kws, const int16_t* pcm,
                                    size_t num_samples, float* out,
                                    size_t out_size);

/* Appends samples to the stream; the network runs every hop_frames MFCC
 * frames and the model's detector (or the default one) decides. Up to
 * max_detections detections are written; *count gets how many happened in
 * this push (when more than max_detections, the rest are dropped). */
kws_micro_status kws_micro_push(kws_micro* kws, const int16_t* pcm,
                                size_t num_samples,
                                kws_micro_detection* detections,
                                size_t max_detections, size_t* count);

/* Starts a new stream (sample 0, no history). */
void kws_micro_reset(kws_micro* kws);

int kws_micro_num_labels(const kws_micro* kws);
/* Label `index` as (pointer, length) into the model bytes (UTF-8, not
 * NUL-terminated); NULL and 0 for an index out of range. */
const char* kws_micro_label(const kws_micro* kws, int index, size_t* length);
int kws_micro_sample_rate(const kws_micro* kws);
int kws_micro_clip_samples(const kws_micro* kws);
int kws_micro_num_frames(const kws_micro* kws); /* MFCC frames per clip */
int kws_micro_num_mfcc(const kws_micro* kws);   /* coefficients per frame */

#ifdef __cplusplus
}
#endif

#endif /* TINYKWS_MICRO_H_ */
