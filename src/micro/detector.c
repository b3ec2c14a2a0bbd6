/* The spotter's decision logic (detector.h): the micro runtime runs it, the
 * C++ PosteriorSmoother and DetectionGate (src/runtime/detection_logic.hpp)
 * wrap it. */
#include "micro/detector.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "micro/micro_internal.h"

void kws_detector_reset(kws_detector* d) {
  int32_t k;
  d->added = 0;
  for (k = 0; k < d->labels; ++k) {
    if (d->resting != NULL) d->resting[k] = 0;
    if (d->flags != NULL) d->flags[k] &= KWS_DETECTOR_KEYWORD;
  }
}

/* The mean of the last runs, oldest first. */
const float* kws_detector_smooth(kws_detector* d, const float* scores) {
  const size_t labels = (size_t)d->labels;
  const int32_t runs = d->runs;
  const bool full = d->added >= runs;
  const int32_t slot = full ? d->added - runs : d->added;
  const int32_t next = (slot + 1) % runs;
  const int32_t count = full ? runs : d->added + 1;
  const int32_t oldest = (next - count + runs) % runs;
  int32_t i;
  size_t k;
  memcpy(d->history + (size_t)slot * labels, scores, labels * sizeof(float));
  d->added = count < runs ? count : runs + next;
  for (k = 0; k < labels; ++k) {
    float sum = 0.0f;
    for (i = 0; i < count; ++i) {
      sum += d->history[(size_t)((oldest + i) % runs) * labels + k];
    }
    d->smoothed[k] = sum / (float)count;
  }
  return d->smoothed;
}

/* Each keyword has its own refractory period; an edge inside it is
 * deferred to the period's end (dropped if the score falls first). */
int kws_detector_gate(kws_detector* d, const float* s,
                      const uint8_t* thresholds, int64_t elapsed) {
  /* The periods shrink by the samples since the previous run. */
  const int32_t step = elapsed <= 0           ? 0
                       : elapsed >= INT32_MAX ? INT32_MAX
                                              : (int32_t)elapsed;
  int best = -1;
  int32_t k;
  for (k = 0; k < d->labels; ++k) {
    const uint8_t f = d->flags[k];
    int32_t* resting = &d->resting[k];
    float threshold;
    bool above, rising, fires = false;
    uint8_t next;
    if (!(f & KWS_DETECTOR_KEYWORD)) continue;
    threshold = thresholds != NULL ? kws_f32(thresholds + 4 * (size_t)k)
                                   : KWS_DEFAULT_THRESHOLD;
    *resting = *resting > step ? *resting - step : 0;
    above = s[k] >= threshold;
    rising = above && !(f & KWS_DETECTOR_ABOVE);
    next = (uint8_t)((f & (KWS_DETECTOR_KEYWORD | KWS_DETECTOR_PENDING)) |
                     (above ? KWS_DETECTOR_ABOVE : 0));
    if (!above) {
      d->flags[k] = (uint8_t)(next & ~KWS_DETECTOR_PENDING);
      continue;
    }
    if (rising) {
      next = (uint8_t)(*resting > 0 ? (next | KWS_DETECTOR_PENDING)
                                    : (next & ~KWS_DETECTOR_PENDING));
      fires = *resting <= 0;
    } else if ((f & KWS_DETECTOR_PENDING) && *resting <= 0) {
      fires = true;
    }
    if (fires) {
      /* fires now, or loses to a higher score: used up either way */
      next = (uint8_t)(next & ~KWS_DETECTOR_PENDING);
      if (best < 0 || s[k] > s[best]) best = (int)k;
    }
    d->flags[k] = next;
  }
  if (best < 0) return -1;
  d->resting[best] = d->refractory;
  return best;
}
