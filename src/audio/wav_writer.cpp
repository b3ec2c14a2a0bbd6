// WriteWav: 16-bit PCM WAV, written to a temporary file and renamed into
// place so readers never see a half-written file at the final path.
#include <fcntl.h>
#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

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

Status ValidateArgs(const std::string& path, const int16_t* samples,
                    size_t num_frames, int sample_rate, int channels) {
  if (path.empty()) return InvalidArgument("WriteWav: empty output path");
  if (samples == nullptr && num_frames > 0) {
    return InvalidArgument(path + ": samples is null but num_frames is " +
                           std::to_string(num_frames));
  }
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
  const uint64_t bytes_per_frame = 2ull * static_cast<uint64_t>(channels);
  if (num_frames > kMaxWavDataBytes / bytes_per_frame) {
    return OutOfRange(path + ": " + std::to_string(num_frames) +
                      " frames do not fit in a WAV file (4 GiB limit)");
  }
  return Status::Ok();
}

Status WriteWavImpl(const std::string& path, const int16_t* samples,
                    size_t num_frames, int sample_rate, int channels) {
  TINYKWS_RETURN_IF_ERROR(
      ValidateArgs(path, samples, num_frames, sample_rate, channels));
  TempFile temp;
  TINYKWS_RETURN_IF_ERROR(temp.Create(path));

  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = channels;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  // A duplicate owned by libsndfile: since 1.0.30 it closes the descriptor
  // when sf_open_fd fails even if told not to (libsndfile issues 948/949).
  const int sf_fd = ::fcntl(temp.fd(), F_DUPFD_CLOEXEC, 0);
  if (sf_fd < 0) {
    return IoError(path + ": cannot start WAV file: " + std::strerror(errno));
  }
  SNDFILE* file = sf_open_fd(sf_fd, SFM_WRITE, &info, SF_TRUE);
  if (file == nullptr) {
    return IoError(path + ": cannot start WAV file: " + sf_strerror(nullptr));
  }
  const sf_count_t frames = static_cast<sf_count_t>(num_frames);
  const sf_count_t written =
      frames > 0 ? sf_writef_short(file, samples, frames) : 0;
  std::string write_error;
  if (written != frames) write_error = sf_strerror(file);
  // sf_close rewrites the header with the final sizes, so it can fail too.
  const int close_error = sf_close(file);
  if (!write_error.empty()) {
    return IoError(path + ": writing failed after " + std::to_string(written) +
                   " of " + std::to_string(frames) + " frames: " + write_error);
  }
  if (close_error != 0) {
    return IoError(path + ": finishing WAV header failed: " +
                   sf_error_number(close_error));
  }
  // No fsync: the rename protects against failed or interrupted writes by
  // this process, which is the promise; syncing every clip would make data
  // preparation I/O-bound.
  return temp.Commit(path);
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
