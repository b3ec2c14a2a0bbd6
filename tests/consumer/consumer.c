/* A C program using the installed tinykws: load, classify silence and a
 * tone, free; and the error path of a missing model. Exit 0 on success. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tinykws/tinykws.h>

static void count_detection(const kws_detection* detection, void* user) {
  (void)detection;
  ++*(int*)user;
}

/* Streams two seconds of silence in 10 ms chunks through a spotter. */
static int spot(const char* path) {
  kws_model* model = NULL;
  kws_spotter* spotter = NULL;
  if (kws_model_load(path, &model, NULL) != KWS_OK ||
      kws_spotter_create(model, kws_spotter_default_params(), &spotter, NULL) !=
          KWS_OK) {
    fprintf(stderr, "spotter: cannot create\n");
    return 0;
  }
  const int rate = kws_model_sample_rate(model);
  int16_t chunk[160] = {0};
  int detections = 0;
  for (int i = 0; i < 2 * rate / 160; ++i) {
    if (kws_spotter_push(spotter, chunk, 160, rate, count_detection,
                         &detections) != KWS_OK) {
      fprintf(stderr, "error: %s\n", kws_spotter_last_error(spotter));
      return 0;
    }
  }
  printf("spotter: %d detections in 2 s of silence\n", detections);
  kws_spotter_free(spotter);
  kws_model_free(model);
  return 1;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s MODEL.kws\n", argv[0]);
    return 2;
  }
  kws_model* model = NULL;
  kws_error* error = NULL;
  if (kws_model_load("/no/such/model.kws", &model, &error) !=
          KWS_ERROR_NOT_FOUND ||
      strstr(kws_error_message(error), "/no/such/model.kws") == NULL) {
    fprintf(stderr, "missing model: wrong error\n");
    return 1;
  }
  kws_error_free(error);
  error = NULL;
  if (kws_model_load(argv[1], &model, &error) != KWS_OK) {
    fprintf(stderr, "error: %s\n", kws_error_message(error));
    kws_error_free(error);
    return 1;
  }
  kws_session* session = NULL;
  if (kws_session_create(model, kws_session_default_params(), &session, NULL) !=
      KWS_OK)
    return 1;
  const int n = kws_model_clip_samples(model);
  const int rate = kws_model_sample_rate(model);
  kws_model_free(model); /* the session keeps it alive */
  int16_t* pcm = calloc((size_t)n, sizeof(int16_t));
  kws_result result;
  if (kws_classify(session, pcm, (size_t)n, rate, &result) != KWS_OK) {
    fprintf(stderr, "error: %s\n", kws_session_last_error(session));
    return 1;
  }
  printf("silence: label %d score %.3f (%d labels)\n", result.label,
         result.score, result.num_labels);
  if (kws_classify(session, pcm, (size_t)n, rate / 2, &result) !=
          KWS_ERROR_INVALID_ARGUMENT ||
      strstr(kws_session_last_error(session), "Hz") == NULL) {
    fprintf(stderr, "wrong sample rate accepted\n");
    return 1;
  }
  free(pcm);
  kws_session_free(session);
  if (!spot(argv[1])) return 1;
  printf("%s: C consumer ok\n", kws_version());
  return 0;
}
