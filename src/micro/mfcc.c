/* The MFCC front end: tables built at init with the C++ formulas
 * (src/features: window.cpp, fft_plan.cpp, mfcc_tables.cpp, mel.cpp,
 * dct.cpp) in double from math.h, converted once to the front end's
 * precision, and the per-frame mel / log / DCT in float. */
#include <math.h>
#include <string.h>

#include "micro/micro_internal.h"

/* M_PI's value; strict C99 does not define M_PI. */
#define KWS_PI 3.14159265358979323846

static size_t Align8(size_t n) { return (n + 7) / 8 * 8; }

/* Radices 4 first, then 2, 3, 5, then other primes (MakeFftPlan's order). */
static int Factorize(int32_t size, int32_t radices[KWS_MAX_FFT_STAGES]) {
  static const int32_t kSmall[4] = {4, 2, 3, 5};
  int32_t rest = size, radix;
  int count = 0, i;
  for (i = 0; i < 4; ++i) {
    while (rest % kSmall[i] == 0) {
      radices[count++] = kSmall[i];
      rest /= kSmall[i];
    }
  }
  for (radix = 7; rest > 1; radix += 2) {
    while (rest % radix == 0) {
      radices[count++] = radix;
      rest /= radix;
    }
  }
  return count;
}

static double HertzToMel(double hertz) { return 1127.0 * log1p(hertz / 700.0); }

/* Mel band geometry of MelWeightMatrix. */
typedef struct {
  int32_t bins, mels;
  double nyquist, lower_mel, mel_step;
} MelGeometry;

static void MelGeometryOf(const kws_model* m, MelGeometry* g) {
  g->bins = m->frame_length / 2 + 1;
  g->mels = m->mel_bins;
  g->nyquist = m->sample_rate / 2.0;
  g->lower_mel = HertzToMel(m->fmin_hz);
  g->mel_step = (HertzToMel(m->fmax_hz) - g->lower_mel) / (g->mels + 1);
}

/* matrix[bin][band]: std::max(0.0, std::min(rising, falling)). */
static double MelWeight(const MelGeometry* g, int32_t bin, int32_t band) {
  double bin_mel, left, center, right, rising, falling, low;
  if (bin == 0) return 0.0; /* TF drops the DC bin */
  bin_mel = HertzToMel(g->nyquist * bin / (g->bins - 1));
  left = g->lower_mel + band * g->mel_step;
  center = left + g->mel_step;
  right = center + g->mel_step;
  rising = (bin_mel - left) / (center - left);
  falling = (right - bin_mel) / (right - center);
  low = falling < rising ? falling : rising;
  return 0.0 < low ? low : 0.0;
}

/* First and last bin of a band with a weight > 0 (first = -1: none). */
static void BandExtent(const MelGeometry* g, int32_t band, int32_t* first,
                       int32_t* last) {
  int32_t bin;
  *first = -1;
  *last = -1;
  for (bin = 0; bin < g->bins; ++bin) {
    if (MelWeight(g, bin, band) > 0.0) {
      if (*first < 0) *first = bin;
      *last = bin;
    }
  }
}

void kws_mfcc_sizes_of(const kws_model* m, kws_mfcc_sizes* sz) {
  int32_t radices[KWS_MAX_FFT_STAGES], length, band, first, last;
  MelGeometry g;
  int i;
  memset(sz, 0, sizeof *sz);
  sz->half = m->frame_length / 2;
  sz->num_stages = Factorize(sz->half, radices);
  length = sz->half;
  for (i = 0; i < sz->num_stages; ++i) {
    const int32_t span = length / radices[i];
    sz->twiddles += (span - 1) * (radices[i] - 1);
    if (radices[i] > 5) sz->roots += radices[i];
    length = span;
  }
  MelGeometryOf(m, &g);
  sz->lowest_bin = g.bins;
  sz->highest_bin = -1;
  for (band = 0; band < g.mels; ++band) {
    BandExtent(&g, band, &first, &last);
    if (first < 0) continue;
    sz->mel_weights += last - first + 1;
    if (first < sz->lowest_bin) sz->lowest_bin = first;
    if (last > sz->highest_bin) sz->highest_bin = last;
  }
  if (sz->highest_bin < 0) { /* no band holds a bin: compute bin 0 only */
    sz->lowest_bin = 0;
    sz->highest_bin = 0;
  }
#if defined(KWS_MICRO_NO_FLOAT64)
  sz->real_bytes = sizeof(float);
#else
  sz->real_bytes = m->front_end == 1 ? sizeof(float) : sizeof(double);
#endif
}

/* Offsets of every table and buffer, in arena order. */
typedef struct {
  size_t stages, window, twiddles, roots, split, bands, weights, dct, pair0,
      pair1, end;
} Layout;

static void LayoutOf(const kws_mfcc_sizes* sz, int32_t mel_bins,
                     int32_t num_mfcc, Layout* l) {
  const size_t rb = sz->real_bytes;
  const size_t used_bins = (size_t)(sz->highest_bin - sz->lowest_bin + 1);
  const size_t fft_pair = 2 * (size_t)sz->half * rb;
  const size_t mel_scratch = (used_bins + (size_t)mel_bins) * sizeof(float);
  size_t at = 0;
  l->stages = at;
  at += Align8((size_t)sz->num_stages * sizeof(kws_fft_stage));
  l->window = at;
  at += Align8(2 * (size_t)sz->half * rb);
  l->twiddles = at;
  at += Align8(2 * (size_t)sz->twiddles * rb);
  l->roots = at;
  at += Align8(2 * (size_t)sz->roots * rb);
  l->split = at;
  at += Align8(2 * used_bins * rb);
  l->bands = at;
  at += Align8(3 * (size_t)mel_bins * sizeof(int32_t));
  l->weights = at;
  at += Align8((size_t)sz->mel_weights * sizeof(float));
  l->dct = at;
  at += Align8((size_t)num_mfcc * (size_t)mel_bins * sizeof(float));
  /* The pair that does not hold the FFT result holds the magnitudes and the
   * log mel energies afterwards. */
  l->pair0 = at;
  at += Align8(fft_pair > mel_scratch ? fft_pair : mel_scratch);
  l->pair1 = at;
  at += Align8(fft_pair > mel_scratch ? fft_pair : mel_scratch);
  l->end = at;
}

size_t kws_mfcc_arena_bytes(const kws_mfcc_sizes* sz, int32_t mel_bins,
                            int32_t num_mfcc) {
  Layout l;
  LayoutOf(sz, mel_bins, num_mfcc, &l);
  return l.end;
}

/* Stores a table value computed in double, converted once. */
static void Put(const kws_mfcc* f, void* table, size_t i, double v) {
  if (f->sz.real_bytes == sizeof(float)) {
    ((float*)table)[i] = (float)v;
  } else {
    ((double*)table)[i] = v;
  }
}

/* exp(-2 pi i num / den) with num reduced mod den first (fft_plan.cpp). */
static void Root(const kws_mfcc* f, long num, long den, void* re, void* im,
                 size_t i) {
  const double angle = -2.0 * KWS_PI * (double)(num % den) / (double)den;
  Put(f, re, i, cos(angle));
  Put(f, im, i, sin(angle));
}

static void InitFft(kws_mfcc* f) {
  int32_t radices[KWS_MAX_FFT_STAGES], length = f->sz.half, stride = 1;
  int32_t twiddles = 0, roots = 0, q, k, r;
  int i;
  Factorize(f->sz.half, radices);
  for (i = 0; i < f->sz.num_stages; ++i) {
    kws_fft_stage* st = &f->stages[i];
    st->radix = radices[i];
    st->length = length;
    st->stride = stride;
    st->span = length / st->radix;
    st->twiddle_offset = twiddles;
    st->root_offset = roots;
    for (q = 1; q < st->span; ++q) {
      for (k = 1; k < st->radix; ++k) {
        Root(f, (long)q * k, length, f->twiddle_re, f->twiddle_im,
             (size_t)twiddles++);
      }
    }
    if (st->radix > 5) {
      for (r = 0; r < st->radix; ++r) {
        Root(f, r, st->radix, f->root_re, f->root_im, (size_t)roots++);
      }
    }
    length = st->span;
    stride *= st->radix;
  }
}

void kws_mfcc_init(kws_mfcc* f, const kws_model* m, uint8_t* arena) {
  const int32_t L = m->frame_length, mels = m->mel_bins;
  const size_t rb = f->sz.real_bytes, half = (size_t)f->sz.half;
  const size_t used_bins = (size_t)(f->sz.highest_bin - f->sz.lowest_bin + 1);
  Layout l;
  MelGeometry g;
  int32_t n, k, band, first, last, bin, weights = 0;
  const double dct_scale = sqrt(2.0 / mels);
  LayoutOf(&f->sz, mels, m->num_mfcc, &l);
  f->model = m;
  f->stages = (kws_fft_stage*)(void*)(arena + l.stages);
  f->window_even = arena + l.window;
  f->window_odd = arena + l.window + half * rb;
  f->twiddle_re = arena + l.twiddles;
  f->twiddle_im = arena + l.twiddles + (size_t)f->sz.twiddles * rb;
  f->root_re = arena + l.roots;
  f->root_im = arena + l.roots + (size_t)f->sz.roots * rb;
  f->split_re = arena + l.split;
  f->split_im = arena + l.split + used_bins * rb;
  f->band_first = (int32_t*)(void*)(arena + l.bands);
  f->band_count = f->band_first + mels;
  f->band_offset = f->band_count + mels;
  f->mel_weights = (float*)(void*)(arena + l.weights);
  f->dct = (float*)(void*)(arena + l.dct);
  f->re = arena + l.pair0;
  f->im = arena + l.pair0 + half * rb;
  f->work_re = arena + l.pair1;
  f->work_im = arena + l.pair1 + half * rb;
  /* Periodic Hann split into even and odd samples, times 1/32768. */
  for (n = 0; n < L; ++n) {
    const double w = 0.5 - 0.5 * cos(2.0 * KWS_PI * n / L);
    Put(f, n % 2 == 0 ? f->window_even : f->window_odd, (size_t)(n / 2),
        w / 32768.0);
  }
  InitFft(f);
  for (k = f->sz.lowest_bin; k <= f->sz.highest_bin; ++k) {
    const double angle = -2.0 * KWS_PI * k / L;
    Put(f, f->split_re, (size_t)(k - f->sz.lowest_bin), cos(angle));
    Put(f, f->split_im, (size_t)(k - f->sz.lowest_bin), sin(angle));
  }
  MelGeometryOf(m, &g);
  for (band = 0; band < mels; ++band) {
    BandExtent(&g, band, &first, &last);
    f->band_offset[band] = weights;
    f->band_first[band] = first < 0 ? 0 : first;
    f->band_count[band] = first < 0 ? 0 : last - first + 1;
    for (bin = first; first >= 0 && bin <= last; ++bin) {
      f->mel_weights[weights++] = (float)MelWeight(&g, bin, band);
    }
  }
  for (k = 0; k < m->num_mfcc; ++k) {
    for (n = 0; n < mels; ++n) {
      f->dct[k * mels + n] =
          (float)(dct_scale * cos(KWS_PI * k * (2.0 * n + 1.0) / (2.0 * mels)));
    }
  }
}

void kws_mfcc_frame(const kws_mfcc* f, const int16_t* ring, size_t ring_size,
                    size_t start, size_t valid, float* out) {
  const kws_model* m = f->model;
  const void* zr;
  void* zi;
  float *mag, *log_mel;
  int32_t b, c, i;
#if !defined(KWS_MICRO_NO_FLOAT64)
  if (f->sz.real_bytes == sizeof(double)) {
    kws_window_f64(f, ring, ring_size, start, valid);
    zr = kws_fft_f64(f, &zi);
  } else
#endif
  {
    kws_window_f32(f, ring, ring_size, start, valid);
    zr = kws_fft_f32(f, &zi);
  }
  mag = (float*)(zr == f->re ? f->work_re : f->re);
  log_mel = mag + (f->sz.highest_bin - f->sz.lowest_bin + 1);
#if !defined(KWS_MICRO_NO_FLOAT64)
  if (f->sz.real_bytes == sizeof(double)) {
    kws_magnitudes_f64(f, zr, zi, mag);
  } else
#endif
  {
    kws_magnitudes_f32(f, zr, zi, mag);
  }
  for (b = 0; b < m->mel_bins; ++b) {
    const float* w = f->mel_weights + f->band_offset[b];
    float sum = 0.0f;
    if (f->band_count[b] > 0) {
      const float* x = mag + (f->band_first[b] - f->sz.lowest_bin);
      for (i = 0; i < f->band_count[b]; ++i) sum += x[i] * w[i];
    }
    sum += m->log_offset;
    log_mel[b] = logf(sum);
  }
  for (c = 0; c < m->num_mfcc; ++c) {
    const float* d = f->dct + (size_t)c * (size_t)m->mel_bins;
    float acc = 0.0f;
    for (b = 0; b < m->mel_bins; ++b) acc += log_mel[b] * d[b];
    out[c] = acc;
  }
}
