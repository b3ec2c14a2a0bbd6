#include "common/atomic_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace tinykws {

namespace {

std::string ErrnoText() { return std::strerror(errno); }

}  // namespace

Status WriteFileAtomically(const std::string& path, const std::string& bytes) {
  if (path.empty()) return InvalidArgument("output path is empty");
  std::vector<char> tmp(path.begin(), path.end());
  const std::string suffix = ".tmp.XXXXXX";
  tmp.insert(tmp.end(), suffix.begin(), suffix.end());
  tmp.push_back('\0');
  const int fd = mkstemp(tmp.data());
  if (fd < 0) {
    return IoError(path + ": cannot create file (" + ErrnoText() + ")");
  }
  const std::string tmp_path(tmp.data());
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string reason = ErrnoText();
      close(fd);
      unlink(tmp_path.c_str());
      return IoError(path + ": write failed (" + reason + ")");
    }
    written += static_cast<size_t>(n);
  }
  // Readable like a file written by fopen under the usual umask.
  fchmod(fd, 0644);
  if (fsync(fd) != 0 || close(fd) != 0) {
    const std::string reason = ErrnoText();
    unlink(tmp_path.c_str());
    return IoError(path + ": write failed (" + reason + ")");
  }
  if (rename(tmp_path.c_str(), path.c_str()) != 0) {
    const std::string reason = ErrnoText();
    unlink(tmp_path.c_str());
    return IoError(path + ": cannot rename temporary file into place (" +
                   reason + ")");
  }
  return Status::Ok();
}

StatusOr<std::string> ReadWholeFile(const std::string& path, size_t max_bytes) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return NotFound(path + ": file not found");
    return IoError(path + ": cannot open (" + ErrnoText() + ")");
  }
  if (S_ISDIR(st.st_mode)) return InvalidArgument(path + ": is a directory");
  if (!S_ISREG(st.st_mode))
    return InvalidArgument(path + ": not a regular file");
  if (static_cast<unsigned long long>(st.st_size) > max_bytes) {
    return OutOfRange(path + ": file is " + std::to_string(st.st_size) +
                      " bytes, more than the " + std::to_string(max_bytes) +
                      " accepted");
  }
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError(path + ": cannot open (" + ErrnoText() + ")");
  std::string data(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < data.size()) {
    const ssize_t n = read(fd, &data[got], data.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string reason = ErrnoText();
      close(fd);
      return IoError(path + ": read failed (" + reason + ")");
    }
    if (n == 0) break;  // shrank while reading: keep what is there
    got += static_cast<size_t>(n);
  }
  close(fd);
  data.resize(got);
  return data;
}

}  // namespace tinykws

namespace tinykws {

void RemoveStaleTemporaries(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  const std::string dir =
      slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
  const std::string prefix =
      (slash == std::string::npos ? path : path.substr(slash + 1)) + ".tmp.";
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return;
  std::vector<std::string> stale;
  while (const dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name.size() > prefix.size() && name.rfind(prefix, 0) == 0) {
      stale.push_back(dir + "/" + name);
    }
  }
  closedir(d);
  for (const std::string& p : stale) unlink(p.c_str());
}

Status CheckOutputFolder(const std::string& path) {
  if (path.empty()) return Status::Ok();
  const size_t slash = path.find_last_of('/');
  const std::string dir =
      slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    return NotFound(path + ": folder '" + dir + "' does not exist");
  }
  if (!S_ISDIR(st.st_mode)) {
    return InvalidArgument(path + ": '" + dir + "' is not a folder");
  }
  return Status::Ok();
}

}  // namespace tinykws
