/* spot_c: keyword spotting with the tinykws C API (tinykws/tinykws.h).
 *
 * Streams a recording or a microphone through a spotter and prints one line
 * per detected keyword: time (s), label, score; tab-separated, the format of
 * `kws spot`:
 *
 *   ./spot_c go_stop.kws recording.wav
 *   arecord -f S16_LE -r 16000 -c 1 -t raw | ./spot_c go_stop.kws -
 *
 * The detector (thresholds, smoothing, refractory period) is the one stored
 * in the model file. A WAV file (16-bit PCM mono) may be at another rate
 * than the model's: the spotter converts 44.1 or 48 kHz inside. Raw PCM on
 * stdin is at the model's rate unless a rate is given: `- 48000`.
 *
 * Build against an installed tinykws (examples/README.md):
 *   cc spot.c pcm_source.c $(pkg-config --cflags --libs tinykws) -o spot_c
 * Exit status: 0 success, 1 error (a message on stderr), 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tinykws/tinykws.h>

#include "pcm_source.h"

typedef struct spot_params {
  const char* model_path;
  const char* input; /* a WAV file, or "-" for raw PCM on stdin */
  int raw_rate;      /* of the raw PCM; 0: the model's rate */
} spot_params;

static void PrintUsage(const char* program) {
  fprintf(stderr,
          "usage: %s MODEL.kws AUDIO.wav\n"
          "       %s MODEL.kws - [RATE]   raw S16_LE mono PCM on stdin\n",
          program, program);
}

/* Returns 1 when argv holds valid parameters. */
static int ParseParams(int argc, char** argv, spot_params* params) {
  params->raw_rate = 0;
  if (argc < 3 || argc > 4) return 0;
  params->model_path = argv[1];
  params->input = argv[2];
  if (argc == 4) {
    char* end = NULL;
    const long rate = strtol(argv[3], &end, 10);
    if (strcmp(params->input, "-") != 0 || *end != '\0' || rate < 1000 ||
        rate > 384000) {
      return 0;
    }
    params->raw_rate = (int)rate;
  }
  return 1;
}

/* Called by kws_spotter_push for each detection, before the push returns.
 * Printed and flushed at once: with a microphone, as the keyword is heard. */
static void OnDetection(const kws_detection* detection, void* user_data) {
  const kws_model* model = (const kws_model*)user_data;
  printf("%.3f\t%s\t%.6f\n", detection->time_s,
         kws_model_label(model, detection->label), detection->score);
  fflush(stdout);
}

/* Pushes the whole input through the spotter, chunk by chunk. */
static int SpotStream(kws_spotter* spotter, const kws_model* model,
                      pcm_source* source) {
  /* 100 ms at 16 kHz. Any size works: the spotter keeps what a chunk
   * leaves unfinished for the next one. */
  int16_t chunk[1600];
  size_t n;
  while ((n = pcm_source_read(source, chunk, 1600)) > 0) {
    /* The model is the callback's user data: OnDetection names labels. */
    if (kws_spotter_push(spotter, chunk, n, source->sample_rate, OnDetection,
                         (void*)model) != KWS_OK) {
      fprintf(stderr, "error: %s\n", kws_spotter_last_error(spotter));
      return 0;
    }
  }
  if (pcm_source_failed(source)) {
    fprintf(stderr, "error: reading the audio failed\n");
    return 0;
  }
  return 1;
}

int main(int argc, char** argv) {
  spot_params params;
  kws_model* model = NULL;
  kws_spotter* spotter = NULL;
  kws_error* error = NULL;
  pcm_source source;
  char message[256];
  int ok;
  if (!ParseParams(argc, argv, &params)) {
    PrintUsage(argv[0]);
    return 2;
  }
  /* The model is loaded once; a spotter holds one stream's state. */
  if (kws_model_load(params.model_path, &model, &error) != KWS_OK ||
      kws_spotter_create(model, kws_spotter_default_params(), &spotter,
                         &error) != KWS_OK) {
    fprintf(stderr, "error: %s\n", kws_error_message(error));
    kws_error_free(error);
    kws_model_free(model);
    return 1;
  }
  if (!pcm_source_open(
          &source, params.input,
          params.raw_rate ? params.raw_rate : kws_model_sample_rate(model),
          message, sizeof message)) {
    fprintf(stderr, "error: %s\n", message);
    kws_spotter_free(spotter);
    kws_model_free(model);
    return 1;
  }
  ok = SpotStream(spotter, model, &source);
  pcm_source_close(&source);
  kws_spotter_free(spotter);
  kws_model_free(model);
  return ok ? 0 : 1;
}
