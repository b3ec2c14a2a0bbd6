// Reading and writing audio files (libsndfile, libsamplerate). Not part of the
// lean runtime: programs that only classify PCM do not need it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tinykws/status.hpp"

namespace tinykws {

struct AudioReadOptions {
  // Longest input accepted, in seconds of source audio; longer files are an
  // error (protects against decoding huge files by mistake).
  double max_seconds = 600.0;
  // Print a note on stderr when the file is resampled or down-mixed.
  bool verbose = false;
};

struct AudioClip {
  std::vector<int16_t> samples;  // mono, at the requested sample rate
  int sample_rate = 0;           // the requested rate (= samples' rate)
  int source_sample_rate = 0;    // rate stored in the file
  int source_channels = 0;       // channels stored in the file
  // The file holds less audio than its header claims (a WAV data chunk or
  // a FLAC stream cut short: an interrupted download or recording). The
  // samples are what is there; callers warn about it.
  bool truncated = false;
};

// Reads any format libsndfile reads (WAV, FLAC, ...) as mono int16 at
// target_sample_rate: channels are averaged, other rates resampled, float /
// 24-bit / 8-bit samples converted with rounding and saturation. Every
// failure is a Status whose message starts with the path.
StatusOr<AudioClip> ReadAudio(const std::string& path, int target_sample_rate,
                              const AudioReadOptions& options = {});

// Decodes a file chunk by chunk, with exactly ReadAudio's conversion, so a
// recording of any length can be processed in constant memory (kws spot).
// options.max_seconds still bounds the length.
class AudioFileStream {
 public:
  static StatusOr<std::unique_ptr<AudioFileStream>> Open(
      const std::string& path, int target_sample_rate,
      const AudioReadOptions& options = {});
  ~AudioFileStream();

  // Replaces *out with the next samples (a few thousand; possibly none) and
  // sets *end after the last ones. Errors name the path.
  Status Read(std::vector<int16_t>* out, bool* end);

  int source_sample_rate() const;
  int source_channels() const;
  int64_t header_frames() const;  // as the file's header claims
  // As AudioClip::truncated: set at Open for a WAV whose data chunk is
  // shorter than its header says, or when decoding ends early.
  bool truncated() const;

  struct Impl;

 private:
  explicit AudioFileStream(std::unique_ptr<Impl> impl);
  static StatusOr<std::unique_ptr<AudioFileStream>> OpenImpl(
      const std::string& path, int target_sample_rate,
      const AudioReadOptions& options);
  Status ReadImpl(std::vector<int16_t>* out, bool* end);
  std::unique_ptr<Impl> impl_;
};

// Writes 16-bit PCM WAV. Samples are interleaved when channels > 1. Written
// to a temporary file in the same folder and renamed, so a failure never
// leaves a half-written file at path.
Status WriteWav(const std::string& path, const int16_t* samples,
                size_t num_frames, int sample_rate, int channels = 1);

// The most frames a 16-bit PCM WAV file holds: RIFF sizes are 32-bit, so
// its data is at most 4 GiB.
uint64_t MaxWavFrames(int channels = 1);

// WriteWav chunk by chunk, for audio too long to hold in memory: Create
// starts the temporary file, Write appends frames, Finish completes the
// header and renames the file into place. Destroyed unfinished (or after a
// failed call) it removes the temporary: path is whole or untouched.
class WavWriter {
 public:
  static StatusOr<std::unique_ptr<WavWriter>> Create(const std::string& path,
                                                     int sample_rate,
                                                     int channels = 1);
  ~WavWriter();

  // Appends num_frames frames; beyond MaxWavFrames in all is an error.
  Status Write(const int16_t* samples, size_t num_frames);
  Status Finish();

  struct Impl;

 private:
  explicit WavWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tinykws
