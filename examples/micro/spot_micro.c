/* spot_micro: keyword spotting with the micro runtime (tinykws/micro.h,
 * libtinykws_micro.a), the C99 library meant for microcontrollers, run here
 * on a PC the way firmware runs it: no heap; the model bytes and the arena
 * are static buffers; audio is pushed in 10 ms blocks as an audio interrupt
 * would deliver it. Prints one line per detected keyword: time (s), label,
 * score; tab-separated, the format of `kws spot` (the micro runtime's
 * detections are bit-identical to the C and C++ runtimes'):
 *
 *   ./spot_micro go_stop.kws recording.wav
 *   arecord -f S16_LE -r 16000 -c 1 -t raw | ./spot_micro go_stop.kws -
 *
 * Audio must be at the model's rate (a 48 kHz microphone goes through
 * tinykws/micro_resampler.h first; docs/micro.md). The model must be int8.
 *
 * On a PC the model is read from a file at run time. Firmware has no file
 * system: compile the model into flash instead,
 *
 *   kws convert --model go_stop.kws --format c-array --out go_stop_model.c
 *
 * which writes `const uint8_t go_stop_model[]` and
 * `const size_t go_stop_model_size` (add --tables for the MFCC tables in
 * flash too, and a smaller arena); then pass go_stop_model and
 * go_stop_model_size where this program passes model_bytes and model_size.
 *
 * Build against an installed tinykws (examples/README.md):
 *   cc -std=c99 spot_micro.c ../c/pcm_source.c -I../c \
 *      $(pkg-config --cflags --libs tinykws_micro) -o spot_micro
 * or CMake: target_link_libraries(app PRIVATE tinykws::micro).
 * Exit status: 0 success, 1 error (a message on stderr), 2 usage. */
#include <stdio.h>
#include <string.h>
#include <tinykws/micro.h>

#include "pcm_source.h"

/* Fixed capacities, as on a device. The trained go/stop models are about
 * 7 KB and need about 30 KB of arena (18 KB with the float32 front end);
 * kws_micro_arena_size says exactly how much a model needs. */
#define MAX_MODEL_BYTES (1024 * 1024)
#define ARENA_BYTES (256 * 1024)
#define BLOCK_SAMPLES 160 /* 10 ms at 16 kHz */
#define MAX_DETECTIONS 4  /* per push; more in one 10 ms block are dropped */

static uint8_t model_bytes[MAX_MODEL_BYTES];
/* uint64_t elements: the arena must be KWS_MICRO_ARENA_ALIGNMENT (8)
 * aligned, and C99 has no portable alignment attribute. */
static uint64_t arena[ARENA_BYTES / sizeof(uint64_t)];

/* Reads a whole file into model_bytes. Returns its size, 0 on failure. */
static size_t ReadModel(const char* path) {
  size_t size;
  FILE* file = fopen(path, "rb");
  if (file == NULL) {
    fprintf(stderr, "error: %s: cannot open\n", path);
    return 0;
  }
  size = fread(model_bytes, 1, sizeof model_bytes, file);
  if (ferror(file) || size == 0 || fgetc(file) != EOF) {
    fprintf(stderr, "error: %s: unreadable, empty or over %d bytes\n", path,
            MAX_MODEL_BYTES);
    size = 0;
  }
  fclose(file);
  return size;
}

/* Validates the model, checks that the static arena is big enough and
 * builds the runtime inside it. Returns NULL (after a message) on failure. */
static kws_micro* StartRuntime(size_t model_size) {
  char error[256];
  size_t needed = 0;
  kws_micro* kws = NULL;
  if (kws_micro_arena_size(model_bytes, model_size, &needed, error,
                           sizeof error) != KWS_MICRO_OK) {
    fprintf(stderr, "error: %s\n", error);
    return NULL;
  }
  if (needed > sizeof arena) {
    fprintf(stderr,
            "error: the model needs %lu bytes of arena; raise "
            "ARENA_BYTES (%lu)\n",
            (unsigned long)needed, (unsigned long)sizeof arena);
    return NULL;
  }
  /* Passing exactly what is needed: the rest of the buffer stays free. */
  if (kws_micro_init(model_bytes, model_size, arena, needed, &kws, error,
                     sizeof error) != KWS_MICRO_OK) {
    fprintf(stderr, "error: %s\n", error);
    return NULL;
  }
  fprintf(stderr, "spot_micro: arena %lu bytes\n", (unsigned long)needed);
  return kws;
}

static void PrintDetection(const kws_micro* kws,
                           const kws_micro_detection* detection) {
  size_t length = 0;
  /* Labels point into the model bytes and are not NUL-terminated. */
  const char* label = kws_micro_label(kws, detection->label, &length);
  /* sample is the stream index of the network run's last sample. */
  const double time_s =
      (double)(detection->sample + 1) / kws_micro_sample_rate(kws);
  printf("%.3f\t%.*s\t%.6f\n", time_s, (int)length, label, detection->score);
  fflush(stdout);
}

/* The firmware's audio loop: push each block, report what it completed. */
static int SpotStream(kws_micro* kws, pcm_source* source) {
  int16_t block[BLOCK_SAMPLES];
  kws_micro_detection found[MAX_DETECTIONS];
  size_t n, count, i;
  while ((n = pcm_source_read(source, block, BLOCK_SAMPLES)) > 0) {
    if (kws_micro_push(kws, block, n, found, MAX_DETECTIONS, &count) !=
        KWS_MICRO_OK) {
      fprintf(stderr, "error: kws_micro_push failed\n");
      return 0;
    }
    for (i = 0; i < count && i < MAX_DETECTIONS; ++i) {
      PrintDetection(kws, &found[i]);
    }
  }
  if (pcm_source_failed(source)) {
    fprintf(stderr, "error: reading the audio failed\n");
    return 0;
  }
  return 1;
}

int main(int argc, char** argv) {
  size_t model_size;
  kws_micro* kws;
  pcm_source source;
  char error[256];
  int ok;
  if (argc != 3) {
    fprintf(stderr,
            "usage: %s MODEL.kws AUDIO.wav\n"
            "       %s MODEL.kws -   raw S16_LE mono PCM at the model's "
            "rate on stdin\n",
            argv[0], argv[0]);
    return 2;
  }
  model_size = ReadModel(argv[1]);
  if (model_size == 0) return 1;
  kws = StartRuntime(model_size);
  if (kws == NULL) return 1;
  if (!pcm_source_open(&source, argv[2], kws_micro_sample_rate(kws), error,
                       sizeof error)) {
    fprintf(stderr, "error: %s\n", error);
    return 1;
  }
  if (source.sample_rate != kws_micro_sample_rate(kws)) {
    fprintf(stderr,
            "error: %s: %d Hz audio, the model takes %d Hz (convert it with "
            "tinykws/micro_resampler.h, or `sox in.wav -r %d out.wav`)\n",
            argv[2], source.sample_rate, kws_micro_sample_rate(kws),
            kws_micro_sample_rate(kws));
    pcm_source_close(&source);
    return 1;
  }
  ok = SpotStream(kws, &source);
  pcm_source_close(&source);
  /* Nothing to free: the runtime lives in the static arena. */
  return ok ? 0 : 1;
}
