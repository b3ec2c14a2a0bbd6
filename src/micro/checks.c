/* The semantic rules of the .kws reader (src/format/shapes.cpp,
 * validate.cpp, working_set.cpp, detector_params.cpp and
 * ValidateFeatureConfig), on a model whose records container.c located.
 * A model the C++ reader refuses is refused here, and the reverse. */
#include <math.h>
#include <string.h>

#include "micro/micro_internal.h"

static kws_micro_status Fail(kws_text* e, const char* what) {
  kws_text_str(e, "model: ");
  kws_text_str(e, what);
  return KWS_MICRO_BAD_MODEL;
}

/* "model: <what> <index>: <field> out of range (expected lo..hi, found v)" */
static kws_micro_status Range(kws_text* e, const char* what, int64_t index,
                              const char* field, int64_t value, int64_t lo,
                              int64_t hi) {
  if (value >= lo && value <= hi) return KWS_MICRO_OK;
  kws_text_str(e, "model: ");
  kws_text_str(e, what);
  if (index >= 0) {
    kws_text_str(e, "[");
    kws_text_int(e, index);
    kws_text_str(e, "]");
  }
  kws_text_str(e, field);
  kws_text_str(e, " out of range (expected ");
  kws_text_int(e, lo);
  kws_text_str(e, "..");
  kws_text_int(e, hi);
  kws_text_str(e, ", found ");
  kws_text_int(e, value);
  kws_text_str(e, ")");
  return KWS_MICRO_BAD_MODEL;
}

#define KWS_TRY(expr)                                  \
  do {                                                 \
    const kws_micro_status try_status = (expr);        \
    if (try_status != KWS_MICRO_OK) return try_status; \
  } while (0)

static kws_micro_status CheckFeatures(kws_model* m, kws_text* e) {
  KWS_TRY(Range(e, "feature config:", -1, " sample_rate", m->sample_rate, 1,
                192000));
  KWS_TRY(Range(e, "feature config:", -1, " clip_samples", m->clip_samples, 1,
                10 * 60 * 192000));
  if (m->frame_length % 2 != 0) {
    return Fail(e, "feature config: frame_length must be even");
  }
  KWS_TRY(Range(e, "feature config:", -1, " frame_length", m->frame_length, 4,
                m->clip_samples < 16384 ? m->clip_samples : 16384));
  KWS_TRY(Range(e, "feature config:", -1, " frame_step", m->frame_step, 1,
                INT32_MAX));
  KWS_TRY(Range(e, "feature config:", -1, " mel_bins", m->mel_bins, 1, 512));
  if (!isfinite(m->fmin_hz) || m->fmin_hz < 0.0f) {
    return Fail(e, "feature config: fmin_hz must be >= 0");
  }
  if (!isfinite(m->fmax_hz) || m->fmax_hz <= m->fmin_hz ||
      m->fmax_hz > (float)m->sample_rate / 2.0f) {
    return Fail(e,
                "feature config: fmax_hz must be in (fmin_hz, sample "
                "rate / 2]");
  }
  KWS_TRY(Range(e, "feature config:", -1, " num_mfcc", m->num_mfcc, 1,
                m->mel_bins));
  if (!isfinite(m->log_offset) || m->log_offset <= 0.0f) {
    return Fail(e, "feature config: log_offset must be > 0");
  }
  KWS_TRY(Range(e, "feature config:", -1, " precision", m->front_end, 0, 1));
  m->num_frames = 1 + (m->clip_samples - m->frame_length) / m->frame_step;
  return KWS_MICRO_OK;
}

static uint64_t RoundUp(uint64_t v, uint64_t multiple) {
  return (v + multiple - 1) / multiple * multiple;
}

/* EstimateWorkingSet (src/format/working_set.cpp, with
 * features::MemoryBound) for an int8 model: the C++ runtime's memory bound,
 * which the reader caps at 64 MiB. The object sizes are the x86-64 ones of
 * MfccTables (592), MfccScratch (128) and FftStage (32); they matter only
 * within a few hundred bytes of the cap. */
static kws_micro_status CheckWorkingSet(const kws_model* m, kws_text* e) {
  const uint64_t half = (uint64_t)m->frame_length / 2, bins = half + 1;
  const uint64_t mel = (uint64_t)m->mel_bins, labels = m->num_labels;
  const uint64_t frames = (uint64_t)m->num_frames, coeffs = m->num_mfcc;
  const uint64_t tables = 2 * (2 * half * 8) + 2 * (64 * 32) +
                          2 * (2 * (4 * half) * 12) + 2 * (2 * bins * 8) +
                          2 * (3 * mel * 4 + 2 * bins * 4) +
                          2 * (coeffs * mel * 4);
  const uint64_t scratch = (uint64_t)m->clip_samples * 4 +
                           (uint64_t)m->frame_length * 4 + 4 * half * 8 * 8 +
                           bins * 16 * 4 + mel * 16 * 4 + 8 * 64;
  const uint64_t mfcc = 592 + 128 + tables + scratch;
  uint64_t network = 0, macs = 0, session, spotter;
  uint32_t i;
  for (i = 0; i < m->conv_count; ++i) {
    kws_conv c;
    kws_decode_conv(m->convs + i * KWS_CONV_RECORD_BYTES, &c);
    network += RoundUp((uint64_t)(c.in_height + c.pad_top + c.pad_bottom) *
                           (uint64_t)(c.in_width + c.pad_left + c.pad_right) *
                           RoundUp((uint64_t)c.in_channels, i == 0 ? 2 : 8) * 2,
                       64);
    macs += (uint64_t)c.kernel_h * (uint64_t)c.kernel_w *
            (uint64_t)c.in_channels * (uint64_t)c.out_channels *
            (uint64_t)c.out_height * (uint64_t)c.out_width;
  }
  network += RoundUp(RoundUp((uint64_t)m->dense_in, 8) * 4, 64);
  macs += (uint64_t)m->dense_in * (uint64_t)m->dense_out;
  session =
      mfcc + RoundUp(frames * coeffs * 4, 64) + network + 8 * labels + 4096;
  spotter =
      session + mfcc +
      RoundUp(((uint64_t)m->frame_length + 7 * (uint64_t)m->frame_step) * 4,
              64) +
      RoundUp(2 * frames * coeffs * 4, 64) + RoundUp(8 * coeffs * 4, 64) +
      65 * labels * 4 + 8 * labels + 4096;
  if (macs > ((uint64_t)1 << 31)) {
    return Fail(e,
                "the network needs more multiply-accumulates per run "
                "than the limit of 2147483648");
  }
  if (spotter > ((uint64_t)64 << 20)) {
    return Fail(e,
                "a spotter of this model needs more working memory than "
                "the limit of 64 MiB");
  }
  return KWS_MICRO_OK;
}

static kws_micro_status CheckShapes(kws_model* m, kws_text* e) {
  int64_t h, w, c = 1, total_weights = 0;
  uint32_t i;
  KWS_TRY(CheckFeatures(m, e));
  KWS_TRY(Range(e, "label count", -1, "", m->num_labels, 2, 1000));
  KWS_TRY(Range(e, "conv layer count", -1, "", m->conv_count, 1, 64));
  h = m->num_frames;
  w = m->num_mfcc;
  KWS_TRY(Range(e, "MFCC frames per clip", -1, "", h, 1, 4096));
  for (i = 0; i < m->conv_count; ++i) {
    kws_conv v;
    int64_t span_h, span_w, out_h, out_w;
    kws_decode_conv(m->convs + i * KWS_CONV_RECORD_BYTES, &v);
    KWS_TRY(Range(e, "conv", i, " in_channels", v.in_channels, 1, 1024));
    KWS_TRY(Range(e, "conv", i, " out_channels", v.out_channels, 1, 1024));
    KWS_TRY(Range(e, "conv", i, " kernel_h", v.kernel_h, 1, 64));
    KWS_TRY(Range(e, "conv", i, " kernel_w", v.kernel_w, 1, 64));
    KWS_TRY(Range(e, "conv", i, " stride_h", v.stride_h, 1, 8));
    KWS_TRY(Range(e, "conv", i, " stride_w", v.stride_w, 1, 8));
    KWS_TRY(Range(e, "conv", i, " dilation_h", v.dilation_h, 1, 8));
    KWS_TRY(Range(e, "conv", i, " dilation_w", v.dilation_w, 1, 8));
    span_h = (int64_t)(v.kernel_h - 1) * v.dilation_h + 1;
    span_w = (int64_t)(v.kernel_w - 1) * v.dilation_w + 1;
    KWS_TRY(Range(e, "conv", i, " pad_top", v.pad_top, 0, span_h - 1));
    KWS_TRY(Range(e, "conv", i, " pad_bottom", v.pad_bottom, 0, span_h - 1));
    KWS_TRY(Range(e, "conv", i, " pad_left", v.pad_left, 0, span_w - 1));
    KWS_TRY(Range(e, "conv", i, " pad_right", v.pad_right, 0, span_w - 1));
    KWS_TRY(Range(e, "conv", i, " in_channels (the shape chain's)",
                  v.in_channels, c, c));
    KWS_TRY(Range(e, "conv", i, " in_height (the shape chain's)", v.in_height,
                  h, h));
    KWS_TRY(
        Range(e, "conv", i, " in_width (the shape chain's)", v.in_width, w, w));
    out_h = h + v.pad_top + v.pad_bottom - span_h;
    out_w = w + v.pad_left + v.pad_right - span_w;
    if (out_h < 0 || out_w < 0) return Fail(e, "a conv output would be empty");
    out_h = out_h / v.stride_h + 1;
    out_w = out_w / v.stride_w + 1;
    KWS_TRY(Range(e, "conv", i, " out_height (the shape chain's)", v.out_height,
                  out_h, out_h));
    KWS_TRY(Range(e, "conv", i, " out_width (the shape chain's)", v.out_width,
                  out_w, out_w));
    KWS_TRY(Range(e, "conv", i, " output values",
                  out_h * out_w * v.out_channels, 1, (int64_t)1 << 24));
    total_weights +=
        (int64_t)v.out_channels * v.kernel_h * v.kernel_w * v.in_channels;
    h = out_h;
    w = out_w;
    c = v.out_channels;
  }
  KWS_TRY(Range(e, "dense in_channels", -1, "", m->dense_in, c, c));
  KWS_TRY(Range(e, "dense out_channels", -1, "", m->dense_out, m->num_labels,
                m->num_labels));
  KWS_TRY(Range(e, "dense pool_count", -1, "", m->pool_count, h * w, h * w));
  total_weights += (int64_t)m->dense_out * m->dense_in;
  KWS_TRY(
      Range(e, "total weights", -1, "", total_weights, 0, (int64_t)1 << 24));
  return CheckWorkingSet(m, e);
}

static bool GoodScale(float s) { return isfinite(s) && s > 0.0f; }

/* Worst |accumulator| of `terms` products plus the largest bias. */
static kws_micro_status CheckAccumulator(kws_text* e, int64_t terms,
                                         const uint8_t* bias, int32_t count) {
  int64_t max_bias = 0;
  int32_t i;
  for (i = 0; i < count; ++i) {
    int64_t b = kws_i32(bias + 4 * i);
    if (b < 0) b = -b;
    if (b > max_bias) max_bias = b;
  }
  if (terms * 255 * 127 + max_bias < ((int64_t)1 << 31)) return KWS_MICRO_OK;
  return Fail(e, "an int32 accumulator can overflow");
}

static kws_micro_status CheckWeights(kws_text* e, const uint8_t* w,
                                     uint64_t n) {
  uint64_t i;
  for (i = 0; i < n; ++i) {
    if (w[i] == 0x80)
      return Fail(e, "an int8 weight is -128 (expected -127..127)");
  }
  return KWS_MICRO_OK;
}

static kws_micro_status CheckInt8(kws_model* m, kws_text* e) {
  const uint8_t* w = m->weights;
  const uint8_t* b = m->biases;
  const uint8_t* q = m->quant;
  uint32_t i;
  int32_t k;
  if (!GoodScale(m->input_scale))
    return Fail(e, "input_scale must be finite and > 0");
  KWS_TRY(Range(e, "input_zero_point", -1, "", m->input_zero_point, -128, 127));
  for (i = 0; i < m->conv_count; ++i) {
    kws_conv c;
    int64_t taps;
    kws_decode_conv(m->convs + i * KWS_CONV_RECORD_BYTES, &c);
    taps = (int64_t)c.kernel_h * c.kernel_w * c.in_channels;
    if (!GoodScale(c.output_scale))
      return Fail(e, "a conv output_scale must be finite and > 0");
    KWS_TRY(Range(e, "conv", i, " output_zero_point", c.output_zero_point, -128,
                  127));
    for (k = 0; k < c.out_channels; ++k) {
      KWS_TRY(Range(e, "conv", i, " multiplier", kws_i32(q + 4 * k),
                    (int64_t)1 << 30, INT32_MAX));
      KWS_TRY(Range(e, "conv", i, " shift",
                    kws_i32(q + 4 * (c.out_channels + k)), -31, 0));
      if (!GoodScale(kws_f32(q + 4 * (2 * c.out_channels + k)))) {
        return Fail(e, "a conv weight scale must be finite and > 0");
      }
    }
    KWS_TRY(CheckWeights(e, w, (uint64_t)(taps * c.out_channels)));
    KWS_TRY(CheckAccumulator(e, taps, b, c.out_channels));
    w += taps * c.out_channels;
    b += 4 * c.out_channels;
    q += 12 * c.out_channels;
  }
  for (k = 0; k < 2 * m->dense_out; ++k) {
    if (!GoodScale(kws_f32(q + 4 * k))) {
      return Fail(e, "a dense scale must be finite and > 0");
    }
  }
  KWS_TRY(CheckWeights(e, w, (uint64_t)m->dense_out * m->dense_in));
  KWS_TRY(CheckAccumulator(e, (int64_t)m->pool_count * m->dense_in, b,
                           m->dense_out));
  for (k = 0; k < m->dense_out; ++k) {
    /* 2^31 * scale <= 1e37 keeps logits and softmax finite. */
    if (2147483648.0 * kws_f32(q + 4 * (m->dense_out + k)) > 1e37) {
      return Fail(e, "a dense output_scale can make a logit overflow");
    }
  }
  return KWS_MICRO_OK;
}

static kws_micro_status CheckDetector(kws_model* m, kws_text* e) {
  const uint8_t* d = m->detector;
  uint32_t hop, runs, k;
  if (d == NULL) { /* the C++ runtime's defaults */
    m->hop_frames = 2;
    m->smoothing_runs = 3;
    m->refractory_ms = 1000.0f;
    return KWS_MICRO_OK;
  }
  hop = kws_u32(d);
  runs = kws_u32(d + 4);
  KWS_TRY(Range(e, "detector hop_frames", -1, "", hop, 1, m->num_frames));
  KWS_TRY(Range(e, "detector smoothing_runs", -1, "", runs, 1, 64));
  m->hop_frames = (int32_t)hop;
  m->smoothing_runs = (int32_t)runs;
  m->refractory_ms = kws_f32(d + 8);
  if (!isfinite(m->refractory_ms) || m->refractory_ms < 0.0f ||
      m->refractory_ms > 60000.0f) {
    return Fail(e, "detector refractory_ms must be in 0..60000");
  }
  m->thresholds = d + 12;
  for (k = 0; k < m->num_labels; ++k) {
    const float t = kws_f32(d + 12 + 4 * k);
    if (!isfinite(t) || t < 0.0f || t > 1.0f) {
      return Fail(e, "a detector threshold is outside [0, 1]");
    }
  }
  return KWS_MICRO_OK;
}

static kws_micro_status SectionSize(kws_text* e, const char* name,
                                    uint64_t found, uint64_t expected) {
  if (found == expected) return KWS_MICRO_OK;
  kws_text_str(e, "model: section '");
  kws_text_str(e, name);
  kws_text_str(e, "' has the wrong size (expected ");
  kws_text_uint(e, expected);
  kws_text_str(e, " bytes, found ");
  kws_text_uint(e, found);
  kws_text_str(e, ")");
  return KWS_MICRO_BAD_MODEL;
}

kws_micro_status kws_check_model(kws_model* m, kws_text* e) {
  uint64_t weights = 0, biases = 0, quant = 0;
  uint32_t i;
  KWS_TRY(CheckShapes(m, e));
  if (m->precision != 1) {
    kws_text_str(e,
                 "model: float32 weights are not supported by the micro "
                 "runtime (export an int8 model)");
    return KWS_MICRO_UNSUPPORTED;
  }
  for (i = 0; i < m->conv_count; ++i) {
    kws_conv c;
    kws_decode_conv(m->convs + i * KWS_CONV_RECORD_BYTES, &c);
    weights += (uint64_t)c.out_channels * (uint64_t)c.kernel_h *
               (uint64_t)c.kernel_w * (uint64_t)c.in_channels;
    biases += (uint64_t)c.out_channels;
    quant += 12 * (uint64_t)c.out_channels;
  }
  weights += (uint64_t)m->dense_out * (uint64_t)m->dense_in;
  biases += (uint64_t)m->dense_out;
  quant += 8 * (uint64_t)m->dense_out;
  KWS_TRY(SectionSize(e, "weights", m->weights_size, weights));
  KWS_TRY(SectionSize(e, "biases", m->biases_size, 4 * biases));
  if (m->quant == NULL) {
    return Fail(e, "required section 'quant' is missing (the model is int8)");
  }
  KWS_TRY(SectionSize(e, "quant", m->quant_size, quant));
  KWS_TRY(CheckDetector(m, e));
  KWS_TRY(CheckInt8(m, e));
#if defined(KWS_MICRO_NO_FLOAT64)
  if (m->front_end == 0) {
    kws_text_str(e,
                 "model: its MFCC front end is float64, which this build "
                 "leaves out (KWS_MICRO_NO_FLOAT64); export the model with "
                 "a float32 front end");
    return KWS_MICRO_UNSUPPORTED;
  }
#endif
  return KWS_MICRO_OK;
}
