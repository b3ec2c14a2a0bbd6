/* The micro runtime's rate converter: tinykws::Resampler
 * (src/runtime/resampler.cpp) in C99 over a caller's arena, with the same
 * filter design (the same double expressions, rounded to float once), the
 * same float sum per output, and the Spotter's rounding of its output to
 * int16, so a micro stream converts exactly as the C++ one. */
#include <math.h>
#include <string.h>

#include "micro/micro_internal.h"
#include "tinykws/micro_resampler.h"

#define KWS_MIN_RATE 1000
#define KWS_MAX_RATE 384000
#define KWS_MAX_RATIO_TERM 1024
#define KWS_MAX_COEFFICIENTS (1L << 20)
#define KWS_BLOCK 64 /* input samples buffered per refill */
#define KWS_ATTENUATION_DB 80.0
#define KWS_PASSBAND_EDGE 0.45 /* of the lower rate */
#define KWS_STOPBAND_EDGE 0.55
#define KWS_PI 3.14159265358979323846

struct kws_micro_resampler {
  int64_t up, down; /* L, M */
  int32_t taps;     /* K */
  float* coeffs;    /* phase p's taps at p K, oldest input first */
  float* buffer;    /* K - 1 samples of history, then new ones */
  size_t capacity, filled;
  int64_t position; /* next output's time in 1 / (L input rate) units */
};

typedef struct {
  int64_t up, down;
  int32_t taps;
  double beta, center, norm;
} kws_design;

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

static kws_micro_status design(int input_rate, int output_rate, kws_design* d,
                               size_t* bytes, kws_text* e) {
  const int rates[2] = {input_rate, output_rate};
  int i;
  int64_t g;
  double lower, upsampled, cutoff, width, length;
  for (i = 0; i < 2; ++i) {
    if (rates[i] < KWS_MIN_RATE || rates[i] > KWS_MAX_RATE) {
      kws_text_str(e, "resampler: rate ");
      kws_text_int(e, rates[i]);
      kws_text_str(e, " Hz is outside [1000, 384000]");
      return KWS_MICRO_INVALID_ARGUMENT;
    }
  }
  g = gcd64(input_rate, output_rate);
  d->up = output_rate / g;
  d->down = input_rate / g;
  if (d->up > KWS_MAX_RATIO_TERM || d->down > KWS_MAX_RATIO_TERM) {
    kws_text_str(e, "resampler: the ratio ");
    kws_text_int(e, d->up);
    kws_text_str(e, "/");
    kws_text_int(e, d->down);
    kws_text_str(e, " has terms above 1024");
    return KWS_MICRO_INVALID_ARGUMENT;
  }
  /* Kaiser design at the upsampled rate, as tinykws::Resampler::Create. */
  lower = input_rate < output_rate ? input_rate : output_rate;
  upsampled = (double)input_rate * (double)d->up;
  cutoff = 0.5 * (KWS_PASSBAND_EDGE + KWS_STOPBAND_EDGE) * lower;
  width = 2.0 * KWS_PI * (KWS_STOPBAND_EDGE - KWS_PASSBAND_EDGE) * lower /
          upsampled;
  d->beta = 0.1102 * (KWS_ATTENUATION_DB - 8.7);
  length = (KWS_ATTENUATION_DB - 8.0) / (2.285 * width) + 1.0;
  d->taps = (int32_t)ceil(length / (double)d->up);
  if ((int64_t)d->taps * d->up > KWS_MAX_COEFFICIENTS) {
    kws_text_str(e, "resampler: needs more than 1048576 coefficients");
    return KWS_MICRO_INVALID_ARGUMENT;
  }
  d->center = 0.5 * (double)((int64_t)d->taps * d->up - 1);
  d->norm = 2.0 * cutoff / upsampled;
  *bytes = align8(sizeof(kws_micro_resampler)) +
           align8((size_t)d->taps * (size_t)d->up * sizeof(float)) +
           ((size_t)d->taps - 1 + KWS_BLOCK) * sizeof(float);
  return KWS_MICRO_OK;
}

kws_micro_status kws_micro_resampler_size(int input_rate, int output_rate,
                                          size_t* arena_bytes, char* error,
                                          size_t error_size) {
  kws_text e;
  kws_design d;
  kws_text_init(&e, error, error_size);
  if (arena_bytes == NULL) {
    kws_text_str(&e, "resampler: no arena_bytes to fill");
    return KWS_MICRO_INVALID_ARGUMENT;
  }
  return design(input_rate, output_rate, &d, arena_bytes, &e);
}

void kws_micro_resampler_reset(kws_micro_resampler* r) {
  if (r == NULL) return;
  memset(r->buffer, 0, r->capacity * sizeof(float));
  r->filled = (size_t)r->taps - 1;
  r->position = (int64_t)(r->taps - 1) * r->up;
}

kws_micro_status kws_micro_resampler_init(int input_rate, int output_rate,
                                          void* arena, size_t arena_bytes,
                                          kws_micro_resampler** out,
                                          char* error, size_t error_size) {
  kws_text e;
  kws_design d;
  size_t need = 0, total, j;
  kws_micro_resampler* r;
  uint8_t* at;
  double i0_beta;
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
  s = design(input_rate, output_rate, &d, &need, &e);
  if (s != KWS_MICRO_OK) return s;
  s = kws_check_arena_size(arena_bytes, need, &e);
  if (s != KWS_MICRO_OK) return s;
  at = (uint8_t*)arena;
  r = (kws_micro_resampler*)at;
  at += align8(sizeof *r);
  r->up = d.up;
  r->down = d.down;
  r->taps = d.taps;
  total = (size_t)d.taps * (size_t)d.up;
  r->coeffs = (float*)at;
  at += align8(total * sizeof(float));
  r->buffer = (float*)at;
  r->capacity = (size_t)d.taps - 1 + KWS_BLOCK;
  i0_beta = bessel_i0(d.beta);
  for (j = 0; j < total; ++j) {
    const double t = (double)j - d.center;
    const double x = KWS_PI * d.norm * t;
    const double sinc = t == 0.0 ? 1.0 : sin(x) / x;
    const double q = t / d.center;
    const double rest = 1.0 - q * q;
    const double window =
        bessel_i0(d.beta * sqrt(rest > 0.0 ? rest : 0.0)) / i0_beta;
    const size_t phase = j % (size_t)d.up, lag = j / (size_t)d.up;
    r->coeffs[phase * (size_t)d.taps + ((size_t)d.taps - 1 - lag)] =
        (float)((double)d.up * d.norm * sinc * window);
  }
  kws_micro_resampler_reset(r);
  *out = r;
  return KWS_MICRO_OK;
}

static int16_t round_to_int16(float v) { /* the Spotter's RoundToInt16 */
  float rounded;
  if (isnan(v)) return 0;
  rounded = roundf(v);
  if (rounded < -32768.0f) rounded = -32768.0f;
  if (rounded > 32767.0f) rounded = 32767.0f;
  return (int16_t)rounded;
}

size_t kws_micro_resample(kws_micro_resampler* r, const int16_t* in,
                          size_t num_in, int16_t* out, size_t out_capacity,
                          size_t* written) {
  size_t consumed = 0, produced = 0, history, take, i;
  if (written != NULL) *written = 0;
  if (r == NULL) return 0;
  if (in == NULL) num_in = 0;
  if (out == NULL) out_capacity = 0;
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
      out[produced++] = round_to_int16(sum);
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
    for (i = 0; i < take; ++i) r->buffer[r->filled + i] = in[consumed + i];
    r->filled += take;
    consumed += take;
  }
  if (written != NULL) *written = produced;
  return consumed;
}
