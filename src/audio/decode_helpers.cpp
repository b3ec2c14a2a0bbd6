#include "audio/decode_helpers.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace tinykws::audio_internal {

// x is in int16 units. Rounds half away from zero and saturates; NaN -> 0.
int16_t RoundToInt16(double x) {
  if (std::isnan(x)) return 0;
  const double r = std::round(x);
  if (r >= 32767.0) return 32767;
  if (r <= -32768.0) return -32768;
  return static_cast<int16_t>(r);
}

// Opens path for reading and makes sure it is a non-empty regular file. We
// open the descriptor ourselves (and hand it to sf_open_fd) so the checks
// and the decoding see the same file, and so libsndfile never guesses a
// headerless format from the file name (it would read "notes.au" text as
// mu-law).
Status OpenRegularFile(const std::string& path, ScopedFd* fd) {
  // O_NONBLOCK so a FIFO without a writer is rejected below instead of
  // blocking here; it is cleared again for the regular file we keep.
  const int raw = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (raw < 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) {
      return NotFound(path + ": file not found");
    }
    return IoError(path + ": cannot open: " + std::strerror(err));
  }
  ScopedFd owned(raw);
  struct stat st {};
  if (::fstat(raw, &st) != 0) {
    return IoError(path + ": cannot stat: " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) {
    return InvalidArgument(path + ": is a directory, not an audio file");
  }
  if (!S_ISREG(st.st_mode)) {
    return InvalidArgument(path +
                           ": not a regular file (pipes and devices "
                           "are not supported)");
  }
  if (st.st_size == 0) return FormatError(path + ": file is empty (0 bytes)");
  const int flags = ::fcntl(raw, F_GETFL);
  if (flags < 0 || ::fcntl(raw, F_SETFL, flags & ~O_NONBLOCK) != 0) {
    return IoError(path + ": cannot open: " + std::strerror(errno));
  }
  fd->Adopt(owned.Release());
  return Status::Ok();
}

// sf_open failed. Says whether the file looked like a known container (then
// the header is damaged, truncated or uses an unsupported encoding) or not
// (then it is not audio at all), plus libsndfile's own reason. libsndfile
// keeps that reason in a global, so under concurrent opens the quoted text
// may belong to another file; the rest of the message is always right.
Status DescribeOpenFailure(const std::string& path, int fd) {
  const std::string reason = sf_strerror(nullptr);
  char magic[4] = {};
  const ssize_t n = ::pread(fd, magic, sizeof(magic), 0);
  static const char* const kMagics[] = {"RIFF", "RIFX", "RF64", "riff", "fLaC",
                                        "FORM", "OggS", ".snd", "caff"};
  if (n == static_cast<ssize_t>(sizeof(magic))) {
    for (const char* m : kMagics) {
      if (std::memcmp(magic, m, sizeof(magic)) == 0) {
        return FormatError(path + ": '" + std::string(m, 4) +
                           "' audio header is damaged, truncated or uses an "
                           "unsupported encoding (libsndfile: " +
                           reason + ")");
      }
    }
  }
  return FormatError(path +
                     ": not an audio file in a format libsndfile "
                     "reads (libsndfile: " +
                     reason + ")");
}

bool WavDataTruncated(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return false;
  const auto file_size = static_cast<uint64_t>(st.st_size);
  unsigned char h[12];
  if (::pread(fd, h, sizeof h, 0) != static_cast<ssize_t>(sizeof h) ||
      std::memcmp(h, "RIFF", 4) != 0 || std::memcmp(h + 8, "WAVE", 4) != 0) {
    return false;
  }
  // Chunks follow one another (padded to even sizes); a few hundred is far
  // more than any real file has before its data.
  uint64_t at = 12;
  for (int chunk = 0; chunk < 1000 && at + 8 <= file_size; ++chunk) {
    if (::pread(fd, h, 8, static_cast<off_t>(at)) != 8) return false;
    const uint32_t size = static_cast<uint32_t>(h[4]) | (h[5] << 8) |
                          (h[6] << 16) | (static_cast<uint32_t>(h[7]) << 24);
    if (std::memcmp(h, "data", 4) == 0) {
      // Recorders writing to a pipe put 0, 0x7FFFFFFF or 0xFFFFFFFF there
      // for "length unknown": that is not a cut file.
      if (size == 0 || size == 0x7FFFFFFFu || size == 0xFFFFFFFFu) {
        return false;
      }
      return size > file_size - (at + 8);
    }
    at += 8 + static_cast<uint64_t>(size) + (size & 1u);
  }
  return false;
}

std::string Num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", x);
  return buf;
}

// Largest frame count accepted at `rate`, saturating instead of overflowing
// for absurd max_seconds.
sf_count_t MaxFrames(double max_seconds, int rate) {
  const double limit = std::floor(max_seconds * rate);
  if (limit >= 9.0e18) return INT64_MAX;
  return static_cast<sf_count_t>(limit);
}

// Validates what the header claims before anything is sized from it.
Status CheckHeader(const std::string& path, const SF_INFO& info,
                   double max_seconds) {
  if (info.channels < 1 || info.channels > kMaxChannels) {
    return FormatError(
        path + ": header claims " + std::to_string(info.channels) +
        " channels; supported are 1.." + std::to_string(kMaxChannels));
  }
  if (info.samplerate < 1 || info.samplerate > kMaxSampleRate) {
    return FormatError(path + ": header sample rate " +
                       std::to_string(info.samplerate) +
                       " Hz is not plausible (expected 1.." +
                       std::to_string(kMaxSampleRate) + ")");
  }
  if (info.frames <= 0) {
    return FormatError(path + ": contains no audio (0 frames)");
  }
  if (info.frames > MaxFrames(max_seconds, info.samplerate)) {
    return OutOfRange(path + ": audio too long: " +
                      Num(static_cast<double>(info.frames) / info.samplerate) +
                      " s, the limit is " + Num(max_seconds) +
                      " s (AudioReadOptions::max_seconds)");
  }
  return Status::Ok();
}

Status Resampler::Init(double ratio) {
  int err = 0;
  state_ = src_new(SRC_SINC_MEDIUM_QUALITY, 1, &err);
  if (state_ == nullptr) {
    return InternalError(std::string("libsamplerate: ") + src_strerror(err));
  }
  ratio_ = ratio;
  out_buf_.resize(kResampleOutFrames);
  return Status::Ok();
}

Status Resampler::Process(const float* in, long n, bool end,
                          std::vector<int16_t>* out) {
  // libsamplerate silently skips the end-of-input flush (and loses the
  // filter tail) when data_in is null, even with zero input frames.
  static const float kNoInput = 0.0f;
  SRC_DATA d{};
  d.data_in = n > 0 ? in : &kNoInput;
  d.input_frames = n;
  d.end_of_input = end ? 1 : 0;
  d.src_ratio = ratio_;
  for (;;) {
    d.data_out = out_buf_.data();
    d.output_frames = kResampleOutFrames;
    const int err = src_process(state_, &d);
    if (err != 0) {
      return InternalError(std::string("libsamplerate: ") + src_strerror(err));
    }
    for (long i = 0; i < d.output_frames_gen; ++i) {
      out->push_back(RoundToInt16(out_buf_[i]));
    }
    d.data_in += d.input_frames_used;
    d.input_frames -= d.input_frames_used;
    if (d.input_frames_used == 0 && d.output_frames_gen == 0) break;
  }
  if (d.input_frames != 0) {
    return InternalError("libsamplerate stopped consuming input");
  }
  return Status::Ok();
}

}  // namespace tinykws::audio_internal
