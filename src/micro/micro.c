/* The public API: the arena layout, clip classification and the streaming
 * spotter, framed as src/runtime/spotter.cpp frames: an MFCC frame every
 * frame_step samples, the network every hop_frames frames once a window is
 * full, then the detector (detector.c, which the C++ Spotter uses too). */
#include <math.h>
#include <string.h>

#include "micro/micro_internal.h"

static size_t Align8(size_t n) { return (n + 7) / 8 * 8; }

/* Offsets of the runtime's parts in the arena, after the kws_micro. */
typedef struct {
  kws_mfcc_sizes mfcc;
  kws_net_sizes net;
  size_t mfcc_at, audio, rows, frame, act0, act1, pool, logits, scores, history,
      smoothed, flags, resting, end;
} Layout;

/* l->mfcc is set (from the config, or from a tables blob). */
static void LayoutOf(const kws_view* m, bool tables_outside, Layout* l) {
  const size_t labels = m->num_labels, coeffs = (size_t)m->num_mfcc;
  size_t at = Align8(sizeof(struct kws_micro)), mfcc_end, buffers_at;
  kws_net_sizes_of(m, &l->net);
  l->mfcc_at = at;
  mfcc_end = at + kws_mfcc_arena_bytes(&l->mfcc, m->mel_bins, m->num_mfcc,
                                       tables_outside, &buffers_at);
#define KWS_TAKE(field, bytes) \
  l->field = at;               \
  at += Align8(bytes)
  /* The activations and pooled sums are live only while the network runs,
   * the FFT buffers only while a frame is computed: they share memory. */
  at += buffers_at;
  KWS_TAKE(act0, l->net.buffer_bytes[0]);
  KWS_TAKE(act1, l->net.buffer_bytes[1]);
  KWS_TAKE(pool, (size_t)m->dense_in * sizeof(int32_t));
  if (at < mfcc_end) at = mfcc_end;
  KWS_TAKE(audio, (size_t)m->frame_length * sizeof(int16_t));
  KWS_TAKE(rows, (size_t)m->num_frames * coeffs);
  KWS_TAKE(frame, coeffs * sizeof(float));
  KWS_TAKE(logits, labels * sizeof(float));
  KWS_TAKE(scores, labels * sizeof(float));
  KWS_TAKE(history, (size_t)m->smoothing_runs * labels * sizeof(float));
  KWS_TAKE(smoothed, labels * sizeof(float));
  KWS_TAKE(flags, labels);
  KWS_TAKE(resting, labels * sizeof(int32_t));
#undef KWS_TAKE
  l->end = at;
}

/* Parses the model and the tables blob (when given); the layout. */
static kws_micro_status Prepare(const uint8_t* model, size_t model_bytes,
                                const void* tables, size_t tables_bytes,
                                kws_view* m, Layout* l, kws_text* e) {
  kws_micro_status s = kws_parse_model(model, model_bytes, m, e);
  if (s != KWS_MICRO_OK) return s;
  if (tables != NULL) {
    s = kws_check_tables(m, (const uint8_t*)tables, tables_bytes, &l->mfcc, e);
    if (s != KWS_MICRO_OK) return s;
  } else {
#if defined(KWS_MICRO_NO_TABLE_BUILDER)
    kws_text_str(e,
                 "this build computes no MFCC tables "
                 "(KWS_MICRO_NO_TABLE_BUILDER): pass the tables blob "
                 "(kws convert --tables)");
    return KWS_MICRO_UNSUPPORTED;
#else
    kws_mfcc_sizes_of(m, &l->mfcc);
#endif
  }
  LayoutOf(m, tables != NULL, l);
  return KWS_MICRO_OK;
}

kws_micro_status kws_micro_arena_size_with_tables(
    const uint8_t* model, size_t model_bytes, const void* tables,
    size_t tables_bytes, size_t* arena_bytes, char* error, size_t error_size) {
  kws_text e;
  kws_view m;
  Layout l;
  kws_micro_status s;
  kws_text_init(&e, error, error_size);
  if (arena_bytes == NULL) {
    kws_text_str(&e, "kws_micro_arena_size: arena_bytes is null");
    return KWS_MICRO_INVALID_ARGUMENT;
  }
  *arena_bytes = 0;
  s = Prepare(model, model_bytes, tables, tables_bytes, &m, &l, &e);
  if (s != KWS_MICRO_OK) return s;
  *arena_bytes = l.end;
  return KWS_MICRO_OK;
}

kws_micro_status kws_micro_arena_size(const uint8_t* model, size_t model_bytes,
                                      size_t* arena_bytes, char* error,
                                      size_t error_size) {
  return kws_micro_arena_size_with_tables(model, model_bytes, NULL, 0,
                                          arena_bytes, error, error_size);
}

/* The label's bytes, walking the validated labels section. */
const char* kws_micro_label(const kws_micro* kws, int index, size_t* length) {
  const uint8_t* p;
  int i;
  if (length != NULL) *length = 0;
  if (kws == NULL || index < 0 || (uint32_t)index >= kws->model.num_labels) {
    return NULL;
  }
  p = kws->model.labels + 4;
  for (i = 0; i < index; ++i) p += 4 + kws_u32(p);
  if (length != NULL) *length = kws_u32(p);
  return (const char*)(p + 4);
}

void kws_micro_reset(kws_micro* kws) {
  if (kws == NULL) return;
  kws->samples = 0;
  kws->frames = 0;
  kws_detector_reset(&kws->detector);
}

kws_micro_status kws_micro_init(const uint8_t* model, size_t model_bytes,
                                void* arena, size_t arena_bytes,
                                kws_micro** out, char* error,
                                size_t error_size) {
  return kws_micro_init_with_tables(model, model_bytes, NULL, 0, arena,
                                    arena_bytes, out, error, error_size);
}

kws_micro_status kws_micro_init_with_tables(const uint8_t* model,
                                            size_t model_bytes,
                                            const void* tables,
                                            size_t tables_bytes, void* arena,
                                            size_t arena_bytes, kws_micro** out,
                                            char* error, size_t error_size) {
  kws_text e;
  kws_view m;
  Layout l;
  kws_micro* kws;
  uint8_t* base = (uint8_t*)arena;
  kws_micro_status s;
  int k;
  kws_text_init(&e, error, error_size);
  if (out == NULL || arena == NULL) {
    kws_text_str(&e, "kws_micro_init: arena or out is null");
    return KWS_MICRO_INVALID_ARGUMENT;
  }
  *out = NULL;
  if ((uintptr_t)arena % KWS_MICRO_ARENA_ALIGNMENT != 0) {
    kws_text_str(&e, "arena is not 8-byte aligned (KWS_MICRO_ARENA_ALIGNMENT)");
    return KWS_MICRO_INVALID_ARGUMENT;
  }
  s = Prepare(model, model_bytes, tables, tables_bytes, &m, &l, &e);
  if (s != KWS_MICRO_OK) return s;
  s = kws_check_arena_size(arena_bytes, l.end, &e);
  if (s != KWS_MICRO_OK) return s;
  kws = (kws_micro*)arena;
  memset(kws, 0, sizeof *kws);
  kws->model = m;
  kws->mfcc.sz = l.mfcc;
  kws_mfcc_init(
      &kws->mfcc, &kws->model, base + l.mfcc_at,
      tables == NULL ? NULL : (const uint8_t*)tables + KWS_TABLES_HEADER_BYTES);
  kws->inv_input_scale = 1.0f / m.input_scale;
  kws->audio = (int16_t*)(void*)(base + l.audio);
  kws->rows = (int8_t*)(base + l.rows);
  kws->frame = (float*)(void*)(base + l.frame);
  kws->activations[0] = (int8_t*)(base + l.act0);
  kws->activations[1] = (int8_t*)(base + l.act1);
  kws->pool = (int32_t*)(void*)(base + l.pool);
  kws->logits = (float*)(void*)(base + l.logits);
  kws->scores = (float*)(void*)(base + l.scores);
  kws->detector.history = (float*)(void*)(base + l.history);
  kws->detector.smoothed = (float*)(void*)(base + l.smoothed);
  kws->detector.flags = base + l.flags;
  kws->detector.resting = (int32_t*)(void*)(base + l.resting);
  kws->detector.labels = (int32_t)m.num_labels;
  kws->detector.runs = m.smoothing_runs;
  kws->detector.refractory =
      (int32_t)kws_refractory_samples(m.refractory_ms, m.sample_rate);
  for (k = 0; k < (int)m.num_labels; ++k) {
    size_t length;
    const char* name = kws_micro_label(kws, k, &length);
    kws->detector.flags[k] =
        kws_is_keyword_label(name, length) ? KWS_DETECTOR_KEYWORD : 0;
  }
  kws_micro_reset(kws);
  *out = kws;
  return KWS_MICRO_OK;
}

/* Quantizes frame `g`'s MFCC into its row of the window ring. */
static void StoreRow(kws_micro* kws, int64_t g) {
  const kws_view* m = &kws->model;
  int8_t* row = kws->rows + (size_t)(g % m->num_frames) * (size_t)m->num_mfcc;
  int32_t c;
  for (c = 0; c < m->num_mfcc; ++c) {
    row[c] = kws_quantize_input(kws->frame[c], kws->inv_input_scale,
                                m->input_zero_point);
  }
}

/* The network on the window whose first row is first_row; logits, scores. */
static kws_micro_status RunNetwork(kws_micro* kws, int32_t first_row) {
  const size_t labels = kws->model.num_labels;
  size_t k;
  void* const inputs[3] = {kws->rows, kws->activations[0], kws->activations[1]};
  kws_graph graph;
  graph.kernels = &kws_reference_kernels;
  graph.prepared = NULL;
  graph.inputs = inputs;
  graph.input_count = 3;
  graph.pool = kws->pool;
  graph.pool_lanes = (size_t)kws->model.dense_in;
  kws_net_run(&kws->model, &graph, first_row, kws->logits);
  for (k = 0; k < labels; ++k) {
    if (!isfinite(kws->logits[k])) return KWS_MICRO_NOT_FINITE;
  }
  kws_softmax(kws->logits, labels, kws->scores);
  return KWS_MICRO_OK;
}

/* The MFCC of frame f of a clip of `used` samples (zeros after them). */
static void ClipFrame(kws_micro* kws, const int16_t* pcm, size_t used,
                      int32_t f, float* out) {
  const kws_view* m = &kws->model;
  const size_t start = (size_t)f * (size_t)m->frame_step;
  const size_t valid = start >= used ? 0 : used - start;
  /* No offset on pcm when it has no samples left (it may be NULL). */
  kws_mfcc_frame(&kws->mfcc, start < used ? pcm + start : pcm,
                 (size_t)m->frame_length, 0, valid, out);
}

static size_t UsedSamples(const kws_micro* kws, size_t num_samples) {
  const size_t clip = (size_t)kws->model.clip_samples;
  return num_samples < clip ? num_samples : clip;
}

kws_micro_status kws_micro_features(kws_micro* kws, const int16_t* pcm,
                                    size_t num_samples, float* out,
                                    size_t out_size) {
  int32_t f;
  if (kws == NULL || (pcm == NULL && num_samples > 0) || out == NULL ||
      out_size < (size_t)kws->model.num_frames * (size_t)kws->model.num_mfcc) {
    return KWS_MICRO_INVALID_ARGUMENT;
  }
  for (f = 0; f < kws->model.num_frames; ++f) {
    ClipFrame(kws, pcm, UsedSamples(kws, num_samples), f,
              out + (size_t)f * (size_t)kws->model.num_mfcc);
  }
  return KWS_MICRO_OK;
}

kws_micro_status kws_micro_classify(kws_micro* kws, const int16_t* pcm,
                                    size_t num_samples, int* label,
                                    float* scores, float* logits) {
  const kws_view* m;
  size_t used, k;
  int32_t f;
  kws_micro_status s;
  if (kws == NULL || pcm == NULL || label == NULL || num_samples == 0) {
    return KWS_MICRO_INVALID_ARGUMENT;
  }
  m = &kws->model;
  used = UsedSamples(kws, num_samples);
  for (f = 0; f < m->num_frames; ++f) {
    ClipFrame(kws, pcm, used, f, kws->frame);
    StoreRow(kws, f);
  }
  s = RunNetwork(kws, 0);
  kws_micro_reset(kws); /* the window ring held this clip */
  if (s != KWS_MICRO_OK) return s;
  *label = 0;
  for (k = 1; k < m->num_labels; ++k) {
    if (kws->logits[*label] < kws->logits[k]) *label = (int)k;
  }
  for (k = 0; k < m->num_labels; ++k) {
    if (scores != NULL) scores[k] = kws->scores[k];
    if (logits != NULL) logits[k] = kws->logits[k];
  }
  return KWS_MICRO_OK;
}

kws_micro_status kws_micro_push(kws_micro* kws, const int16_t* pcm,
                                size_t num_samples,
                                kws_micro_detection* detections,
                                size_t max_detections, size_t* count) {
  const kws_view* m;
  size_t i, found = 0;
  int64_t window;
  if (count != NULL) *count = 0;
  if (kws == NULL || (pcm == NULL && num_samples > 0) ||
      (detections == NULL && max_detections > 0)) {
    return KWS_MICRO_INVALID_ARGUMENT;
  }
  m = &kws->model;
  window = m->num_frames;
  for (i = 0; i < num_samples; ++i) {
    const int64_t g = kws->frames;
    const int64_t start = g * m->frame_step;
    kws->audio[kws->samples % m->frame_length] = pcm[i];
    if (++kws->samples < start + m->frame_length) continue;
    /* Frame g is complete: its samples are the last frame_length ones. */
    kws_mfcc_frame(&kws->mfcc, kws->audio, (size_t)m->frame_length,
                   (size_t)(start % m->frame_length), (size_t)m->frame_length,
                   kws->frame);
    StoreRow(kws, g);
    ++kws->frames;
    if (kws_runs_after_frame(g, window, m->hop_frames)) {
      const int64_t sample =
          kws_frame_last_sample(g, m->frame_step, m->frame_length);
      int label;
      const kws_micro_status s = RunNetwork(kws, (int32_t)((g + 1) % window));
      if (s != KWS_MICRO_OK) return s;
      label = kws_detector_gate(
          &kws->detector, kws_detector_smooth(&kws->detector, kws->scores),
          m->thresholds, (int64_t)m->hop_frames * m->frame_step);
      if (label >= 0) {
        if (found < max_detections) {
          detections[found].label = label;
          detections[found].sample = sample;
          detections[found].score = kws->detector.smoothed[label];
        }
        ++found;
      }
    }
  }
  if (count != NULL) *count = found;
  return KWS_MICRO_OK;
}

int kws_micro_num_labels(const kws_micro* kws) {
  return kws == NULL ? 0 : (int)kws->model.num_labels;
}
int kws_micro_sample_rate(const kws_micro* kws) {
  return kws == NULL ? 0 : kws->model.sample_rate;
}
int kws_micro_clip_samples(const kws_micro* kws) {
  return kws == NULL ? 0 : kws->model.clip_samples;
}
int kws_micro_num_frames(const kws_micro* kws) {
  return kws == NULL ? 0 : kws->model.num_frames;
}
int kws_micro_num_mfcc(const kws_micro* kws) {
  return kws == NULL ? 0 : kws->model.num_mfcc;
}
