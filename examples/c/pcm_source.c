/* A minimal RIFF/WAVE reader and raw-PCM stdin reader (pcm_source.h). */
#include "pcm_source.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

/* WAV stores numbers little-endian whatever the machine's byte order. */
static unsigned ReadLe16(const unsigned char* b) {
  return (unsigned)b[0] | (unsigned)b[1] << 8;
}

static uint32_t ReadLe32(const unsigned char* b) {
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
         (uint32_t)b[3] << 24;
}

static int Fail(pcm_source* source, char* error, size_t error_size,
                const char* path, const char* what) {
  snprintf(error, error_size, "%s: %s", path, what);
  pcm_source_close(source);
  return 0;
}

/* Reads the "fmt " chunk's first 16 bytes and checks that the audio is
 * 16-bit PCM mono. */
static int ReadFormat(pcm_source* source, uint32_t size, const char* path,
                      char* error, size_t error_size) {
  unsigned char fmt[16];
  unsigned tag, channels, bits;
  uint32_t rate;
  if (size < sizeof fmt || fread(fmt, 1, sizeof fmt, source->file) != 16) {
    return Fail(source, error, error_size, path, "malformed 'fmt ' chunk");
  }
  tag = ReadLe16(fmt);
  channels = ReadLe16(fmt + 2);
  rate = ReadLe32(fmt + 4);
  bits = ReadLe16(fmt + 14);
  if (tag != 1 || channels != 1 || bits != 16) {
    char what[160];
    snprintf(what, sizeof what,
             "%u channel(s), %u-bit, format tag %u; this example reads "
             "16-bit PCM mono (tag 1) only",
             channels, bits, tag);
    return Fail(source, error, error_size, path, what);
  }
  if (rate == 0 || rate > INT_MAX) {
    return Fail(source, error, error_size, path, "invalid sample rate");
  }
  source->sample_rate = (int)rate;
  return 1;
}

int pcm_source_open(pcm_source* source, const char* path, int raw_sample_rate,
                    char* error, size_t error_size) {
  unsigned char header[12], chunk[8];
  int have_format = 0;
  source->file = NULL;
  source->sample_rate = 0;
  source->bytes_left = 0;
  if (strcmp(path, "-") == 0) {
    source->file = stdin;
    source->sample_rate = raw_sample_rate;
    source->bytes_left = UINT64_MAX;
    return 1;
  }
  source->file = fopen(path, "rb");
  if (source->file == NULL) {
    return Fail(source, error, error_size, path, strerror(errno));
  }
  if (fread(header, 1, sizeof header, source->file) != sizeof header ||
      memcmp(header, "RIFF", 4) != 0 || memcmp(header + 8, "WAVE", 4) != 0) {
    return Fail(source, error, error_size, path,
                "not a WAV file (no RIFF/WAVE header)");
  }
  /* Chunks: 4-byte id, 4-byte size, payload padded to an even size. Only
   * "fmt " and "data" matter; LIST, fact, ... are skipped. */
  for (;;) {
    uint32_t size, consumed = 0;
    if (fread(chunk, 1, sizeof chunk, source->file) != sizeof chunk) {
      return Fail(source, error, error_size, path, "no 'data' chunk");
    }
    size = ReadLe32(chunk + 4);
    if (memcmp(chunk, "fmt ", 4) == 0) {
      if (!ReadFormat(source, size, path, error, error_size)) return 0;
      have_format = 1;
      consumed = 16;
    } else if (memcmp(chunk, "data", 4) == 0) {
      if (!have_format) {
        return Fail(source, error, error_size, path,
                    "'data' chunk before the 'fmt ' chunk");
      }
      source->bytes_left = size;
      return 1;
    }
    if (fseek(source->file, (long)(size - consumed) + (long)(size & 1),
              SEEK_CUR) != 0) {
      return Fail(source, error, error_size, path, "truncated chunk");
    }
  }
}

size_t pcm_source_read(pcm_source* source, int16_t* samples,
                       size_t max_samples) {
  /* Read the bytes into the output buffer, then turn each little-endian
   * byte pair into the int16 that occupies the same two bytes. */
  unsigned char* bytes = (unsigned char*)samples;
  size_t want = max_samples, got, i;
  if (source->bytes_left / 2 < want) want = (size_t)(source->bytes_left / 2);
  got = fread(bytes, 2, want, source->file);
  if (source->bytes_left != UINT64_MAX) source->bytes_left -= 2 * (uint64_t)got;
  for (i = 0; i < got; ++i) {
    const long value = (long)ReadLe16(bytes + 2 * i);
    samples[i] = (int16_t)(value >= 0x8000 ? value - 0x10000 : value);
  }
  return got;
}

int pcm_source_failed(const pcm_source* source) {
  return source->file != NULL && ferror(source->file) != 0;
}

void pcm_source_close(pcm_source* source) {
  if (source->file != NULL && source->file != stdin) fclose(source->file);
  source->file = NULL;
}
