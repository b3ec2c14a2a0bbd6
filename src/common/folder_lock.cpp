#include "common/folder_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

namespace tinykws {

StatusOr<FolderLock> FolderLock::Acquire(const std::string& folder,
                                         const std::string& what) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  FolderLock lock;
  lock.path_ = folder + "/" + kFileName;
  lock.fd_ = open(lock.path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock.fd_ < 0) {
    return IoError(lock.path_ +
                   ": cannot open the lock file: " + std::strerror(errno));
  }
  if (flock(lock.fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    if (error != EWOULDBLOCK) {
      return IoError(lock.path_ + ": cannot lock: " + std::strerror(error));
    }
    char pid[32] = {};
    const ssize_t n = pread(lock.fd_, pid, sizeof pid - 1, 0);
    std::string holder = n > 0 ? std::string(pid, static_cast<size_t>(n)) : "";
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) {
      holder.pop_back();
    }
    return InvalidArgument(
        folder + ": another " + what + " is writing this folder (process " +
        (holder.empty() ? std::string("unknown") : holder) + " holds " +
        lock.path_ + "); wait for it to end or stop it");
  }
  const std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(lock.fd_, 0) != 0 ||
      pwrite(lock.fd_, pid.data(), pid.size(), 0) !=
          static_cast<ssize_t>(pid.size())) {
    return IoError(lock.path_ + ": cannot write: " + std::strerror(errno));
  }
  return lock;
}

FolderLock::FolderLock(FolderLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

FolderLock& FolderLock::operator=(FolderLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) close(fd_);
}

void FolderLock::ReleaseAndRemove() {
  if (fd_ < 0) return;
  unlink(path_.c_str());
  close(fd_);
  fd_ = -1;
}

}  // namespace tinykws
