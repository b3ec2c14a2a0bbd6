/* tinykws micro runtime: microphone-rate conversion, for a model whose rate
 * (16 kHz) is not the microphone's (48 or 44.1 kHz). C99, no heap: the
 * converter lives in an arena the caller provides. Bit for bit what the C++
 * Spotter does with audio pushed at another rate (tinykws::Resampler, then
 * rounding to int16): resample, then kws_micro_push the output.
 *
 *   size_t need;
 *   kws_micro_resampler_size(48000, kws_micro_sample_rate(kws), &need, ...);
 *   kws_micro_resampler_init(48000, 16000, arena2, need, &rs, ...);
 *   // per microphone buffer:
 *   while (n > 0) {
 *     size_t written, used = kws_micro_resample(rs, pcm, n, out, 256,
 *                                               &written);
 *     kws_micro_push(kws, out, written, found, 4, &count);
 *     pcm += used;  n -= used;
 *   }
 *
 * Cost: the filter's coefficients live in the arena. 48 kHz -> 16 kHz needs
 * 152 of them (1,532 bytes of arena in all); 44.1 kHz -> 16 kHz needs
 * 22,240 (89,832 bytes): run the microphone at 48 or 16 kHz where RAM is
 * small (docs/micro.md). */
#ifndef TINYKWS_MICRO_RESAMPLER_H_
#define TINYKWS_MICRO_RESAMPLER_H_

#include <stddef.h>
#include <stdint.h>

#include "tinykws/micro.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kws_micro_resampler kws_micro_resampler;

/* Arena bytes a converter from input_rate to output_rate needs (rates in
 * [1000, 384000] Hz whose reduced ratio has terms of at most 1024, as
 * tinykws::Resampler). The arena must be KWS_MICRO_ARENA_ALIGNMENT-aligned. */
kws_micro_status kws_micro_resampler_size(int input_rate, int output_rate,
                                          size_t* arena_bytes, char* error,
                                          size_t error_size);

/* Designs the filter into the arena (a smaller one: an error, nothing
 * written past its end). */
kws_micro_status kws_micro_resampler_init(int input_rate, int output_rate,
                                          void* arena, size_t arena_bytes,
                                          kws_micro_resampler** out,
                                          char* error, size_t error_size);

/* Consumes input until it is used up or out_capacity samples are written
 * (*written), and returns how many input samples it consumed: call again
 * with the rest. The output does not depend on how the input is chunked. */
size_t kws_micro_resample(kws_micro_resampler* r, const int16_t* in,
                          size_t num_in, int16_t* out, size_t out_capacity,
                          size_t* written);

/* Back to an empty stream (silence before it). */
void kws_micro_resampler_reset(kws_micro_resampler* r);

#ifdef __cplusplus
}
#endif

#endif /* TINYKWS_MICRO_RESAMPLER_H_ */
