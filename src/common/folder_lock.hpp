// An advisory lock (flock) on a folder a run writes, held for the whole run:
// a second writer (a sweep's --resume while it runs, two trainings into
// one run folder) is refused with the holder's pid instead of both
// deleting and rewriting the same files. The lock is the file
// FOLDER/.tinykws.lock; it is released when the process ends, however it
// ends (the file stays, unlocked).
#pragma once

#include <string>

#include "tinykws/status.hpp"

namespace tinykws {

class FolderLock {
 public:
  static constexpr const char* kFileName = ".tinykws.lock";

  // Creates `folder` if needed and locks it; `what` names the run in the
  // message ("sweep", "run").
  static StatusOr<FolderLock> Acquire(const std::string& folder,
                                      const std::string& what);
  FolderLock() = default;
  FolderLock(FolderLock&& other) noexcept;
  FolderLock& operator=(FolderLock&& other) noexcept;
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  ~FolderLock();

  bool held() const { return fd_ >= 0; }
  // Unlocks and removes the lock file (before removing the folder).
  void ReleaseAndRemove();

 private:
  int fd_ = -1;
  std::string path_;
};

}  // namespace tinykws
