/* Audio input for the examples: a 16-bit PCM mono WAV file, or raw
 * little-endian 16-bit mono PCM on stdin ("-"), as a microphone gives it:
 *
 *   arecord -f S16_LE -r 16000 -c 1 -t raw | ./spot_c model.kws -
 *
 * Deliberately minimal (the library itself reads no audio files, so that it
 * links nothing but the C runtime): other WAV encodings are refused with a
 * message; convert them first, e.g. `sox in.flac -b 16 -c 1 out.wav`.
 * Plain C99 with stdio, no heap; usable from C++ too. */
#ifndef TINYKWS_EXAMPLES_PCM_SOURCE_H_
#define TINYKWS_EXAMPLES_PCM_SOURCE_H_

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pcm_source {
  FILE* file;
  int sample_rate;
  /* Audio bytes still to read: the WAV data chunk's size, or UINT64_MAX for
   * raw PCM (read until end of file). */
  uint64_t bytes_left;
} pcm_source;

/* Opens `path` (a WAV file) or stdin ("-", raw PCM at raw_sample_rate).
 * Returns 1, or 0 with a NUL-terminated message in `error`. */
int pcm_source_open(pcm_source* source, const char* path, int raw_sample_rate,
                    char* error, size_t error_size);

/* Reads up to max_samples samples (native int16). Returns how many; 0 at the
 * end of the audio or on a read error (pcm_source_failed tells which). A
 * blocking read: from a pipe it waits until max_samples have arrived. */
size_t pcm_source_read(pcm_source* source, int16_t* samples,
                       size_t max_samples);

/* 1 when a read failed (as opposed to reaching the end). */
int pcm_source_failed(const pcm_source* source);

void pcm_source_close(pcm_source* source);

#ifdef __cplusplus
}
#endif

#endif /* TINYKWS_EXAMPLES_PCM_SOURCE_H_ */
