/* The spotter's decision logic (src/runtime/detection_logic.cpp, bit for
 * bit): posteriors averaged over the last runs, and a rising edge over a
 * keyword's threshold firing unless within that keyword's own refractory
 * period, which defers it to the period's end. */
#include <string.h>

#include "micro/micro_internal.h"

/* PosteriorSmoother::Add: the mean of the last runs, oldest first. */
void kws_detector_smooth(kws_micro* kws) {
  const size_t labels = kws->model.num_labels;
  const int32_t runs = kws->model.smoothing_runs;
  int32_t oldest, i;
  size_t k;
  memcpy(kws->history + (size_t)kws->history_next * labels, kws->scores,
         labels * sizeof(float));
  kws->history_next = (kws->history_next + 1) % runs;
  if (kws->history_count < runs) ++kws->history_count;
  oldest = (kws->history_next - kws->history_count + runs) % runs;
  for (k = 0; k < labels; ++k) {
    float sum = 0.0f;
    for (i = 0; i < kws->history_count; ++i) {
      sum += kws->history[(size_t)((oldest + i) % runs) * labels + k];
    }
    kws->smoothed[k] = sum / (float)kws->history_count;
  }
}

/* DetectionGate::Check: the label that fires at this run, or -1. Each
 * keyword has its own refractory period; an edge inside it is deferred. */
int kws_detector_gate(kws_micro* kws) {
  const kws_model* m = &kws->model;
  const float* s = kws->smoothed;
  int best = -1;
  uint32_t k;
  for (k = 0; k < m->num_labels; ++k) {
    const float threshold =
        m->thresholds != NULL ? kws_f32(m->thresholds + 4 * k) : 0.9f;
    const uint8_t f = kws->flags[k];
    bool above, rising, fires = false;
    uint8_t next;
    if (!(f & kKeyword)) continue;
    /* The runs are hop_samples apart: the period shrinks by that much. */
    kws->resting[k] = kws->resting[k] > kws->hop_samples
                          ? kws->resting[k] - kws->hop_samples
                          : 0;
    above = s[k] >= threshold;
    rising = above && !(f & kAbove);
    next = (uint8_t)((f & (kKeyword | kPending)) | (above ? kAbove : 0));
    if (!above) {
      kws->flags[k] = (uint8_t)(next & ~kPending);
      continue;
    }
    if (rising) {
      next = (uint8_t)(kws->resting[k] > 0 ? (next | kPending)
                                           : (next & ~kPending));
      fires = kws->resting[k] == 0;
    } else if ((f & kPending) && kws->resting[k] == 0) {
      fires = true;
    }
    if (fires) {
      /* fires now, or loses to a higher score: used up either way */
      next = (uint8_t)(next & ~kPending);
      if (best < 0 || s[k] > s[best]) best = (int)k;
    }
    kws->flags[k] = next;
  }
  if (best < 0) return -1;
  kws->resting[best] = kws->refractory_samples;
  return best;
}
