#include "run_command.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tinykws::testing {

bool StraceWorks() {
  return RunCommand({"strace", "-f", "-qq", "-o", "/dev/null", "/bin/true"})
             .exit_code == 0;
}

std::vector<std::string> KilledAtCall(int n, const std::string& syscalls,
                                      const std::vector<std::string>& argv) {
  std::vector<std::string> traced = {
      "strace",
      "-f",
      "-qq",
      "-o",
      "/dev/null",
      "-e",
      "trace=" + syscalls,
      "-e",
      "inject=" + syscalls + ":signal=KILL:when=" + std::to_string(n)};
  traced.insert(traced.end(), argv.begin(), argv.end());
  return traced;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

CommandResult RunCommand(const std::vector<std::string>& argv) {
  char out_path[] = "/tmp/tinykws_cmd_out_XXXXXX";
  char err_path[] = "/tmp/tinykws_cmd_err_XXXXXX";
  close(mkstemp(out_path));
  close(mkstemp(err_path));
  CommandResult result;
  result.exit_code = WaitCommand(SpawnCommand(argv, out_path, err_path));
  result.out = Slurp(out_path);
  result.err = Slurp(err_path);
  unlink(out_path);
  unlink(err_path);
  return result;
}

int SpawnCommand(const std::vector<std::string>& argv,
                 const std::string& out_path, const std::string& err_path) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int out_fd =
        open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err_fd =
        open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    std::vector<char*> args;
    for (const std::string& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0],
           args.data());  // a name without a slash is looked up in PATH
    std::perror("execvp");
    _exit(127);
  }
  return pid;
}

int WaitCommand(int pid) {
  if (pid < 0) return -1;  // fork failed
  int status = 0;
  pid_t done;
  do {
    done = waitpid(pid, &status, 0);
  } while (done < 0 && errno == EINTR);
  if (done != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

}  // namespace tinykws::testing
