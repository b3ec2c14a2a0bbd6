/* Prints, as hex bits, what the micro runtime computes for a fixed set of
 * synthetic clips and a stream, for model_0 and model_1 (C arrays from
 * kws convert --tables): MFCC, logits, scores, label, detections. Built
 * once for the host and once for ARM with newlib (another C library), the
 * two outputs must be identical (newlib_parity_test.sh). Also prints
 * whether the C libraries' own logf/expf agree (for information). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tinykws/micro.h"

extern const uint8_t model_0[], model_1[], model_0_tables[], model_1_tables[];
extern const size_t model_0_size, model_1_size, model_0_tables_size,
    model_1_tables_size;

static uint64_t arena[48 * 1024 / 8];
static int16_t clip[16000];
static float features[4096];

static uint32_t Bits(float x) {
  uint32_t u;
  memcpy(&u, &x, sizeof u);
  return u;
}

static uint32_t seed = 12345u;
static int16_t Next(int amplitude) {
  seed = seed * 1103515245u + 12345u;
  return (int16_t)(((int32_t)((seed >> 16) & 0x7fff) - 16384) * amplitude / 16);
}

int main(void) {
  const uint8_t* models[2] = {model_0, model_1};
  const uint8_t* tables[2] = {model_0_tables, model_1_tables};
  const size_t sizes[2] = {model_0_size, model_1_size};
  const size_t table_sizes[2] = {model_0_tables_size, model_1_tables_size};
  char error[200];
  int k, c, i, differ = 0;
  for (k = 0; k < 2; ++k) {
    kws_micro* kws = NULL;
    int n, labels;
    if (kws_micro_init_with_tables(models[k], sizes[k], tables[k],
                                   table_sizes[k], arena, sizeof arena, &kws,
                                   error, sizeof error) != KWS_MICRO_OK) {
      printf("init: %s\n", error);
      return 1;
    }
    n = kws_micro_num_frames(kws) * kws_micro_num_mfcc(kws);
    labels = kws_micro_num_labels(kws);
    for (c = 0; c < 40; ++c) {
      int label = -1;
      float scores[8], logits[8];
      for (i = 0; i < 16000; ++i) {
        clip[i] = (int16_t)(Next(1 + c % 16) +
                            (c % 3 == 0 ? (i * (c + 3)) % 2000 - 1000 : 0));
      }
      kws_micro_features(kws, clip, 16000, features, sizeof features / 4);
      kws_micro_classify(kws, clip, 16000, &label, scores, logits);
      printf("model %d clip %d label %d:", k, c, label);
      for (i = 0; i < n; ++i)
        printf(" %08lx", (unsigned long)Bits(features[i]));
      for (i = 0; i < labels && i < 8; ++i) {
        printf(" %08lx %08lx", (unsigned long)Bits(logits[i]),
               (unsigned long)Bits(scores[i]));
      }
      printf("\n");
    }
    kws_micro_reset(kws);
    for (c = 0; c < 20; ++c) { /* a stream of 20 chunks of a loud tone mix */
      kws_micro_detection found[8];
      size_t count = 0, d;
      for (i = 0; i < 16000; ++i) clip[i] = Next(c % 2 == 0 ? 16 : 2);
      kws_micro_push(kws, clip, 16000, found, 8, &count);
      for (d = 0; d < count && d < 8; ++d) {
        printf("model %d detection %d %ld %08lx\n", k, found[d].label,
               (long)found[d].sample, (unsigned long)Bits(found[d].score));
      }
    }
  }
  /* The C library's own logf and expf, on stderr, for the record: the
   * script reports whether the two C libraries disagree (the runtime does
   * not call them, which is why its output does not). */
  for (i = 1; i < 2000; ++i) {
    const float x = (float)i * 0.0137f;
    fprintf(stderr, "%08lx %08lx\n", (unsigned long)Bits(logf(x)),
            (unsigned long)Bits(expf(-x)));
  }
  (void)differ;
  return 0;
}
