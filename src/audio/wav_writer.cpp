// WriteWav and WavWriter: 16-bit PCM WAV, written to a temporary file and
// renamed into place so readers never see a half-written file at the final
// path.
#include <fcntl.h>
#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
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

// RIFF sizes are 32-bit; libsndfile would otherwise switch to RF64 or write
// a broken header, neither of which is "a WAV file" to most readers.
constexpr uint64_t kMaxWavDataBytes = 0xFFFFFFFFull - 44;

// Owns the temporary file: unless Commit() succeeds it is removed, whatever
// path the function takes out.
class TempFile {
 public:
  ~TempFile() {
    fd_.Reset();
    if (!name_.empty() && !committed_) ::unlink(name_.c_str());
  }

  Status Create(const std::string& path) {
    std::vector<char> name(path.begin(), path.end());
    static const char kSuffix[] = ".tmp.XXXXXX";
    name.insert(name.end(), kSuffix, kSuffix + sizeof(kSuffix));
    const int fd = ::mkstemp(name.data());
    if (fd < 0) {
      const int err = errno;
      if (err == ENOENT || err == ENOTDIR) {
        return NotFound(path + ": cannot create file: folder does not exist");
      }
      return IoError(path + ": cannot create temporary file next to it: " +
                     std::strerror(err));
    }
    fd_.Adopt(fd);
    name_ = name.data();
    // mkstemp creates 0600; give the finished WAV the usual 0644 (umask is
    // not applied: reading it is not thread-safe).
    ::fchmod(fd, 0644);
    return Status::Ok();
  }

  int fd() const { return fd_.get(); }

  Status Commit(const std::string& path) {
    if (fd_.Reset() != 0) {
      return IoError(path + ": writing failed: " + std::strerror(errno));
    }
    if (::rename(name_.c_str(), path.c_str()) != 0) {
      return IoError(path + ": cannot move finished file into place: " +
                     std::strerror(errno));
    }
    committed_ = true;
    return Status::Ok();
  }

 private:
  ScopedFd fd_;
  std::string name_;
  bool committed_ = false;
};

Status ValidateFormat(const std::string& path, int sample_rate, int channels) {
  if (path.empty()) return InvalidArgument("WriteWav: empty output path");
  if (sample_rate <= 0 || sample_rate > kMaxSampleRate) {
    return InvalidArgument(path + ": sample rate must be 1.." +
                           std::to_string(kMaxSampleRate) + " Hz, got " +
                           std::to_string(sample_rate));
  }
  if (channels < 1 || channels > kMaxChannels) {
    return InvalidArgument(path + ": channels must be 1.." +
                           std::to_string(kMaxChannels) + ", got " +
                           std::to_string(channels));
  }
  return Status::Ok();
}

Status TooLong(const std::string& path, uint64_t frames) {
  return OutOfRange(path + ": " + std::to_string(frames) +
                    " frames do not fit in a WAV file (4 GiB limit)");
}

}  // namespace

// The temporary file and libsndfile's handle on it; `failed` makes every
// later call fail, so a broken file is never renamed into place.
struct WavWriter::Impl {
  std::string path;
  int channels = 1;
  TempFile temp;
  SNDFILE* file = nullptr;
  uint64_t frames = 0;
  bool failed = false;

  ~Impl() {
    if (file != nullptr) sf_close(file);
  }
};

WavWriter::WavWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WavWriter::~WavWriter() = default;

StatusOr<std::unique_ptr<WavWriter>> WavWriter::Create(const std::string& path,
                                                       int sample_rate,
                                                       int channels) {
  TINYKWS_RETURN_IF_ERROR(ValidateFormat(path, sample_rate, channels));
  try {
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->channels = channels;
    TINYKWS_RETURN_IF_ERROR(impl->temp.Create(path));
    SF_INFO info{};
    info.samplerate = sample_rate;
    info.channels = channels;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    // A duplicate owned by libsndfile: since 1.0.30 it closes the descriptor
    // when sf_open_fd fails even if told not to (libsndfile issues 948/949).
    const int sf_fd = ::fcntl(impl->temp.fd(), F_DUPFD_CLOEXEC, 0);
    if (sf_fd < 0) {
      return IoError(path + ": cannot start WAV file: " + std::strerror(errno));
    }
    impl->file = sf_open_fd(sf_fd, SFM_WRITE, &info, SF_TRUE);
    if (impl->file == nullptr) {
      return IoError(path + ": cannot start WAV file: " + sf_strerror(nullptr));
    }
    return std::unique_ptr<WavWriter>(new WavWriter(std::move(impl)));
  } catch (const std::bad_alloc&) {
    return IoError(path + ": out of memory while writing");
  }
}

Status WavWriter::Write(const int16_t* samples, size_t num_frames) {
  Impl& w = *impl_;
  if (w.failed || w.file == nullptr) {
    return InvalidArgument(w.path + ": the WAV writer failed or finished");
  }
  if (samples == nullptr && num_frames > 0) {
    return InvalidArgument(w.path + ": samples is null but num_frames is " +
                           std::to_string(num_frames));
  }
  if (num_frames > MaxWavFrames(w.channels) - w.frames) {
    w.failed = true;
    return TooLong(w.path, w.frames + num_frames);
  }
  const sf_count_t frames = static_cast<sf_count_t>(num_frames);
  const sf_count_t written =
      frames > 0 ? sf_writef_short(w.file, samples, frames) : 0;
  if (written != frames) {
    w.failed = true;
    return IoError(w.path + ": writing failed after " +
                   std::to_string(w.frames + static_cast<uint64_t>(written)) +
                   " frames: " + sf_strerror(w.file));
  }
  w.frames += num_frames;
  return Status::Ok();
}

Status WavWriter::Finish() {
  Impl& w = *impl_;
  if (w.failed || w.file == nullptr) {
    return InvalidArgument(w.path + ": the WAV writer failed or finished");
  }
  // sf_close rewrites the header with the final sizes, so it can fail too.
  const int close_error = sf_close(w.file);
  w.file = nullptr;
  if (close_error != 0) {
    w.failed = true;
    return IoError(w.path + ": finishing WAV header failed: " +
                   sf_error_number(close_error));
  }
  // No fsync: the rename protects against failed or interrupted writes by
  // this process, which is the promise; syncing every clip would make data
  // preparation I/O-bound.
  const Status s = w.temp.Commit(w.path);
  if (!s.ok()) w.failed = true;
  return s;
}

uint64_t MaxWavFrames(int channels) {
  return kMaxWavDataBytes /
         (2ull * static_cast<uint64_t>(std::max(1, channels)));
}

namespace {

Status WriteWavImpl(const std::string& path, const int16_t* samples,
                    size_t num_frames, int sample_rate, int channels) {
  TINYKWS_RETURN_IF_ERROR(ValidateFormat(path, sample_rate, channels));
  if (samples == nullptr && num_frames > 0) {
    return InvalidArgument(path + ": samples is null but num_frames is " +
                           std::to_string(num_frames));
  }
  // Checked before the temporary file exists: nothing to clean up.
  if (num_frames > MaxWavFrames(channels)) return TooLong(path, num_frames);
  StatusOr<std::unique_ptr<WavWriter>> writer =
      WavWriter::Create(path, sample_rate, channels);
  if (!writer.ok()) return writer.status();
  TINYKWS_RETURN_IF_ERROR((*writer)->Write(samples, num_frames));
  return (*writer)->Finish();
}

}  // namespace

Status WriteWav(const std::string& path, const int16_t* samples,
                size_t num_frames, int sample_rate, int channels) {
  try {
    return WriteWavImpl(path, samples, num_frames, sample_rate, channels);
  } catch (const std::bad_alloc&) {
    return IoError(path + ": out of memory while writing");
  } catch (const std::exception& e) {
    return InternalError(path + ": " + e.what());
  }
}

}  // namespace tinykws
