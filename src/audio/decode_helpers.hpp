// Decoding helpers of the audio reader (audio_reader.cpp): opening and
// checking files, libsndfile and libsamplerate owners. Internal.
#pragma once

#include <samplerate.h>
#include <sndfile.h>

#include <cstdint>
#include <string>
#include <vector>

#include "audio/audio_internal.hpp"
#include "tinykws/status.hpp"

namespace tinykws::audio_internal {

// Output frames per src_process call; bounded so a 256x up-sampling ratio
// cannot demand a huge buffer.
constexpr long kResampleOutFrames = 1 << 13;

// x is in int16 units. Rounds half away from zero and saturates; NaN -> 0.
int16_t RoundToInt16(double x);

// Opens path for reading and makes sure it is a non-empty regular file (see
// decode_helpers.cpp for why we open the descriptor ourselves).
Status OpenRegularFile(const std::string& path, ScopedFd* fd);

// sf_open failed: a damaged known container, or not audio at all.
Status DescribeOpenFailure(const std::string& path, int fd);

// True when fd holds a RIFF WAVE file whose 'data' chunk claims more bytes
// than follow it (libsndfile reads what is there without a word).
bool WavDataTruncated(int fd);

// "%.6g".
std::string Num(double x);

// Largest frame count accepted at `rate`, saturating for absurd limits.
sf_count_t MaxFrames(double max_seconds, int rate);

// Validates what the header claims before anything is sized from it.
Status CheckHeader(const std::string& path, const SF_INFO& info,
                   double max_seconds);

class SndFile {
 public:
  explicit SndFile(SNDFILE* file) : file_(file) {}
  ~SndFile() {
    if (file_ != nullptr) sf_close(file_);
  }
  SndFile(const SndFile&) = delete;
  SndFile& operator=(const SndFile&) = delete;
  SNDFILE* get() const { return file_; }

 private:
  SNDFILE* file_;
};

// Mono resampling with libsamplerate (SRC_SINC_MEDIUM_QUALITY).
class Resampler {
 public:
  ~Resampler() {
    if (state_ != nullptr) src_delete(state_);
  }
  Status Init(double ratio);
  // Resamples n mono samples (int16 units) and appends them to out;
  // end = true flushes the filter tail.
  Status Process(const float* in, long n, bool end, std::vector<int16_t>* out);

 private:
  SRC_STATE* state_ = nullptr;
  double ratio_ = 1.0;
  std::vector<float> out_buf_;
};

}  // namespace tinykws::audio_internal
