/* The spotter's decision logic, the only implementation (the micro runtime
 * and the C++ PosteriorSmoother / DetectionGate wrap it): posteriors
 * averaged over the last runs, and a rising edge over a keyword's threshold
 * firing unless within that keyword's own refractory period, which defers
 * it to the period's end. The caller provides every buffer. Not installed. */
#ifndef TINYKWS_MICRO_DETECTOR_H_
#define TINYKWS_MICRO_DETECTOR_H_

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Per label flags. PENDING: an edge deferred by the label's own refractory
 * period. */
enum {
  KWS_DETECTOR_KEYWORD = 1,
  KWS_DETECTOR_ABOVE = 2,
  KWS_DETECTOR_PENDING = 4
};

/* Four pointers and four int32: the micro runtime's object (at the start
 * of its arena) keeps the size it had. Smoothing uses history and
 * smoothed, the gate flags and resting; the other pointers may be NULL. */
typedef struct {
  float* history;       /* runs x labels, a ring */
  float* smoothed;      /* labels: the mean of the stored runs */
  uint8_t* flags;       /* labels: KWS_DETECTOR_* (KEYWORD set by the caller) */
  int32_t* resting;     /* labels: samples of its refractory period to run */
  int32_t labels, runs; /* runs >= 1 */
  int32_t refractory;   /* samples, >= 0 */
  /* Runs added since the reset, kept in [0, 2 runs): min(added, runs) are
   * stored, the next goes to slot added % runs. */
  int32_t added;
} kws_detector;

/* The streaming schedule (the micro runtime and the C++ Spotter both use
 * it): MFCC frame g covers stream samples g * frame_step .. its last,
 * kws_frame_last_sample; the network runs after frame g once a window of
 * `window` frames is full, then every hop_frames frames, on frames
 * g - window + 1 .. g. */
static inline int kws_runs_after_frame(int64_t g, int64_t window,
                                       int64_t hop_frames) {
  return g >= window - 1 && (g - (window - 1)) % hop_frames == 0;
}
static inline int64_t kws_frame_last_sample(int64_t g, int64_t frame_step,
                                            int64_t frame_length) {
  return g * frame_step + frame_length - 1;
}

/* Keywords are the labels a spotter reports: names not starting with '_'
 * (_unknown_ and _silence_ are fillers). */
static inline int kws_is_keyword_label(const char* name, size_t length) {
  return length > 0 && name[0] != '_';
}

/* refractory_ms in samples at sample_rate, rounded to nearest. */
static inline int64_t kws_refractory_samples(float refractory_ms,
                                             int32_t sample_rate) {
  return llround((double)refractory_ms * sample_rate / 1000.0);
}

/* Forgets the runs, the edges and the refractory periods (keeps KEYWORD). */
void kws_detector_reset(kws_detector* d);

/* Adds one run's scores (labels values) to the ring; returns d->smoothed,
 * the mean of the stored runs, each summed oldest first then divided. */
const float* kws_detector_smooth(kws_detector* d, const float* scores);

/* The label that fires at this run, or -1. smoothed: labels scores (any
 * buffer); thresholds: labels little-endian float32, NULL for
 * KWS_DEFAULT_THRESHOLD each;
 * elapsed: samples since the previous run (the refractory periods shrink by
 * that much, so "resting" equals "sample - last detection < refractory"). */
int kws_detector_gate(kws_detector* d, const float* smoothed,
                      const uint8_t* thresholds, int64_t elapsed);

#ifdef __cplusplus
}
#endif

#endif /* TINYKWS_MICRO_DETECTOR_H_ */
