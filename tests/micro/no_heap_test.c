/* The micro runtime without a heap: every allocation function aborts, and
 * only libtinykws_micro.a and libm are linked. Runs a clip classification
 * and a stream of go_stop_tuned.kws (embedded at build time) out of a static
 * arena and checks that the results are sane and deterministic (bit
 * identity with the C++ runtime is micro_test's job); then again with a
 * tables blob written at run time (kws_micro_write_tables, into a static
 * buffer), which must give the same bits. The exit code says
 * which check failed (no stdio: it may allocate). */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tinykws/micro.h"

void* malloc(size_t size) {
  (void)size;
  abort();
}
void* calloc(size_t count, size_t size) {
  (void)count;
  (void)size;
  abort();
}
void* realloc(void* p, size_t size) {
  (void)p;
  (void)size;
  abort();
}
void free(void* p) {
  if (p != NULL) abort();
}
void* aligned_alloc(size_t alignment, size_t size) {
  (void)alignment;
  (void)size;
  abort();
}
int posix_memalign(void** p, size_t alignment, size_t size) {
  (void)p;
  (void)alignment;
  (void)size;
  abort();
}

extern const unsigned char micro_test_model[];
extern const unsigned long micro_test_model_size;

static uint64_t arena[64 * 1024 / 8];
static uint64_t tables[32 * 1024 / 8]; /* the tables blob, 8-byte aligned */
static int16_t clip[16000];
static int16_t stream[3 * 16000];

/* A clip of a tone with a little deterministic noise. */
static void MakeAudio(int16_t* pcm, size_t n, double hz, uint32_t seed) {
  size_t i;
  for (i = 0; i < n; ++i) {
    seed = seed * 1664525u + 1013904223u;
    pcm[i] =
        (int16_t)(8000.0 * sin(6.283185307179586 * hz * (double)i / 16000.0) +
                  (double)(int32_t)(seed >> 20) - 2048.0);
  }
}

static int Classify(kws_micro* kws, int* label, float scores[8]) {
  float sum = 0.0f;
  int k;
  if (kws_micro_classify(kws, clip, 16000, label, scores, NULL) != KWS_MICRO_OK)
    return 0;
  for (k = 0; k < kws_micro_num_labels(kws); ++k) {
    if (!(scores[k] >= 0.0f && scores[k] <= 1.0f)) return 0;
    sum += scores[k];
  }
  return *label >= 0 && *label < kws_micro_num_labels(kws) &&
         fabsf(sum - 1.0f) < 1e-5f;
}

/* Pushes the stream in chunks of `chunk`; returns detections (max 16). */
static size_t Stream(kws_micro* kws, size_t chunk, kws_micro_detection* out) {
  size_t at, total = 0;
  kws_micro_reset(kws);
  for (at = 0; at < sizeof stream / sizeof stream[0]; at += chunk) {
    size_t n = sizeof stream / sizeof stream[0] - at, count = 0;
    if (n > chunk) n = chunk;
    if (kws_micro_push(kws, stream + at, n, out + total, 16 - total, &count) !=
        KWS_MICRO_OK) {
      return (size_t)-1;
    }
    total += count < 16 - total ? count : 16 - total;
  }
  return total;
}

int main(void) {
  char error[128];
  size_t need = 0, need_with = 0, tables_size = 0, a, b;
  kws_micro* kws = NULL;
  int label1, label2;
  float scores1[8], scores2[8];
  kws_micro_detection first[16], second[16];
  if (kws_micro_arena_size(micro_test_model, micro_test_model_size, &need,
                           error, sizeof error) != KWS_MICRO_OK) {
    return 2;
  }
  if (need > sizeof arena) return 3;
  if (kws_micro_init(micro_test_model, micro_test_model_size, arena, need, &kws,
                     error, sizeof error) != KWS_MICRO_OK) {
    return 4;
  }
  if (kws_micro_num_labels(kws) != 2) return 5;
  /* Detections are compared with memcmp: zero their padding. */
  memset(first, 0, sizeof first);
  memset(second, 0, sizeof second);
  MakeAudio(clip, 16000, 440.0, 1);
  if (!Classify(kws, &label1, scores1) || !Classify(kws, &label2, scores2))
    return 6;
  if (label1 != label2 || memcmp(scores1, scores2, sizeof(float) * 2) != 0)
    return 7;
  MakeAudio(stream, sizeof stream / sizeof stream[0], 300.0, 2);
  a = Stream(kws, 333, first);
  b = Stream(kws, 1000, second);
  if (a == (size_t)-1 || a != b) return 8;
  if (a > 0 && memcmp(first, second, a * sizeof first[0]) != 0) return 9;
  /* With a tables blob: a smaller arena, the same results. */
  if (kws_micro_tables_size(micro_test_model, micro_test_model_size,
                            &tables_size, error,
                            sizeof error) != KWS_MICRO_OK ||
      tables_size > sizeof tables) {
    return 10;
  }
  if (kws_micro_write_tables(micro_test_model, micro_test_model_size, tables,
                             tables_size, error,
                             sizeof error) != KWS_MICRO_OK) {
    return 11;
  }
  if (kws_micro_arena_size_with_tables(micro_test_model, micro_test_model_size,
                                       tables, tables_size, &need_with, error,
                                       sizeof error) != KWS_MICRO_OK ||
      need_with >= need) {
    return 12;
  }
  memset(arena, 0xA5, sizeof arena);
  if (kws_micro_init_with_tables(micro_test_model, micro_test_model_size,
                                 tables, tables_size, arena, need_with, &kws,
                                 error, sizeof error) != KWS_MICRO_OK) {
    return 13;
  }
  MakeAudio(clip, 16000, 440.0, 1);
  if (!Classify(kws, &label2, scores2)) return 14;
  if (label1 != label2 || memcmp(scores1, scores2, sizeof(float) * 2) != 0)
    return 15;
  MakeAudio(stream, sizeof stream / sizeof stream[0], 300.0, 2);
  b = Stream(kws, 777, second);
  if (a != b || (a > 0 && memcmp(first, second, a * sizeof first[0]) != 0))
    return 16;
  return 0;
}
