/* Internal: the one rate converter of tinykws (src/micro/resampler.c). The
 * C99 API (include/tinykws/micro_resampler.h, int16 samples) and the C++
 * tinykws::Resampler (src/runtime/resampler.cpp, float samples) both wrap
 * it, so they design the same filter and sum the same floats in the same
 * order: bit for bit the same outputs (the int16 API rounds them as the
 * Spotter does). No heap: the converter lives in a caller's arena,
 * KWS_MICRO_ARENA_ALIGNMENT-aligned. Not installed. */
#ifndef TINYKWS_MICRO_RESAMPLER_CORE_H_
#define TINYKWS_MICRO_RESAMPLER_CORE_H_

#include <stddef.h>
#include <stdint.h>

#include "tinykws/micro_resampler.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KWS_RESAMPLER_MIN_RATE 1000
#define KWS_RESAMPLER_MAX_RATE 384000
#define KWS_RESAMPLER_MAX_RATIO_TERM 1024
#define KWS_RESAMPLER_MAX_COEFFICIENTS (1L << 20)

/* What kws_resampler_plan refused (each wrapper words its own message). */
typedef enum {
  KWS_RESAMPLER_PLAN_OK = 0,
  KWS_RESAMPLER_BAD_RATE,  /* plan->bad_rate is outside [MIN, MAX]_RATE */
  KWS_RESAMPLER_BAD_RATIO, /* plan->up or ->down above MAX_RATIO_TERM */
  KWS_RESAMPLER_TOO_LONG   /* plan->coefficients above MAX_COEFFICIENTS */
} kws_resampler_check;

/* The filter's size, before any memory is touched. */
typedef struct {
  int32_t input_rate, output_rate;
  int32_t bad_rate;    /* the refused rate (KWS_RESAMPLER_BAD_RATE) */
  int64_t up, down;    /* L / M: output_rate / input_rate, reduced */
  int32_t taps;        /* K: multiply-adds per output */
  size_t coefficients; /* K L */
  size_t block;        /* input samples buffered per refill */
  size_t arena_bytes;  /* what kws_resampler_init needs */
} kws_resampler_plan;

/* Sizes a converter from input_rate to output_rate that buffers block
 * (>= 1) input samples per refill. The block changes the arena and the
 * cost of a call, never the outputs. */
kws_resampler_check kws_resampler_plan_for(int input_rate, int output_rate,
                                           size_t block,
                                           kws_resampler_plan* plan);

/* Designs the filter into arena (plan->arena_bytes, aligned) and returns
 * the converter at its start, reset. */
kws_micro_resampler* kws_resampler_init(const kws_resampler_plan* plan,
                                        void* arena);

/* Consumes input until it is used up or out_capacity samples are written
 * (*written), and returns how many input samples it consumed. Input is
 * in (floats) or, when in is NULL, in16 (int16, converted exactly); output
 * goes to out (floats) or, when out is NULL, to out16 (rounded to int16 as
 * the Spotter does). NULL input or output: nothing to consume or write. */
size_t kws_resampler_process(kws_micro_resampler* r, const float* in,
                             const int16_t* in16, size_t num_in, float* out,
                             int16_t* out16, size_t out_capacity,
                             size_t* written);

/* kws_micro_resampler_reset: back to an empty stream. */

int kws_resampler_input_rate(const kws_micro_resampler* r);
int kws_resampler_output_rate(const kws_micro_resampler* r);
int kws_resampler_taps(const kws_micro_resampler* r);
double kws_resampler_delay_seconds(const kws_micro_resampler* r);

#ifdef __cplusplus
}
#endif

#endif /* TINYKWS_MICRO_RESAMPLER_CORE_H_ */
