/* The semantic rules of the .kws reader, on a model whose records
 * container.c located: the one validator of .kws files (the C++ writer and
 * reader use it through format::Validate and format::Parse). */
#include <math.h>
#include <string.h>

#include "micro/micro_internal.h"

static kws_micro_status Fail(kws_text* e, const char* what) {
  kws_text_str(e, "model: ");
  kws_text_str(e, what);
  return KWS_MICRO_BAD_MODEL;
}

/* "model: <what>[index]<field>[item]", the brackets when >= 0. */
static void Name(kws_text* e, const char* what, int32_t index,
                 const char* field, int32_t item) {
  kws_text_str(e, "model: ");
  kws_text_str(e, what);
  if (index >= 0) {
    kws_text_str(e, "[");
    kws_text_int(e, index);
    kws_text_str(e, "]");
  }
  kws_text_str(e, field);
  if (item >= 0) {
    kws_text_str(e, "[");
    kws_text_int(e, item);
    kws_text_str(e, "]");
  }
}

/* Name, then `problem`: a refusal. */
kws_micro_status kws_refuse(kws_text* e, const char* what, int32_t index,
                            const char* field, int32_t item,
                            const char* problem) {
  Name(e, what, index, field, item);
  kws_text_str(e, problem);
  return KWS_MICRO_BAD_MODEL;
}

/* "model: <name> out of range (expected lo..hi, found v)", or for lo == hi
 * (a shape the previous layer fixes) "does not match the shape chain
 * (expected lo, found v)". */
static kws_micro_status RangeAt(kws_text* e, const char* what, int32_t index,
                                const char* field, int32_t item, int64_t value,
                                int64_t lo, int64_t hi) {
  if (value >= lo && value <= hi) return KWS_MICRO_OK;
  Name(e, what, index, field, item);
  kws_text_str(e, lo == hi ? " does not match the shape chain (expected "
                           : " out of range (expected ");
  kws_text_int(e, lo);
  if (lo != hi) {
    kws_text_str(e, "..");
    kws_text_int(e, hi);
  }
  kws_text_str(e, ", found ");
  kws_text_int(e, value);
  kws_text_str(e, ")");
  return KWS_MICRO_BAD_MODEL;
}

/* RangeAt for values that fit int32: record fields, and shapes the checks
 * before them bound (frames <= 4096, channels <= 1024, spans <= 505); 32-bit
 * arguments keep the many calls small on a MCU. Products, uint32 counts and
 * the detector's values go to RangeAt itself. */
static kws_micro_status Range(kws_text* e, const char* what, int32_t index,
                              const char* field, int32_t value, int32_t lo,
                              int32_t hi) {
  return RangeAt(e, what, index, field, -1, value, lo, hi);
}

kws_micro_status kws_check_values(kws_text* e, const char* what, int32_t index,
                                  const char* field, const uint8_t* p,
                                  uint64_t count, int kind) {
  static const char* const kProblem[2] = {" must be finite and > 0",
                                          " must be finite"};
  uint64_t k;
  for (k = 0; k < count; ++k) {
    if (kind == KWS_INT8_WEIGHT) {
      if (p[k] == 0x80) {
        return RangeAt(e, what, index, field, (int32_t)k, -128, -127, 127);
      }
    } else {
      const float v = kws_f32(p + 4 * k);
      if (!isfinite(v) || (kind == KWS_SCALE && !(v > 0.0f))) {
        return kws_refuse(e, what, index, field, count > 1 ? (int32_t)k : -1,
                          kProblem[kind]);
      }
    }
  }
  return KWS_MICRO_OK;
}

#define KWS_TRY(expr)                                  \
  do {                                                 \
    const kws_micro_status try_status = (expr);        \
    if (try_status != KWS_MICRO_OK) return try_status; \
  } while (0)

static kws_micro_status CheckFeatures(kws_view* m, kws_text* e) {
  KWS_TRY(Range(e, "feature config:", -1, " sample_rate", m->sample_rate, 1,
                KWS_MAX_SAMPLE_RATE));
  KWS_TRY(Range(e, "feature config:", -1, " clip_samples", m->clip_samples, 1,
                KWS_MAX_CLIP_SAMPLES));
  if (m->frame_length % 2 != 0) {
    return Fail(e, "feature config: frame_length must be even");
  }
  KWS_TRY(Range(e, "feature config:", -1, " frame_length", m->frame_length,
                KWS_MIN_FRAME_LENGTH,
                m->clip_samples < KWS_MAX_FRAME_LENGTH ? m->clip_samples
                                                       : KWS_MAX_FRAME_LENGTH));
  KWS_TRY(Range(e, "feature config:", -1, " frame_step", m->frame_step, 1,
                INT32_MAX));
  KWS_TRY(Range(e, "feature config:", -1, " mel_bins", m->mel_bins, 1,
                KWS_MAX_MEL_BINS));
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
  KWS_TRY(
      RangeAt(e, "feature config:", -1, " precision", -1, m->front_end, 0, 1));
  m->num_frames = 1 + (m->clip_samples - m->frame_length) / m->frame_step;
  return KWS_MICRO_OK;
}

static kws_micro_status CheckWorkingSet(const kws_view* m, kws_text* e) {
  uint64_t session, spotter, macs;
  kws_working_set(m, &session, &spotter, &macs);
  if (macs > KWS_MAX_MACS_PER_RUN) {
    Fail(e,
         "the network needs more multiply-accumulates per run than the "
         "limit of ");
    kws_text_uint(e, KWS_MAX_MACS_PER_RUN);
    return KWS_MICRO_BAD_MODEL;
  }
  if (spotter > KWS_MAX_WORKING_SET_BYTES) {
    kws_text_str(e, "model: a spotter of this model needs up to ");
    kws_text_uint(e, spotter);
    kws_text_str(e, " bytes of working memory, more than the limit of ");
    kws_text_uint(e, KWS_MAX_WORKING_SET_BYTES);
    return KWS_MICRO_BAD_MODEL;
  }
  return KWS_MICRO_OK;
}

static const char* const kConvField[16] = {
    " in_channels", " out_channels", " kernel_h",   " kernel_w",
    " stride_h",    " stride_w",     " dilation_h", " dilation_w",
    " pad_top",     " pad_bottom",   " pad_left",   " pad_right",
    " in_height",   " in_width",     " out_height", " out_width"};

static kws_micro_status CheckShapes(kws_view* m, kws_text* e) {
  int64_t h, w, c = 1, total_weights = 0;
  uint32_t i;
  KWS_TRY(CheckFeatures(m, e));
  KWS_TRY(RangeAt(e, "label count", -1, "", -1, m->num_labels, KWS_MIN_LABELS,
                  KWS_MAX_LABELS));
  KWS_TRY(RangeAt(e, "conv layer count", -1, "", -1, m->conv_count, 1,
                  KWS_MAX_CONVS));
  h = m->num_frames;
  w = m->num_mfcc;
  KWS_TRY(Range(e, "MFCC frames per clip", -1, "", h, 1, KWS_MAX_FRAMES));
  for (i = 0; i < m->conv_count; ++i) {
    kws_conv v;
    int64_t span_h = 0, span_w = 0, out_h, out_w;
    const uint8_t* record = m->convs + i * KWS_CONV_RECORD_BYTES;
    int k;
    kws_decode_conv(record, &v);
    /* One loop over the record (it keeps firmware small): channels, kernel,
     * stride, dilation (all >= 1), pads (0 .. span - 1, the spans computed
     * once those passed), then input height and width (the chain's). */
    for (k = 0; k < 14; ++k) {
      static const int16_t kMax[8] = {KWS_MAX_CHANNELS, KWS_MAX_CHANNELS,
                                      KWS_MAX_KERNEL,   KWS_MAX_KERNEL,
                                      KWS_MAX_STRIDE,   KWS_MAX_STRIDE,
                                      KWS_MAX_DILATION, KWS_MAX_DILATION};
      int64_t lo = k < 8 ? 1 : k < 12 ? 0 : k == 12 ? h : w, hi = lo;
      if (k == 8) {
        KWS_TRY(Range(e, "conv", i, kConvField[0], v.in_channels, c, c));
        span_h = (int64_t)(v.kernel_h - 1) * v.dilation_h + 1;
        span_w = (int64_t)(v.kernel_w - 1) * v.dilation_w + 1;
      }
      if (k < 8) hi = kMax[k];
      if (k >= 8 && k < 12) hi = (k < 10 ? span_h : span_w) - 1;
      KWS_TRY(
          Range(e, "conv", i, kConvField[k], kws_i32(record + 4 * k), lo, hi));
    }
    out_h = h + v.pad_top + v.pad_bottom - span_h;
    out_w = w + v.pad_left + v.pad_right - span_w;
    if (out_h < 0 || out_w < 0) {
      return kws_refuse(e, "conv", i, " output would be empty", -1, "");
    }
    out_h = out_h / v.stride_h + 1;
    out_w = out_w / v.stride_w + 1;
    KWS_TRY(Range(e, "conv", i, kConvField[14], v.out_height, out_h, out_h));
    KWS_TRY(Range(e, "conv", i, kConvField[15], v.out_width, out_w, out_w));
    KWS_TRY(RangeAt(e, "conv", i, " output values", -1,
                    out_h * out_w * v.out_channels, 1,
                    KWS_MAX_ACTIVATION_VALUES));
    total_weights +=
        (int64_t)v.out_channels * v.kernel_h * v.kernel_w * v.in_channels;
    h = out_h;
    w = out_w;
    c = v.out_channels;
  }
  KWS_TRY(Range(e, "dense in_channels", -1, "", m->dense_in, c, c));
  KWS_TRY(Range(e, "dense out_channels", -1, " (one per label)", m->dense_out,
                m->num_labels, m->num_labels));
  KWS_TRY(
      RangeAt(e, "dense pool_count", -1, "", -1, m->pool_count, h * w, h * w));
  total_weights += (int64_t)m->dense_out * m->dense_in;
  KWS_TRY(RangeAt(e, "total weights", -1, "", -1, total_weights, 0,
                  KWS_MAX_TOTAL_WEIGHTS));
  return CheckWorkingSet(m, e);
}

static bool GoodScale(float s) { return isfinite(s) && s > 0.0f; }

/* Worst |accumulator| of `terms` products (inputs at most 255 from their
 * zero point, weights at most 127) plus the largest bias. */
static kws_micro_status CheckAccumulator(kws_text* e, const char* what,
                                         int32_t index, int64_t terms,
                                         const uint8_t* bias, int32_t count) {
  int64_t max_bias = 0;
  int32_t i;
  for (i = 0; i < count; ++i) {
    int64_t b = kws_i32(bias + 4 * i);
    if (b < 0) b = -b;
    if (b > max_bias) max_bias = b;
  }
  if (terms * 255 * 127 + max_bias < ((int64_t)1 << 31)) return KWS_MICRO_OK;
  return kws_refuse(e, what, index, "", -1,
                    " int32 accumulator can overflow (taps * 255 * 127 + max "
                    "|bias| >= 2^31)");
}

static kws_micro_status CheckInt8(kws_view* m, kws_text* e) {
  const uint8_t* w = m->weights;
  const uint8_t* b = m->biases;
  const uint8_t* q = m->quant;
  uint32_t i;
  int32_t k;
  if (!GoodScale(m->input_scale)) {
    return Fail(e, "input_scale must be finite and > 0");
  }
  KWS_TRY(Range(e, "input_zero_point", -1, "", m->input_zero_point, -128, 127));
  for (i = 0; i < m->conv_count; ++i) {
    kws_conv c;
    int64_t taps;
    kws_decode_conv(m->convs + i * KWS_CONV_RECORD_BYTES, &c);
    taps = (int64_t)c.kernel_h * c.kernel_w * c.in_channels;
    KWS_TRY(kws_check_values(e, "conv", i, " output_scale",
                             m->convs + i * KWS_CONV_RECORD_BYTES + 68, 1,
                             KWS_SCALE));
    KWS_TRY(Range(e, "conv", i, " output_zero_point", c.output_zero_point, -128,
                  127));
    for (k = 0; k < c.out_channels; ++k) {
      KWS_TRY(RangeAt(e, "conv", i, " multipliers", k, kws_i32(q + 4 * k),
                      KWS_MIN_MULTIPLIER, INT32_MAX));
      KWS_TRY(RangeAt(e, "conv", i, " shifts", k,
                      kws_i32(q + 4 * (c.out_channels + k)), KWS_MIN_SHIFT,
                      KWS_MAX_SHIFT));
    }
    KWS_TRY(kws_check_values(e, "conv", i, " weight_scales",
                             q + 8 * c.out_channels, (uint64_t)c.out_channels,
                             KWS_SCALE));
    KWS_TRY(kws_check_values(e, "conv", i, " weights", w,
                             (uint64_t)(taps * c.out_channels),
                             KWS_INT8_WEIGHT));
    KWS_TRY(CheckAccumulator(e, "conv", i, taps, b, c.out_channels));
    w += taps * c.out_channels;
    b += 4 * c.out_channels;
    q += 12 * c.out_channels;
  }
  KWS_TRY(kws_check_values(e, "dense", -1, " weight_scales", q,
                           (uint64_t)m->dense_out, KWS_SCALE));
  KWS_TRY(kws_check_values(e, "dense", -1, " output_scales",
                           q + 4 * m->dense_out, (uint64_t)m->dense_out,
                           KWS_SCALE));
  KWS_TRY(kws_check_values(e, "dense", -1, " weights", w,
                           (uint64_t)m->dense_out * m->dense_in,
                           KWS_INT8_WEIGHT));
  KWS_TRY(CheckAccumulator(e, "dense", -1, (int64_t)m->pool_count * m->dense_in,
                           b, m->dense_out));
  for (k = 0; k < m->dense_out; ++k) {
    /* 2^31 * scale <= 1e37 keeps logits and softmax finite. */
    if (2147483648.0 * kws_f32(q + 4 * (m->dense_out + k)) > 1e37) {
      return kws_refuse(e, "dense", -1, " output_scales", k,
                        " can make a logit overflow (expected 2^31 * scale <= "
                        "1e37)");
    }
  }
  return KWS_MICRO_OK;
}

kws_micro_status kws_check_detector_head(int64_t hop_frames,
                                         int64_t smoothing_runs,
                                         float refractory_ms,
                                         int32_t num_frames, kws_text* e) {
  KWS_TRY(
      RangeAt(e, "detector hop_frames", -1, "", -1, hop_frames, 1, num_frames));
  KWS_TRY(RangeAt(e, "detector smoothing_runs", -1, "", -1, smoothing_runs, 1,
                  KWS_MAX_SMOOTHING_RUNS));
  if (!isfinite(refractory_ms) || refractory_ms < 0.0f ||
      refractory_ms > KWS_MAX_REFRACTORY_MS) {
    Fail(e, "detector refractory_ms must be in 0..");
    kws_text_uint(e, (uint64_t)KWS_MAX_REFRACTORY_MS);
    return KWS_MICRO_BAD_MODEL;
  }
  return KWS_MICRO_OK;
}

kws_micro_status kws_check_threshold(uint32_t label, float threshold,
                                     kws_text* e) {
  if (isfinite(threshold) && threshold >= 0.0f && threshold <= 1.0f) {
    return KWS_MICRO_OK;
  }
  kws_text_str(e, "model: detector threshold ");
  kws_text_uint(e, label);
  kws_text_str(e, " is outside [0, 1]");
  return KWS_MICRO_BAD_MODEL;
}

static kws_micro_status CheckDetector(kws_view* m, kws_text* e) {
  const uint8_t* d = m->detector;
  uint32_t k;
  if (d == NULL) {
    m->hop_frames = KWS_DEFAULT_HOP_FRAMES;
    m->smoothing_runs = KWS_DEFAULT_SMOOTHING_RUNS;
    m->refractory_ms = KWS_DEFAULT_REFRACTORY_MS;
    return KWS_MICRO_OK;
  }
  KWS_TRY(kws_check_detector_head(kws_u32(d), kws_u32(d + 4), kws_f32(d + 8),
                                  m->num_frames, e));
  m->hop_frames = (int32_t)kws_u32(d);
  m->smoothing_runs = (int32_t)kws_u32(d + 4);
  m->refractory_ms = kws_f32(d + 8);
  m->thresholds = d + KWS_DETECTOR_HEAD_BYTES;
  for (k = 0; k < m->num_labels; ++k) {
    KWS_TRY(kws_check_threshold(k, kws_f32(m->thresholds + 4 * k), e));
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

kws_micro_status kws_check_model(kws_view* m, kws_text* e,
                                 kws_check_fn float32_check) {
  const uint64_t value_bytes = m->precision == 1 ? 1 : 4;
  uint64_t weights = 0, biases = 0, quant = 0;
  uint32_t i;
  KWS_TRY(CheckShapes(m, e));
  if (m->precision != 1 && float32_check == NULL) {
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
  KWS_TRY(SectionSize(e, "weights", m->weights_size, value_bytes * weights));
  KWS_TRY(SectionSize(e, "biases", m->biases_size, 4 * biases));
  if (m->precision == 1 && m->quant == NULL) {
    return Fail(e, "required section 'quant' is missing (the model is int8)");
  }
  if (m->precision != 1 && m->quant != NULL) {
    return Fail(e,
                "section 'quant' is present in a float32 model (expected "
                "none)");
  }
  if (m->precision == 1) KWS_TRY(SectionSize(e, "quant", m->quant_size, quant));
  KWS_TRY(CheckDetector(m, e));
  if (m->precision != 1) return float32_check(m, e);
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
