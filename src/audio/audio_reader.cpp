// ReadAudio: any libsndfile format -> mono int16 at the requested rate.
//
// Decoding is streamed in fixed-size chunks (down-mix, then either convert
// or feed libsamplerate), so memory is the int16 output plus a few small
// buffers, whatever the source format or channel count.
//
// Behaviour worth knowing (the public header is the contract; this is the
// detail):
// - Conversion: sample * 32768 (integer PCM of any width is normalized by
//   2^(bits-1), float is taken as is), channels averaged, then rounded half
//   away from zero and saturated to [-32768, 32767]; NaN becomes 0. 16-bit
//   input at the target rate therefore round-trips exactly.
// - Resampling: libsamplerate SRC_SINC_MEDIUM_QUALITY, fully flushed, so the
//   output has round(frames * target / source) samples (+-1).
// - A file holding fewer frames than its header claims yields the frames
//   that decode (libsndfile already clamps WAV data chunks to the file size;
//   for FLAC this is the decodable prefix), noted on stderr when verbose.
//   A decode error with no frames, or zero frames, is an error.
// - Headerless (raw) files are rejected: libsndfile never sees the file
//   name, so it cannot guess a raw format from the extension.
#include <fcntl.h>
#include <samplerate.h>
#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "audio/audio_internal.hpp"
#include "tinykws/audio.hpp"

namespace tinykws {
namespace {

using audio_internal::kMaxChannels;
using audio_internal::kMaxSampleRate;
using audio_internal::ScopedFd;

// Samples (all channels) decoded per sf_readf call.
constexpr sf_count_t kChunkSamples = 1 << 15;
// Output frames per src_process call; bounded so a 256x up-sampling ratio
// cannot demand a huge buffer.
constexpr long kResampleOutFrames = 1 << 13;
// Upper bound on the up-front reserve: the header's frame count may lie, so
// beyond this the vector grows as data actually arrives.
constexpr size_t kMaxReserve = size_t{1} << 22;

// x is in int16 units. Rounds half away from zero and saturates; NaN -> 0.
int16_t RoundToInt16(double x) {
  if (std::isnan(x)) return 0;
  const double r = std::round(x);
  if (r >= 32767.0) return 32767;
  if (r <= -32768.0) return -32768;
  return static_cast<int16_t>(r);
}

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

class Resampler {
 public:
  ~Resampler() {
    if (state_ != nullptr) src_delete(state_);
  }

  Status Init(double ratio) {
    int err = 0;
    state_ = src_new(SRC_SINC_MEDIUM_QUALITY, 1, &err);
    if (state_ == nullptr) {
      return InternalError(std::string("libsamplerate: ") + src_strerror(err));
    }
    ratio_ = ratio;
    out_buf_.resize(kResampleOutFrames);
    return Status::Ok();
  }

  // Resamples n mono samples (int16 units) and appends them to out;
  // end = true flushes the filter tail.
  Status Process(const float* in, long n, bool end, std::vector<int16_t>* out) {
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
        return InternalError(std::string("libsamplerate: ") +
                             src_strerror(err));
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

 private:
  SRC_STATE* state_ = nullptr;
  double ratio_ = 1.0;
  std::vector<float> out_buf_;
};

StatusOr<AudioClip> ReadAudioImpl(const std::string& path,
                                  int target_sample_rate,
                                  const AudioReadOptions& options) {
  if (target_sample_rate <= 0 || target_sample_rate > kMaxSampleRate) {
    return InvalidArgument(path + ": target sample rate must be 1.." +
                           std::to_string(kMaxSampleRate) + " Hz, got " +
                           std::to_string(target_sample_rate));
  }
  if (!(options.max_seconds > 0.0) || !std::isfinite(options.max_seconds)) {
    return InvalidArgument(path + ": max_seconds must be a positive number, " +
                           "got " + Num(options.max_seconds));
  }
  ScopedFd fd;
  TINYKWS_RETURN_IF_ERROR(OpenRegularFile(path, &fd));
  SF_INFO info{};
  // libsndfile gets its own duplicate: since 1.0.30 it closes the
  // descriptor when sf_open_fd fails even if told not to (libsndfile issues
  // 948/949), and we still need ours for DescribeOpenFailure.
  const int sf_fd = ::fcntl(fd.get(), F_DUPFD_CLOEXEC, 0);
  if (sf_fd < 0) {
    return IoError(path + ": cannot open: " + std::strerror(errno));
  }
  SndFile file(sf_open_fd(sf_fd, SFM_READ, &info, SF_TRUE));
  if (file.get() == nullptr) return DescribeOpenFailure(path, fd.get());
  TINYKWS_RETURN_IF_ERROR(CheckHeader(path, info, options.max_seconds));

  const int channels = info.channels;
  const double ratio =
      static_cast<double>(target_sample_rate) / info.samplerate;
  const bool resample = info.samplerate != target_sample_rate;
  Resampler resampler;
  if (resample) {
    if (!src_is_valid_ratio(ratio)) {
      return Unsupported(path + ": cannot resample " +
                         std::to_string(info.samplerate) + " Hz to " +
                         std::to_string(target_sample_rate) +
                         " Hz (ratio outside 1/256..256)");
    }
    TINYKWS_RETURN_IF_ERROR(resampler.Init(ratio));
  }

  AudioClip clip;
  clip.sample_rate = target_sample_rate;
  clip.source_sample_rate = info.samplerate;
  clip.source_channels = channels;
  const double expected = static_cast<double>(info.frames) * ratio + 16.0;
  clip.samples.reserve(expected < static_cast<double>(kMaxReserve)
                           ? static_cast<size_t>(expected)
                           : kMaxReserve);

  // Normalized doubles (the default) are exact for every PCM width up to
  // 32 bits; floats pass through unscaled, so values beyond +-1.0 reach
  // RoundToInt16 and saturate instead of wrapping.
  const sf_count_t chunk = std::max<sf_count_t>(1, kChunkSamples / channels);
  std::vector<double> interleaved(static_cast<size_t>(chunk * channels));
  std::vector<float> mono(resample ? static_cast<size_t>(chunk) : 0);
  const sf_count_t max_frames = MaxFrames(options.max_seconds, info.samplerate);
  sf_count_t total = 0;
  for (;;) {
    const sf_count_t got =
        sf_readf_double(file.get(), interleaved.data(), chunk);
    if (got <= 0) break;
    if (got > max_frames - total) {
      return OutOfRange(path + ": audio too long: decodes to more than the " +
                        Num(options.max_seconds) +
                        " s limit (AudioReadOptions::max_seconds)");
    }
    for (sf_count_t i = 0; i < got; ++i) {
      const double* frame = &interleaved[static_cast<size_t>(i * channels)];
      double sum = 0.0;
      for (int c = 0; c < channels; ++c) sum += frame[c];
      // Scale before dividing: exact for 16-bit stereo, so averages land on
      // .5 exactly and round the documented way.
      const double value = sum * 32768.0 / channels;
      if (resample) {
        mono[static_cast<size_t>(i)] = static_cast<float>(value);
      } else {
        clip.samples.push_back(RoundToInt16(value));
      }
    }
    if (resample) {
      TINYKWS_RETURN_IF_ERROR(resampler
                                  .Process(mono.data(), static_cast<long>(got),
                                           false, &clip.samples)
                                  .WithPrefix(path));
    }
    total += got;
  }
  if (const int err = sf_error(file.get()); err != SF_ERR_NO_ERROR) {
    // A system error is I/O; anything else means the stream is corrupt.
    const std::string msg =
        path + ": decoding failed after " + std::to_string(total) + " of " +
        std::to_string(info.frames) + " frames: " + sf_strerror(file.get());
    return err == SF_ERR_SYSTEM ? IoError(msg) : FormatError(msg);
  }
  if (total == 0) {
    return FormatError(path + ": contains no audio: header claims " +
                       std::to_string(info.frames) +
                       " frames but none could be read");
  }
  if (resample) {
    TINYKWS_RETURN_IF_ERROR(
        resampler.Process(nullptr, 0, true, &clip.samples).WithPrefix(path));
  }

  if (options.verbose) {
    if (total < info.frames) {
      std::fprintf(stderr,
                   "note: %s: header claims %lld frames, only %lld present "
                   "(truncated file?)\n",
                   path.c_str(), static_cast<long long>(info.frames),
                   static_cast<long long>(total));
    }
    if (channels > 1) {
      std::fprintf(stderr, "note: %s: mixed %d channels to mono\n",
                   path.c_str(), channels);
    }
    if (resample) {
      std::fprintf(stderr, "note: %s: resampled %d Hz -> %d Hz\n", path.c_str(),
                   info.samplerate, target_sample_rate);
    }
  }
  return clip;
}

}  // namespace

StatusOr<AudioClip> ReadAudio(const std::string& path, int target_sample_rate,
                              const AudioReadOptions& options) {
  // Nothing may escape to the caller: allocation sized by (validated) file
  // contents can still fail.
  try {
    return ReadAudioImpl(path, target_sample_rate, options);
  } catch (const std::bad_alloc&) {
    return OutOfRange(path + ": out of memory while decoding");
  } catch (const std::exception& e) {
    return InternalError(path + ": " + e.what());
  }
}

}  // namespace tinykws
