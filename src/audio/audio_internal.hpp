// Limits and a file-descriptor owner shared by the audio reader and writer.
#pragma once

#include <unistd.h>

namespace tinykws {
namespace audio_internal {

// Far above real recordings (384 kHz studio rates, 256-channel arrays) yet
// small enough that sizes derived from them cannot overflow; anything beyond
// is a corrupt header, not audio we want to decode.
constexpr int kMaxChannels = 256;
constexpr int kMaxSampleRate = 1000000;

// Closes a POSIX file descriptor on scope exit.
class ScopedFd {
 public:
  explicit ScopedFd(int fd = -1) : fd_(fd) {}
  ~ScopedFd() { Reset(); }
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;

  int get() const { return fd_; }
  void Adopt(int fd) {
    Reset();
    fd_ = fd;
  }
  int Release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  // Closes now and returns close()'s result, so writers can detect a failed
  // final flush (0 if there was nothing to close).
  int Reset() {
    int rc = 0;
    if (fd_ >= 0) rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

}  // namespace audio_internal
}  // namespace tinykws
