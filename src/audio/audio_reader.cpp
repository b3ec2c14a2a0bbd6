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
//   that decode and is marked truncated (AudioClip::truncated). libsndfile
//   clamps a WAV data chunk to the file size without a word, so the chunk's
//   size is read from the header here; for FLAC the decodable prefix is
//   shorter than STREAMINFO's count. Noted on stderr when verbose.
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

#include "audio/decode_helpers.hpp"
#include "tinykws/audio.hpp"

namespace tinykws {
namespace {

using audio_internal::CheckHeader;
using audio_internal::DescribeOpenFailure;
using audio_internal::kMaxSampleRate;
using audio_internal::MaxFrames;
using audio_internal::Num;
using audio_internal::OpenRegularFile;
using audio_internal::Resampler;
using audio_internal::RoundToInt16;
using audio_internal::ScopedFd;
using audio_internal::SndFile;
using audio_internal::WavDataTruncated;

// Samples (all channels) decoded per sf_readf call.
constexpr sf_count_t kChunkSamples = 1 << 15;
// Upper bound on the up-front reserve: the header's frame count may lie, so
// beyond this the vector grows as data actually arrives.
constexpr size_t kMaxReserve = size_t{1} << 22;

}  // namespace

// Open file, its decoder and the resampler; Read() advances chunk by chunk.
struct AudioFileStream::Impl {
  std::string path;
  AudioReadOptions options;
  int target_rate = 0;
  ScopedFd fd;
  std::unique_ptr<SndFile> file;
  SF_INFO info{};
  bool resample = false;
  Resampler resampler;
  sf_count_t chunk = 0;
  sf_count_t max_frames = 0;
  sf_count_t total = 0;
  bool truncated = false;
  std::vector<double> interleaved;
  std::vector<float> mono;
  bool done = false;
};

StatusOr<std::unique_ptr<AudioFileStream>> AudioFileStream::OpenImpl(
    const std::string& path, int target_sample_rate,
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
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->options = options;
  impl->target_rate = target_sample_rate;
  TINYKWS_RETURN_IF_ERROR(OpenRegularFile(path, &impl->fd));
  // libsndfile gets its own duplicate: since 1.0.30 it closes the
  // descriptor when sf_open_fd fails even if told not to (libsndfile issues
  // 948/949), and we still need ours for DescribeOpenFailure.
  const int sf_fd = ::fcntl(impl->fd.get(), F_DUPFD_CLOEXEC, 0);
  if (sf_fd < 0) {
    return IoError(path + ": cannot open: " + std::strerror(errno));
  }
  impl->file = std::make_unique<SndFile>(
      sf_open_fd(sf_fd, SFM_READ, &impl->info, SF_TRUE));
  if (impl->file->get() == nullptr) {
    return DescribeOpenFailure(path, impl->fd.get());
  }
  const SF_INFO& info = impl->info;
  TINYKWS_RETURN_IF_ERROR(CheckHeader(path, info, options.max_seconds));
  impl->truncated = WavDataTruncated(impl->fd.get());
  const double ratio =
      static_cast<double>(target_sample_rate) / info.samplerate;
  impl->resample = info.samplerate != target_sample_rate;
  if (impl->resample) {
    if (!src_is_valid_ratio(ratio)) {
      return Unsupported(path + ": cannot resample " +
                         std::to_string(info.samplerate) + " Hz to " +
                         std::to_string(target_sample_rate) +
                         " Hz (ratio outside 1/256..256)");
    }
    TINYKWS_RETURN_IF_ERROR(impl->resampler.Init(ratio));
  }
  // Normalized doubles (the default) are exact for every PCM width up to
  // 32 bits; floats pass through unscaled, so values beyond +-1.0 reach
  // RoundToInt16 and saturate instead of wrapping.
  impl->chunk = std::max<sf_count_t>(1, kChunkSamples / info.channels);
  impl->interleaved.resize(static_cast<size_t>(impl->chunk * info.channels));
  impl->mono.resize(impl->resample ? static_cast<size_t>(impl->chunk) : 0);
  impl->max_frames = MaxFrames(options.max_seconds, info.samplerate);
  return std::unique_ptr<AudioFileStream>(new AudioFileStream(std::move(impl)));
}

Status AudioFileStream::ReadImpl(std::vector<int16_t>* out, bool* end) {
  Impl& s = *impl_;
  out->clear();
  *end = s.done;
  if (s.done) return Status::Ok();
  const int channels = s.info.channels;
  const sf_count_t got =
      sf_readf_double(s.file->get(), s.interleaved.data(), s.chunk);
  if (got > 0) {
    if (got > s.max_frames - s.total) {
      return OutOfRange(s.path + ": audio too long: decodes to more than the " +
                        Num(s.options.max_seconds) +
                        " s limit (AudioReadOptions::max_seconds)");
    }
    for (sf_count_t i = 0; i < got; ++i) {
      const double* frame = &s.interleaved[static_cast<size_t>(i * channels)];
      double sum = 0.0;
      for (int c = 0; c < channels; ++c) sum += frame[c];
      // Scale before dividing: exact for 16-bit stereo, so averages land on
      // .5 exactly and round the documented way.
      const double value = sum * 32768.0 / channels;
      if (s.resample) {
        s.mono[static_cast<size_t>(i)] = static_cast<float>(value);
      } else {
        out->push_back(RoundToInt16(value));
      }
    }
    if (s.resample) {
      TINYKWS_RETURN_IF_ERROR(
          s.resampler.Process(s.mono.data(), static_cast<long>(got), false, out)
              .WithPrefix(s.path));
    }
    s.total += got;
    return Status::Ok();
  }
  // The end of the data (or a decode error).
  if (const int err = sf_error(s.file->get()); err != SF_ERR_NO_ERROR) {
    // A system error is I/O; anything else means the stream is corrupt.
    const std::string msg = s.path + ": decoding failed after " +
                            std::to_string(s.total) + " of " +
                            std::to_string(s.info.frames) +
                            " frames: " + sf_strerror(s.file->get());
    return err == SF_ERR_SYSTEM ? IoError(msg) : FormatError(msg);
  }
  if (s.total == 0) {
    return FormatError(s.path + ": contains no audio: header claims " +
                       std::to_string(s.info.frames) +
                       " frames but none could be read");
  }
  if (s.resample) {
    TINYKWS_RETURN_IF_ERROR(
        s.resampler.Process(nullptr, 0, true, out).WithPrefix(s.path));
  }
  if (s.total < s.info.frames) s.truncated = true;
  if (s.options.verbose) {
    if (s.total < s.info.frames) {
      std::fprintf(stderr,
                   "note: %s: header claims %lld frames, only %lld present "
                   "(truncated file?)\n",
                   s.path.c_str(), static_cast<long long>(s.info.frames),
                   static_cast<long long>(s.total));
    } else if (s.truncated) {
      std::fprintf(stderr,
                   "note: %s: WAV data chunk shorter than its header says, "
                   "%lld frames present (truncated file?)\n",
                   s.path.c_str(), static_cast<long long>(s.total));
    }
    if (channels > 1) {
      std::fprintf(stderr, "note: %s: mixed %d channels to mono\n",
                   s.path.c_str(), channels);
    }
    if (s.resample) {
      std::fprintf(stderr, "note: %s: resampled %d Hz -> %d Hz\n",
                   s.path.c_str(), s.info.samplerate, s.target_rate);
    }
  }
  s.done = true;
  *end = true;
  return Status::Ok();
}

AudioFileStream::AudioFileStream(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
AudioFileStream::~AudioFileStream() = default;

StatusOr<std::unique_ptr<AudioFileStream>> AudioFileStream::Open(
    const std::string& path, int target_sample_rate,
    const AudioReadOptions& options) {
  try {
    return OpenImpl(path, target_sample_rate, options);
  } catch (const std::bad_alloc&) {
    return OutOfRange(path + ": out of memory while opening");
  } catch (const std::exception& e) {
    return InternalError(path + ": " + e.what());
  }
}

Status AudioFileStream::Read(std::vector<int16_t>* out, bool* end) {
  try {
    return ReadImpl(out, end);
  } catch (const std::bad_alloc&) {
    return OutOfRange(impl_->path + ": out of memory while decoding");
  } catch (const std::exception& e) {
    return InternalError(impl_->path + ": " + e.what());
  }
}

int AudioFileStream::source_sample_rate() const {
  return impl_->info.samplerate;
}
int AudioFileStream::source_channels() const { return impl_->info.channels; }
int64_t AudioFileStream::header_frames() const { return impl_->info.frames; }
bool AudioFileStream::truncated() const { return impl_->truncated; }

namespace {

StatusOr<AudioClip> ReadAudioImpl(const std::string& path,
                                  int target_sample_rate,
                                  const AudioReadOptions& options) {
  StatusOr<std::unique_ptr<AudioFileStream>> stream =
      AudioFileStream::Open(path, target_sample_rate, options);
  if (!stream.ok()) return stream.status();
  AudioFileStream& s = **stream;
  AudioClip clip;
  clip.sample_rate = target_sample_rate;
  clip.source_sample_rate = s.source_sample_rate();
  clip.source_channels = s.source_channels();
  const double expected = static_cast<double>(s.header_frames()) *
                              target_sample_rate / s.source_sample_rate() +
                          16.0;
  clip.samples.reserve(expected < static_cast<double>(kMaxReserve)
                           ? static_cast<size_t>(expected)
                           : kMaxReserve);
  std::vector<int16_t> chunk;
  for (bool end = false; !end;) {
    TINYKWS_RETURN_IF_ERROR(s.Read(&chunk, &end));
    clip.samples.insert(clip.samples.end(), chunk.begin(), chunk.end());
  }
  clip.truncated = s.truncated();
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
