/* The rate converter of tinykws, over a caller's arena (resampler_core.h):
 * the C++ tinykws::Resampler (src/runtime/resampler.cpp, floats) and the
 * micro API (tinykws/micro_resampler.h, int16) both wrap it. Polyphase
 * windowed-sinc resampling: the rate ratio reduces to L / M; the prototype
 * low-pass (Kaiser, designed in double, each tap rounded to float once)
 * runs at L x the input rate, and output k is the float sum of the K taps
 * of phase (k M mod L) against the K newest inputs up to floor(k M / L).
 * Quality against libsamplerate: docs/benchmarks.md. */
#include <math.h>
#include <string.h>

#include "micro/micro_internal.h"
#include "micro/resampler_core.h"
#include "tinykws/micro_resampler.h"

#define KWS_MICRO_BLOCK 64 /* the micro API's input samples per refill */
#define KWS_ATTENUATION_DB 80.0
#define KWS_PASSBAND_EDGE 0.45 /* of the lower rate */
#define KWS_STOPBAND_EDGE 0.55
#define KWS_PI 3.14159265358979323846

/* int32 rates and ratio terms (all below 2^31) keep the arena as small as
 * it was: the arithmetic on them is int64 all the same. */
struct kws_micro_resampler {
  int32_t up, down; /* L, M */
  int32_t taps;     /* K */
  int32_t input_rate, output_rate;
  float* coeffs; /* phase p's taps at p K, oldest input first */
  float* buffer; /* K - 1 samples of history, then new ones */
  size_t capacity, filled;
  int64_t position; /* next output's time in 1 / (L input rate) units */
};

static int64_t gcd64(int64_t a, int64_t b) {
  while (b != 0) {
    const int64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

static double bessel_i0(double x) { /* power series; fast for x < 30 */
  double sum = 1.0, term = 1.0;
  int k;
  for (k = 1; k < 200 && term > 1e-17 * sum; ++k) {
    term *= (x / (2.0 * k)) * (x / (2.0 * k));
    sum += term;
  }
  return sum;
}

static size_t align8(size_t n) { return (n + 7u) / 8u * 8u; }

/* The Kaiser design's constants, from the rates and the reduced ratio. */
static void kaiser(int input_rate, int output_rate, int64_t up, double* beta,
                   double* length, double* norm) {
  const double lower = input_rate < output_rate ? input_rate : output_rate;
  const double upsampled = (double)input_rate * (double)up;
  const double cutoff = 0.5 * (KWS_PASSBAND_EDGE + KWS_STOPBAND_EDGE) * lower;
  /* The transition band spans [0.45, 0.55] of the lower rate, so aliases
   * of it land above 0.45; width in radians per upsampled sample. */
  const double width = 2.0 * KWS_PI * (KWS_STOPBAND_EDGE - KWS_PASSBAND_EDGE) *
                       lower / upsampled;
  *beta = 0.1102 * (KWS_ATTENUATION_DB - 8.7);
  *length = (KWS_ATTENUATION_DB - 8.0) / (2.285 * width) + 1.0;
  *norm = 2.0 * cutoff / upsampled;
}

kws_resampler_check kws_resampler_plan_for(int input_rate, int output_rate,
                                           size_t block,
                                           kws_resampler_plan* p) {
  const int rates[2] = {input_rate, output_rate};
  int i;
  int64_t g;
  double beta, length, norm;
  memset(p, 0, sizeof *p);
  p->input_rate = input_rate;
  p->output_rate = output_rate;
  p->block = block < 1 ? 1 : block;
  for (i = 0; i < 2; ++i) {
    if (rates[i] < KWS_RESAMPLER_MIN_RATE ||
        rates[i] > KWS_RESAMPLER_MAX_RATE) {
      p->bad_rate = rates[i];
      return KWS_RESAMPLER_BAD_RATE;
    }
  }
  g = gcd64(input_rate, output_rate);
  p->up = output_rate / g;
  p->down = input_rate / g;
  if (p->up > KWS_RESAMPLER_MAX_RATIO_TERM ||
      p->down > KWS_RESAMPLER_MAX_RATIO_TERM) {
    return KWS_RESAMPLER_BAD_RATIO;
  }
  kaiser(input_rate, output_rate, p->up, &beta, &length, &norm);
  p->taps = (int32_t)ceil(length / (double)p->up);
  p->coefficients = (size_t)p->taps * (size_t)p->up;
  if ((int64_t)p->taps * p->up > KWS_RESAMPLER_MAX_COEFFICIENTS) {
    return KWS_RESAMPLER_TOO_LONG;
  }
  p->arena_bytes = align8(sizeof(kws_micro_resampler)) +
                   align8(p->coefficients * sizeof(float)) +
                   ((size_t)p->taps - 1 + p->block) * sizeof(float);
  return KWS_RESAMPLER_PLAN_OK;
}

kws_micro_resampler* kws_resampler_init(const kws_resampler_plan* p,
                                        void* arena) {
  uint8_t* at = (uint8_t*)arena;
  kws_micro_resampler* r = (kws_micro_resampler*)at;
  const size_t total = p->coefficients, taps = (size_t)p->taps;
  const double center = 0.5 * (double)(total - 1);
  double beta, length, norm, i0_beta;
  size_t j;
  kaiser(p->input_rate, p->output_rate, p->up, &beta, &length, &norm);
  at += align8(sizeof *r);
  r->up = (int32_t)p->up;
  r->down = (int32_t)p->down;
  r->taps = p->taps;
  r->input_rate = p->input_rate;
  r->output_rate = p->output_rate;
  r->coeffs = (float*)at;
  at += align8(total * sizeof(float));
  r->buffer = (float*)at;
  r->capacity = taps - 1 + p->block;
  i0_beta = bessel_i0(beta);
  for (j = 0; j < total; ++j) {
    const double t = (double)j - center;
    const double x = KWS_PI * norm * t;
    const double sinc = t == 0.0 ? 1.0 : sin(x) / x;
    const double q = t / center;
    const double rest = 1.0 - q * q;
    const double window =
        bessel_i0(beta * sqrt(rest > 0.0 ? rest : 0.0)) / i0_beta;
    /* Prototype tap j belongs to phase j mod L, input lag j / L; stored per
     * phase with the oldest input (largest lag) first. */
    const size_t phase = j % (size_t)p->up, lag = j / (size_t)p->up;
    r->coeffs[phase * taps + (taps - 1 - lag)] =
        (float)((double)p->up * norm * sinc * window);
  }
  kws_micro_resampler_reset(r);
  return r;
}

static int16_t round_to_int16(float v) { /* the Spotter's RoundToInt16 */
  float rounded;
  if (isnan(v)) return 0;
  rounded = roundf(v);
  if (rounded < -32768.0f) rounded = -32768.0f;
  if (rounded > 32767.0f) rounded = 32767.0f;
  return (int16_t)rounded;
}

size_t kws_resampler_process(kws_micro_resampler* r, const float* in,
                             const int16_t* in16, size_t num_in, float* out,
                             int16_t* out16, size_t out_capacity,
                             size_t* written) {
  size_t consumed = 0, produced = 0, history, take, i;
  if (written != NULL) *written = 0;
  if (r == NULL) return 0;
  if (in == NULL && in16 == NULL) num_in = 0;
  if (out == NULL && out16 == NULL) out_capacity = 0;
  history = (size_t)r->taps - 1;
  for (;;) {
    while (produced < out_capacity) {
      const size_t newest = (size_t)(r->position / r->up);
      const float* taps;
      const float* x;
      float sum = 0.0f;
      int32_t j;
      if (newest >= r->filled) break;
      taps = r->coeffs + (size_t)(r->position % r->up) * (size_t)r->taps;
      x = r->buffer + newest - history;
      for (j = 0; j < r->taps; ++j) sum += taps[j] * x[j];
      if (out != NULL) {
        out[produced++] = sum;
      } else {
        out16[produced++] = round_to_int16(sum);
      }
      r->position += r->down;
    }
    if (produced == out_capacity || consumed == num_in) break;
    if (r->filled == r->capacity) { /* keep only the history still needed */
      const size_t drop = r->filled - history;
      memmove(r->buffer, r->buffer + drop, history * sizeof(float));
      r->filled = history;
      r->position -= (int64_t)drop * r->up;
    }
    take = num_in - consumed;
    if (take > r->capacity - r->filled) take = r->capacity - r->filled;
    if (in != NULL) {
      memcpy(r->buffer + r->filled, in + consumed, take * sizeof(float));
    } else {
      for (i = 0; i < take; ++i) r->buffer[r->filled + i] = in16[consumed + i];
    }
    r->filled += take;
    consumed += take;
  }
  if (written != NULL) *written = produced;
  return consumed;
}

void kws_micro_resampler_reset(kws_micro_resampler* r) {
  if (r == NULL) return;
  memset(r->buffer, 0, r->capacity * sizeof(float));
  r->filled = (size_t)r->taps - 1;
  r->position = (int64_t)(r->taps - 1) * r->up;
}

int kws_resampler_input_rate(const kws_micro_resampler* r) {
  return r->input_rate;
}
int kws_resampler_output_rate(const kws_micro_resampler* r) {
  return r->output_rate;
}
int kws_resampler_taps(const kws_micro_resampler* r) { return r->taps; }
double kws_resampler_delay_seconds(const kws_micro_resampler* r) {
  /* The filter's centre tap, in seconds at the upsampled rate. */
  const double center = 0.5 * (double)((size_t)r->taps * (size_t)r->up - 1);
  return center / ((double)r->input_rate * (double)r->up);
}

/* The micro API: int16 in, int16 out (rounded), a 64-sample block. */

static kws_micro_status plan_micro(int input_rate, int output_rate,
                                   kws_resampler_plan* p, kws_text* e) {
  switch (kws_resampler_plan_for(input_rate, output_rate, KWS_MICRO_BLOCK, p)) {
    case KWS_RESAMPLER_PLAN_OK:
      return KWS_MICRO_OK;
    case KWS_RESAMPLER_BAD_RATE:
      kws_text_str(e, "resampler: rate ");
      kws_text_int(e, p->bad_rate);
      kws_text_str(e, " Hz is outside [1000, 384000]");
      return KWS_MICRO_INVALID_ARGUMENT;
    case KWS_RESAMPLER_BAD_RATIO:
      kws_text_str(e, "resampler: the ratio ");
      kws_text_int(e, p->up);
      kws_text_str(e, "/");
      kws_text_int(e, p->down);
      kws_text_str(e, " has terms above 1024");
      return KWS_MICRO_INVALID_ARGUMENT;
    case KWS_RESAMPLER_TOO_LONG:
    default:
      kws_text_str(e, "resampler: needs more than 1048576 coefficients");
      return KWS_MICRO_INVALID_ARGUMENT;
  }
}

kws_micro_status kws_micro_resampler_size(int input_rate, int output_rate,
                                          size_t* arena_bytes, char* error,
                                          size_t error_size) {
  kws_text e;
  kws_resampler_plan p;
  kws_micro_status s;
  kws_text_init(&e, error, error_size);
  if (arena_bytes == NULL) {
    kws_text_str(&e, "resampler: no arena_bytes to fill");
    return KWS_MICRO_INVALID_ARGUMENT;
  }
  s = plan_micro(input_rate, output_rate, &p, &e);
  if (s == KWS_MICRO_OK) *arena_bytes = p.arena_bytes;
  return s;
}

kws_micro_status kws_micro_resampler_init(int input_rate, int output_rate,
                                          void* arena, size_t arena_bytes,
                                          kws_micro_resampler** out,
                                          char* error, size_t error_size) {
  kws_text e;
  kws_resampler_plan p;
  kws_micro_status s;
  kws_text_init(&e, error, error_size);
  if (out == NULL || arena == NULL) {
    kws_text_str(&e, "resampler: no arena or no output pointer");
    return KWS_MICRO_INVALID_ARGUMENT;
  }
  *out = NULL;
  if ((uintptr_t)arena % KWS_MICRO_ARENA_ALIGNMENT != 0) {
    kws_text_str(&e, "resampler: arena is not 8-byte aligned");
    return KWS_MICRO_INVALID_ARGUMENT;
  }
  s = plan_micro(input_rate, output_rate, &p, &e);
  if (s != KWS_MICRO_OK) return s;
  s = kws_check_arena_size(arena_bytes, p.arena_bytes, &e);
  if (s != KWS_MICRO_OK) return s;
  *out = kws_resampler_init(&p, arena);
  return KWS_MICRO_OK;
}

size_t kws_micro_resample(kws_micro_resampler* r, const int16_t* in,
                          size_t num_in, int16_t* out, size_t out_capacity,
                          size_t* written) {
  return kws_resampler_process(r, NULL, in, num_in, NULL, out, out_capacity,
                               written);
}
