// Runs a writer with a cap on file sizes, the way a full disk would stop it:
// a child process sets RLIMIT_FSIZE and ignores SIGXFSZ, so a write past the
// cap fails with EFBIG through the same error path as ENOSPC. The child's
// Status comes back through a pipe.
#pragma once

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <string>

#include "tinykws/status.hpp"

namespace tinykws::testing {

inline Status WithFileSizeLimit(rlim_t max_bytes,
                                const std::function<Status()>& writer) {
  int fds[2];
  if (pipe(fds) != 0) return IoError("pipe failed");
  const pid_t pid = fork();
  if (pid < 0) return IoError("fork failed");
  if (pid == 0) {
    close(fds[0]);
    signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{max_bytes, max_bytes};
    setrlimit(RLIMIT_FSIZE, &limit);
    const Status s = writer();
    const std::string reply =
        std::to_string(static_cast<int>(s.code())) + " " + s.message();
    // The pipe is not a file: the size limit does not apply to it.
    if (write(fds[1], reply.data(), reply.size()) < 0) _exit(2);
    _exit(0);
  }
  close(fds[1]);
  std::string reply;
  char buffer[4096];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    reply.append(buffer, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || reply.empty()) {
    return InternalError("the writer's process died (status " +
                         std::to_string(status) + ")");
  }
  const size_t space = reply.find(' ');
  return Status(static_cast<StatusCode>(std::stoi(reply.substr(0, space))),
                reply.substr(space + 1));
}

}  // namespace tinykws::testing
