#include "common/staged_folder.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>

namespace tinykws {

namespace fs = std::filesystem;

namespace {

std::string Trimmed(const std::string& out) {
  std::string s = out;
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

// Removes "<out>.tmp-<pid>" folders whose process is gone.
void RemoveStaleTemporaries(const std::string& out) {
  const fs::path path(out);
  const fs::path parent =
      path.parent_path().empty() ? fs::path(".") : path.parent_path();
  const std::string prefix = path.filename().string() + ".tmp-";
  std::error_code ec;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.empty() ||
        digits.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    const long pid = std::strtol(digits.c_str(), nullptr, 10);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      std::error_code ignored;
      fs::remove_all(it->path(), ignored);
    }
  }
}

}  // namespace

Status CheckNewFolder(const std::string& out, bool force) {
  if (out.empty()) return InvalidArgument("no output folder given");
  const fs::path path(Trimmed(out));
  const fs::path parent =
      path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code ec;
  if (!fs::is_directory(parent, ec)) {
    return NotFound(out + ": the folder " + parent.string() +
                    " does not exist");
  }
  if (fs::exists(path, ec) && !force) {
    return InvalidArgument(out + ": exists (use --force to replace it)");
  }
  return Status::Ok();
}

StatusOr<std::string> CreateStagingFolder(const std::string& out) {
  const std::string base = Trimmed(out);
  RemoveStaleTemporaries(base);
  const std::string temporary =
      base + ".tmp-" + std::to_string(static_cast<long>(::getpid()));
  std::error_code ec;
  fs::remove_all(temporary, ec);
  if (!fs::create_directory(temporary, ec) || ec) {
    return IoError(temporary + ": cannot create: " +
                   (ec ? ec.message() : std::string("exists")));
  }
  return temporary;
}

Status CommitStagingFolder(const std::string& temporary, const std::string& out,
                           bool force) {
  const std::string target = Trimmed(out);
  std::error_code ec;
  std::string old;
  if (fs::exists(target, ec)) {
    if (!force) {
      return InvalidArgument(out + ": appeared while writing (use --force)");
    }
    old = target + ".old-" + std::to_string(static_cast<long>(::getpid()));
    fs::remove_all(old, ec);
    fs::rename(target, old, ec);
    if (ec) return IoError(out + ": cannot move aside: " + ec.message());
  }
  fs::rename(temporary, target, ec);
  if (ec) {
    const std::string message = ec.message();
    if (!old.empty()) fs::rename(old, target, ec);  // put the old one back
    return IoError(temporary + " -> " + out + ": rename failed: " + message);
  }
  if (!old.empty()) fs::remove_all(old, ec);
  return Status::Ok();
}

void AbandonStagingFolder(const std::string& temporary) {
  std::error_code ec;
  if (!temporary.empty()) fs::remove_all(temporary, ec);
}

Status MakeFolder(const std::string& folder) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) return IoError(folder + ": cannot create: " + ec.message());
  return Status::Ok();
}

}  // namespace tinykws
