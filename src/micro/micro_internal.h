/* Internal types of the micro runtime: the validated view of a model (all
 * pointers into the caller's model bytes), the MFCC tables and the runtime
 * object placed in the arena. Not installed. */
#ifndef TINYKWS_MICRO_INTERNAL_H_
#define TINYKWS_MICRO_INTERNAL_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "micro/detector.h"
#include "micro/graph.h"
#include "tinykws/micro.h"
#include "tinykws/model_limits.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An error message under construction: appends never overrun, the text is
 * always NUL-terminated (when there is room for anything). */
typedef struct {
  char* text;
  size_t size;
  size_t used;
} kws_text;

void kws_text_init(kws_text* t, char* buffer, size_t size);
void kws_text_str(kws_text* t, const char* s);
void kws_text_bytes(kws_text* t, const uint8_t* s, size_t n);
void kws_text_int(kws_text* t, int64_t v);
void kws_text_uint(kws_text* t, uint64_t v);
void kws_text_hex32(kws_text* t, uint32_t v);

/* Little-endian loads (the model may sit at any address). */
static inline uint32_t kws_u32(const uint8_t* p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}
static inline uint64_t kws_u64(const uint8_t* p) {
  return (uint64_t)kws_u32(p) | (uint64_t)kws_u32(p + 4) << 32;
}
static inline int32_t kws_i32(const uint8_t* p) {
  const uint32_t u = kws_u32(p);
  return u <= 0x7fffffffu ? (int32_t)u
                          : (int32_t)(u - 0x80000000u) - 0x7fffffff - 1;
}
float kws_f32(const uint8_t* p);

/* KWS_MICRO_ARENA_TOO_SMALL with "arena too small: N bytes given, M
 * needed" when given < needed, else KWS_MICRO_OK. */
kws_micro_status kws_check_arena_size(size_t given, size_t needed,
                                      kws_text* error);

uint32_t kws_crc32(const uint8_t* p, uint64_t n);

/* KWS_CONV_RECORD_BYTES and the other format numbers: model_limits.h. */

/* One conv record of the graph section, decoded. */
typedef struct {
  int32_t in_channels, out_channels, kernel_h, kernel_w, stride_h, stride_w;
  int32_t dilation_h, dilation_w, pad_top, pad_bottom, pad_left, pad_right;
  int32_t in_height, in_width, out_height, out_width;
  uint32_t relu;
  float output_scale;
  int32_t output_zero_point;
} kws_conv;

void kws_decode_conv(const uint8_t* record, kws_conv* c);

/* A validated model. */
typedef struct kws_view {
  const uint8_t* bytes;
  size_t size;
  /* features */
  int32_t sample_rate, clip_samples, frame_length, frame_step, mel_bins;
  float fmin_hz, fmax_hz;
  int32_t num_mfcc;
  float log_offset;
  uint32_t front_end; /* 0 float64, 1 float32 */
  int32_t num_frames;
  /* labels: count, then u32 length + bytes each */
  const uint8_t* labels;
  uint32_t num_labels;
  /* graph */
  uint32_t precision; /* 1 int8, 2 float32 */
  float input_scale;
  int32_t input_zero_point;
  uint32_t conv_count;
  const uint8_t* convs; /* conv_count records */
  int32_t dense_in, dense_out, pool_count;
  const uint8_t* weights; /* convs in order, then dense; int8 */
  const uint8_t* biases;  /* int32 */
  const uint8_t* quant;   /* per conv: mult, shift, wscale; dense: 2 x f32 */
  uint64_t weights_size, biases_size, quant_size; /* section bytes */
  const uint8_t* detector; /* the section, NULL when absent */
  /* detector (from the section, or the defaults) */
  bool has_detector;
  int32_t hop_frames, smoothing_runs;
  float refractory_ms;
  const uint8_t* thresholds; /* labels x f32, NULL: KWS_DEFAULT_THRESHOLD */
} kws_view;                  /* named: C++ headers declare it */

/* The one reader of .kws files (format::Parse wraps it): the container,
 * the records and every semantic rule of docs/model-format.md, int8 and
 * float32 models alike. *metadata gets the metadata section (validated). */
kws_micro_status kws_read_model(const uint8_t* bytes, size_t size, kws_view* m,
                                const uint8_t** metadata, kws_text* error);
/* kws_read_model, then what this build can run (int8 only; no float64 front
 * end under KWS_MICRO_NO_FLOAT64): KWS_MICRO_UNSUPPORTED otherwise. */
kws_micro_status kws_parse_model(const uint8_t* bytes, size_t size, kws_view* m,
                                 kws_text* error);
/* The semantic rules on records already located (checks.c); float32
 * models go to float32_check (kws_check_float32, in host_reader.c with
 * kws_read_model, so firmware links neither), or are unsupported when it
 * is NULL. */
typedef kws_micro_status (*kws_check_fn)(kws_view* m, kws_text* error);
kws_micro_status kws_read_model_with(const uint8_t* bytes, size_t size,
                                     kws_view* m, const uint8_t** metadata,
                                     kws_text* error,
                                     kws_check_fn float32_check);
kws_micro_status kws_check_model(kws_view* m, kws_text* error,
                                 kws_check_fn float32_check);
kws_micro_status kws_check_float32(kws_view* m, kws_text* error);
/* "model: <what>[index]<field>[item]<problem>" (brackets when >= 0). */
kws_micro_status kws_refuse(kws_text* error, const char* what, int32_t index,
                            const char* field, int32_t item,
                            const char* problem);
/* count values at p: KWS_SCALE finite and > 0, KWS_FINITE finite (f32),
 * KWS_INT8_WEIGHT not -128 (int8). */
enum { KWS_SCALE, KWS_FINITE, KWS_INT8_WEIGHT };
kws_micro_status kws_check_values(kws_text* error, const char* what,
                                  int32_t index, const char* field,
                                  const uint8_t* p, uint64_t count, int kind);
/* What the C++ runtime allocates at most for a model (the reader caps the
 * spotter's at KWS_MAX_WORKING_SET_BYTES), and its multiply-accumulates per
 * network run. */
void kws_working_set(const kws_view* m, uint64_t* session_bytes,
                     uint64_t* spotter_bytes, uint64_t* macs);
/* A detector's values, for a model's section and for the C++ runtime's
 * overrides (tinykws::ValidateDetectorParams) alike. */
kws_micro_status kws_check_detector_head(int64_t hop_frames,
                                         int64_t smoothing_runs,
                                         float refractory_ms,
                                         int32_t num_frames, kws_text* error);
kws_micro_status kws_check_threshold(uint32_t label, float threshold,
                                     kws_text* error);

/* ---- MFCC front end ---- */

typedef struct {
  int32_t radix, length, stride, span;
  int32_t twiddle_offset; /* q >= 1 only: offset + (q-1)(radix-1) + k-1 */
  int32_t root_offset;    /* generic radices only */
} kws_fft_stage;

#define KWS_MAX_FFT_STAGES 32

/* Sizes of everything the front end keeps, from the config alone. */
typedef struct {
  int32_t half; /* complex FFT length */
  int32_t num_stages;
  int32_t twiddles, roots; /* complex values */
  int32_t lowest_bin, highest_bin;
  int32_t mel_weights;
  int32_t max_generic_radix; /* the largest radix > 5, or 0 */
  size_t real_bytes;         /* sizeof(double) or sizeof(float) */
} kws_mfcc_sizes;

typedef struct {
  const kws_view* model;
  kws_mfcc_sizes sz;
  kws_fft_stage* stages; /* in the arena */
  /* The tables: in the arena, or in a tables blob (read only, e.g. flash). */
  const void *window_even, *window_odd; /* half reals each, include 1/32768 */
  const void *twiddle_re, *twiddle_im, *root_re, *root_im;
  const void *split_re, *split_im; /* bins lowest..highest */
  const int32_t *band_first, *band_count, *band_offset;
  const float* mel_weights;
  const float* dct; /* num_mfcc x mel_bins */
  /* The FFT buffer (in place), and a scratch: a generic radix's inputs
   * during the FFT, the magnitudes and log mel energies after it. */
  void *re, *im, *work_re;
} kws_mfcc;

/* All sizes from the config (the mel band extents call libm). */
void kws_mfcc_sizes_of(const kws_view* m, kws_mfcc_sizes* sz);
/* half, num_stages, twiddles, roots and real_bytes only (integer). */
void kws_mfcc_fft_sizes_of(const kws_view* m, kws_mfcc_sizes* sz);
/* Bytes of the tables (window .. DCT, each part 8-byte aligned). */
size_t kws_mfcc_tables_bytes(const kws_mfcc_sizes* sz, int32_t mel_bins,
                             int32_t num_mfcc);
/* Offset of band_first (then band_count, band_offset) in the tables. */
size_t kws_mfcc_bands_offset(const kws_mfcc_sizes* sz, int32_t mel_bins,
                             int32_t num_mfcc);
/* Bytes of arena the front end needs: stage descriptors, the tables unless
 * they are outside (a tables blob), then the FFT buffers, from
 * *buffers_at on (only live while a frame is computed: other scratch may
 * share them). */
size_t kws_mfcc_arena_bytes(const kws_mfcc_sizes* sz, int32_t mel_bins,
                            int32_t num_mfcc, bool tables_outside,
                            size_t* buffers_at);
/* Computes the tables into `out` (kws_mfcc_tables_bytes, 8-byte aligned). */
void kws_mfcc_fill_tables(const kws_mfcc_sizes* sz, const kws_view* m,
                          uint8_t* out);
/* Places the front end at `arena` (kws_mfcc_arena_bytes) and computes the
 * stage descriptors; the tables are read from `tables` (validated, 8-byte
 * aligned) or, when NULL, computed into the arena. */
void kws_mfcc_init(kws_mfcc* f, const kws_view* m, uint8_t* arena,
                   const uint8_t* tables);
/* One frame: `sample(i)` for i in 0..frame_length-1 comes from ring[(start
 * + i) % ring_size], or zeros past `valid` samples; writes num_mfcc floats. */
void kws_mfcc_frame(const kws_mfcc* f, const int16_t* ring, size_t ring_size,
                    size_t start, size_t valid, float* out);

/* Where the in-place FFT keeps the value of logical index n (in
 * 0..length-1 of stage `stage`, or of the result when stage == num_stages):
 * the mixed-radix digit reversal of n's first `stage` digits. */
int32_t kws_fft_position(const kws_mfcc* f, int stage, int32_t n);

/* The window, FFT and magnitudes, one per precision (fft.inc). The window
 * fills re/im; the FFT transforms them in place; the magnitudes of bins
 * lowest..highest go to `mag` (the scratch). */
void kws_window_f64(const kws_mfcc* f, const int16_t* ring, size_t ring_size,
                    size_t start, size_t valid);
void kws_fft_f64(const kws_mfcc* f);
void kws_magnitudes_f64(const kws_mfcc* f, float* mag);
void kws_window_f32(const kws_mfcc* f, const int16_t* ring, size_t ring_size,
                    size_t start, size_t valid);
void kws_fft_f32(const kws_mfcc* f);
void kws_magnitudes_f32(const kws_mfcc* f, float* mag);

/* ---- tables blob (tables.c) ---- */

#define KWS_TABLES_HEADER_BYTES 64u

/* Validates a tables blob against a parsed model (alignment, size, CRCs,
 * band ranges) and fills *sz from the model and the blob's header. */
kws_micro_status kws_check_tables(const kws_view* m, const uint8_t* tables,
                                  size_t tables_bytes, kws_mfcc_sizes* sz,
                                  kws_text* error);

/* ---- network (network.c; the kernel table: graph.h) ---- */

typedef struct {
  size_t buffer_bytes[2]; /* the reference kernel's ping-pong buffers */
} kws_net_sizes;

void kws_net_sizes_of(const kws_view* m, kws_net_sizes* sz);
/* The int8 network on layer 0's input (g->inputs[0]; for the reference
 * kernel a ring of quantized MFCC rows starting at row first_row); writes
 * num_labels logits. */
void kws_net_run(const kws_view* m, const kws_graph* g, int32_t first_row,
                 float* logits);
int8_t kws_quantize_input(float x, float inv_scale, int32_t zero_point);
void kws_softmax(const float* logits, size_t n, float* out);

/* The runtime object (the arena starts with it; micro.c lays it out). */
struct kws_micro {
  kws_view model;
  kws_mfcc mfcc;
  float inv_input_scale;
  int16_t* audio; /* the last frame_length samples, by sample index % L */
  int8_t* rows;   /* quantized MFCC rows of the window, by frame % frames */
  float* frame;   /* one frame's MFCC */
  int8_t* activations[2];
  int32_t* pool;
  float *logits, *scores;
  /* Its buffers in the arena; the refractory period (<= 60 s) in samples;
   * the gate is told the hop_frames x frame_step samples between runs. */
  kws_detector detector;
  /* stream state */
  int64_t samples, frames;
};

#ifdef __cplusplus
}
#endif

#endif /* TINYKWS_MICRO_INTERNAL_H_ */
