// Reading and writing audio files (libsndfile, libsamplerate). Not part of the
// lean runtime: programs that only classify PCM do not need it.
#pragma once

#include <cstdint>
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
};

// Reads any format libsndfile reads (WAV, FLAC, ...) as mono int16 at
// target_sample_rate: channels are averaged, other rates resampled, float /
// 24-bit / 8-bit samples converted with rounding and saturation. Every
// failure is a Status whose message starts with the path.
StatusOr<AudioClip> ReadAudio(const std::string& path, int target_sample_rate,
                              const AudioReadOptions& options = {});

// Writes 16-bit PCM WAV. Samples are interleaved when channels > 1. Written
// to a temporary file in the same folder and renamed, so a failure never
// leaves a half-written file at path.
Status WriteWav(const std::string& path, const int16_t* samples,
                size_t num_frames, int sample_rate, int channels = 1);

}  // namespace tinykws
