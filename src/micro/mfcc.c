/* The MFCC front end: tables built (at init, or into a tables blob by
 * kws_micro_write_tables) with the C++ formulas
 * (src/features: window.cpp, fft_plan.cpp, mfcc_tables.cpp, mel.cpp,
 * dct.cpp) in double from math.h, converted once to the front end's
 * precision, and the per-frame mel / log / DCT in float. */
#include <math.h>
#include <string.h>

#include "common/kws_math.h"
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

static void MelGeometryOf(const kws_view* m, MelGeometry* g) {
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

void kws_mfcc_fft_sizes_of(const kws_view* m, kws_mfcc_sizes* sz) {
  int32_t radices[KWS_MAX_FFT_STAGES], length;
  int i;
  memset(sz, 0, sizeof *sz);
  sz->half = m->frame_length / 2;
  sz->num_stages = Factorize(sz->half, radices);
  length = sz->half;
  for (i = 0; i < sz->num_stages; ++i) {
    const int32_t span = length / radices[i];
    sz->twiddles += (span - 1) * (radices[i] - 1);
    if (radices[i] > 5) {
      sz->roots += radices[i];
      sz->max_generic_radix = radices[i]; /* ascending */
    }
    length = span;
  }

#if defined(KWS_MICRO_NO_FLOAT64)
  sz->real_bytes = sizeof(float);
#else
  sz->real_bytes = m->front_end == 1 ? sizeof(float) : sizeof(double);
#endif
}

void kws_mfcc_sizes_of(const kws_view* m, kws_mfcc_sizes* sz) {
  int32_t band, first, last;
  MelGeometry g;
  kws_mfcc_fft_sizes_of(m, sz);
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
}

/* Offsets of the tables, from their start (the layout of a tables blob's
 * payload too). */
typedef struct {
  size_t window, twiddles, roots, split, bands, weights, dct, end;
} TablesLayout;

static void TablesLayoutOf(const kws_mfcc_sizes* sz, int32_t mel_bins,
                           int32_t num_mfcc, TablesLayout* l) {
  const size_t rb = sz->real_bytes;
  const size_t used_bins = (size_t)(sz->highest_bin - sz->lowest_bin + 1);
  size_t at = 0;
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
  l->end = at;
}

size_t kws_mfcc_tables_bytes(const kws_mfcc_sizes* sz, int32_t mel_bins,
                             int32_t num_mfcc) {
  TablesLayout l;
  TablesLayoutOf(sz, mel_bins, num_mfcc, &l);
  return l.end;
}

size_t kws_mfcc_bands_offset(const kws_mfcc_sizes* sz, int32_t mel_bins,
                             int32_t num_mfcc) {
  TablesLayout l;
  TablesLayoutOf(sz, mel_bins, num_mfcc, &l);
  return l.bands;
}

/* Offsets of the front end's parts in the arena. */
typedef struct {
  size_t stages, tables, pair0, pair1, end;
} Layout;

static void LayoutOf(const kws_mfcc_sizes* sz, int32_t mel_bins,
                     int32_t num_mfcc, bool tables_outside, Layout* l) {
  const size_t used_bins = (size_t)(sz->highest_bin - sz->lowest_bin + 1);
  const size_t fft_pair = 2 * (size_t)sz->half * sz->real_bytes;
  const size_t mel_scratch = (used_bins + (size_t)mel_bins) * sizeof(float);
  const size_t generic = 2 * (size_t)sz->max_generic_radix * sz->real_bytes;
  size_t at = 0;
  l->stages = at;
  at += Align8((size_t)sz->num_stages * sizeof(kws_fft_stage));
  l->tables = at;
  if (!tables_outside) at += kws_mfcc_tables_bytes(sz, mel_bins, num_mfcc);
  /* The FFT runs in place in one pair; the scratch after it holds a generic
   * radix's inputs during the FFT, the magnitudes and log mel energies
   * after it. */
  l->pair0 = at;
  at += Align8(fft_pair);
  l->pair1 = at;
  at += Align8(mel_scratch > generic ? mel_scratch : generic);
  l->end = at;
}

size_t kws_mfcc_arena_bytes(const kws_mfcc_sizes* sz, int32_t mel_bins,
                            int32_t num_mfcc, bool tables_outside,
                            size_t* buffers_at) {
  Layout l;
  LayoutOf(sz, mel_bins, num_mfcc, tables_outside, &l);
  *buffers_at = l.pair0;
  return l.end;
}

/* Stores a table value computed in double, converted once. */
static void Put(size_t real_bytes, void* table, size_t i, double v) {
  if (real_bytes == sizeof(float)) {
    ((float*)table)[i] = (float)v;
  } else {
    ((double*)table)[i] = v;
  }
}

/* exp(-2 pi i num / den) with num reduced mod den first (fft_plan.cpp). */
static void Root(size_t rb, long num, long den, void* re, void* im, size_t i) {
  const double angle = -2.0 * KWS_PI * (double)(num % den) / (double)den;
  Put(rb, re, i, cos(angle));
  Put(rb, im, i, sin(angle));
}

/* The stage descriptors (MakeFftPlan's geometry). */
static void InitStages(const kws_mfcc_sizes* sz, kws_fft_stage* stages) {
  int32_t radices[KWS_MAX_FFT_STAGES], length = sz->half, stride = 1;
  int32_t twiddles = 0, roots = 0;
  int i;
  Factorize(sz->half, radices);
  for (i = 0; i < sz->num_stages; ++i) {
    kws_fft_stage* st = &stages[i];
    st->radix = radices[i];
    st->length = length;
    st->stride = stride;
    st->span = length / st->radix;
    st->twiddle_offset = twiddles;
    st->root_offset = roots;
    twiddles += (st->span - 1) * (st->radix - 1);
    if (st->radix > 5) roots += st->radix;
    length = st->span;
    stride *= st->radix;
  }
}

/* Twiddles and roots, stage by stage (MakeFftPlan's values and order). */
static void FillFft(const kws_mfcc_sizes* sz, uint8_t* twiddle, uint8_t* root) {
  const size_t rb = sz->real_bytes;
  uint8_t* twiddle_im = twiddle + (size_t)sz->twiddles * rb;
  uint8_t* root_im = root + (size_t)sz->roots * rb;
  int32_t radices[KWS_MAX_FFT_STAGES], length = sz->half;
  int32_t twiddles = 0, roots = 0, q, k, r;
  int i;
  Factorize(sz->half, radices);
  for (i = 0; i < sz->num_stages; ++i) {
    const int32_t radix = radices[i], span = length / radix;
    for (q = 1; q < span; ++q) {
      for (k = 1; k < radix; ++k) {
        Root(rb, (long)q * k, length, twiddle, twiddle_im, (size_t)twiddles++);
      }
    }
    if (radix > 5) {
      for (r = 0; r < radix; ++r) {
        Root(rb, r, radix, root, root_im, (size_t)roots++);
      }
    }
    length = span;
  }
}

void kws_mfcc_fill_tables(const kws_mfcc_sizes* sz, const kws_view* m,
                          uint8_t* out) {
  const int32_t L = m->frame_length, mels = m->mel_bins;
  const size_t rb = sz->real_bytes, half = (size_t)sz->half;
  const size_t used_bins = (size_t)(sz->highest_bin - sz->lowest_bin + 1);
  TablesLayout l;
  MelGeometry g;
  int32_t n, k, band, first, last, bin, weights = 0;
  int32_t *band_first, *band_count, *band_offset;
  float *mel_weights, *dct;
  const double dct_scale = sqrt(2.0 / mels);
  TablesLayoutOf(sz, mels, m->num_mfcc, &l);
  /* Periodic Hann split into even and odd samples, times 1/32768. */
  for (n = 0; n < L; ++n) {
    const double w = 0.5 - 0.5 * cos(2.0 * KWS_PI * n / L);
    Put(rb, out + l.window + (n % 2 == 0 ? 0 : half * rb), (size_t)(n / 2),
        w / 32768.0);
  }
  FillFft(sz, out + l.twiddles, out + l.roots);
  for (k = sz->lowest_bin; k <= sz->highest_bin; ++k) {
    const double angle = -2.0 * KWS_PI * k / L;
    Put(rb, out + l.split, (size_t)(k - sz->lowest_bin), cos(angle));
    Put(rb, out + l.split + used_bins * rb, (size_t)(k - sz->lowest_bin),
        sin(angle));
  }
  band_first = (int32_t*)(void*)(out + l.bands);
  band_count = band_first + mels;
  band_offset = band_count + mels;
  mel_weights = (float*)(void*)(out + l.weights);
  dct = (float*)(void*)(out + l.dct);
  MelGeometryOf(m, &g);
  for (band = 0; band < mels; ++band) {
    BandExtent(&g, band, &first, &last);
    band_offset[band] = weights;
    band_first[band] = first < 0 ? 0 : first;
    band_count[band] = first < 0 ? 0 : last - first + 1;
    for (bin = first; first >= 0 && bin <= last; ++bin) {
      mel_weights[weights++] = (float)MelWeight(&g, bin, band);
    }
  }
  for (k = 0; k < m->num_mfcc; ++k) {
    for (n = 0; n < mels; ++n) {
      dct[k * mels + n] =
          (float)(dct_scale * cos(KWS_PI * k * (2.0 * n + 1.0) / (2.0 * mels)));
    }
  }
}

void kws_mfcc_init(kws_mfcc* f, const kws_view* m, uint8_t* arena,
                   const uint8_t* tables) {
  const int32_t mels = m->mel_bins;
  const size_t rb = f->sz.real_bytes, half = (size_t)f->sz.half;
  const size_t used_bins = (size_t)(f->sz.highest_bin - f->sz.lowest_bin + 1);
  Layout l;
  TablesLayout t;
  LayoutOf(&f->sz, mels, m->num_mfcc, tables != NULL, &l);
  TablesLayoutOf(&f->sz, mels, m->num_mfcc, &t);
  f->model = m;
  f->stages = (kws_fft_stage*)(void*)(arena + l.stages);
  InitStages(&f->sz, f->stages);
#if !defined(KWS_MICRO_NO_TABLE_BUILDER) /* else Prepare refused NULL */
  if (tables == NULL) {
    kws_mfcc_fill_tables(&f->sz, m, arena + l.tables);
    tables = arena + l.tables;
  }
#endif
  f->window_even = tables + t.window;
  f->window_odd = tables + t.window + half * rb;
  f->twiddle_re = tables + t.twiddles;
  f->twiddle_im = tables + t.twiddles + (size_t)f->sz.twiddles * rb;
  f->root_re = tables + t.roots;
  f->root_im = tables + t.roots + (size_t)f->sz.roots * rb;
  f->split_re = tables + t.split;
  f->split_im = tables + t.split + used_bins * rb;
  f->band_first = (const int32_t*)(const void*)(tables + t.bands);
  f->band_count = f->band_first + mels;
  f->band_offset = f->band_count + mels;
  f->mel_weights = (const float*)(const void*)(tables + t.weights);
  f->dct = (const float*)(const void*)(tables + t.dct);
  f->re = arena + l.pair0;
  f->im = arena + l.pair0 + half * rb;
  f->work_re = arena + l.pair1;
}

int32_t kws_fft_position(const kws_mfcc* f, int stage, int32_t n) {
  int32_t position = 0, scale = 1;
  int j;
  for (j = stage - 1; j >= 0; --j) {
    const kws_fft_stage* st = &f->stages[j];
    position += scale * (n / st->stride);
    n %= st->stride;
    scale *= st->radix;
  }
  return position;
}

void kws_mfcc_frame(const kws_mfcc* f, const int16_t* ring, size_t ring_size,
                    size_t start, size_t valid, float* out) {
  const kws_view* m = f->model;
  float* mag = (float*)f->work_re;
  float* log_mel = mag + (f->sz.highest_bin - f->sz.lowest_bin + 1);
  int32_t b, c, i;
#if !defined(KWS_MICRO_NO_FLOAT64)
  if (f->sz.real_bytes == sizeof(double)) {
    kws_window_f64(f, ring, ring_size, start, valid);
    kws_fft_f64(f);
    kws_magnitudes_f64(f, mag);
  } else
#endif
  {
    kws_window_f32(f, ring, ring_size, start, valid);
    kws_fft_f32(f);
    kws_magnitudes_f32(f, mag);
  }
  for (b = 0; b < m->mel_bins; ++b) {
    float sum = 0.0f;
    if (f->band_count[b] > 0) { /* an empty band's offset may point past */
      const float* w = f->mel_weights + f->band_offset[b];
      const float* x = mag + (f->band_first[b] - f->sz.lowest_bin);
      for (i = 0; i < f->band_count[b]; ++i) sum += x[i] * w[i];
    }
    sum += m->log_offset;
    log_mel[b] = kws_logf(sum); /* the C++ front end's bits, any libm */
  }
  for (c = 0; c < m->num_mfcc; ++c) {
    const float* d = f->dct + (size_t)c * (size_t)m->mel_bins;
    float acc = 0.0f;
    for (b = 0; b < m->mel_bins; ++b) acc += log_mel[b] * d[b];
    out[c] = acc;
  }
}
