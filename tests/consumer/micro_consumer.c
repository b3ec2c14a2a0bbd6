/* A C99 program using the installed micro runtime (tinykws/micro.h and
 * libtinykws_micro.a, nothing else): reads MODEL.kws into memory, sizes the
 * arena, classifies silence and streams one second of it. Exit 0 on
 * success. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <tinykws/micro.h>

int main(int argc, char** argv) {
  FILE* file;
  uint8_t* model;
  long size;
  size_t arena_bytes = 0, count = 0;
  uint64_t* arena;
  kws_micro* kws = NULL;
  char error[256];
  int16_t* pcm;
  int label = -1, n;
  kws_micro_detection found[4];
  if (argc != 2) {
    fprintf(stderr, "usage: %s MODEL.kws\n", argv[0]);
    return 2;
  }
  file = fopen(argv[1], "rb");
  if (file == NULL || fseek(file, 0, SEEK_END) != 0 ||
      (size = ftell(file)) <= 0 || fseek(file, 0, SEEK_SET) != 0) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  model = malloc((size_t)size);
  if (model == NULL || fread(model, 1, (size_t)size, file) != (size_t)size) {
    return 1;
  }
  fclose(file);
  if (kws_micro_arena_size(model, (size_t)size, &arena_bytes, error,
                           sizeof error) != KWS_MICRO_OK) {
    fprintf(stderr, "error: %s\n", error);
    return 1;
  }
  /* uint64_t: malloc's alignment covers KWS_MICRO_ARENA_ALIGNMENT. */
  arena = malloc(arena_bytes);
  if (arena == NULL ||
      kws_micro_init(model, (size_t)size, arena, arena_bytes, &kws, error,
                     sizeof error) != KWS_MICRO_OK) {
    fprintf(stderr, "error: %s\n", error);
    return 1;
  }
  n = kws_micro_clip_samples(kws);
  pcm = calloc((size_t)n, sizeof(int16_t));
  if (pcm == NULL ||
      kws_micro_classify(kws, pcm, (size_t)n, &label, NULL, NULL) !=
          KWS_MICRO_OK ||
      label < 0 || label >= kws_micro_num_labels(kws)) {
    fprintf(stderr, "micro: classify failed\n");
    return 1;
  }
  if (kws_micro_push(kws, pcm, (size_t)n, found, 4, &count) != KWS_MICRO_OK) {
    fprintf(stderr, "micro: push failed\n");
    return 1;
  }
  printf("micro: silence is label %d; %lu detections; arena %lu bytes\n", label,
         (unsigned long)count, (unsigned long)arena_bytes);
  free(pcm);
  free(arena);
  free(model);
  return 0;
}
