// Runs a program and captures its exit code, stdout and stderr (for tests of
// the command-line tools).
#pragma once

#include <string>
#include <vector>

namespace tinykws::testing {

struct CommandResult {
  int exit_code = -1;  // -1: did not exit normally
  std::string out;
  std::string err;
};

CommandResult RunCommand(const std::vector<std::string>& argv);

// Starts a program in the background (stdout/stderr to the given files) and
// returns its pid; WaitCommand collects its exit code (-1: killed).
int SpawnCommand(const std::vector<std::string>& argv,
                 const std::string& out_path, const std::string& err_path);
int WaitCommand(int pid);

// strace can trace programs here (it is installed and ptrace is allowed).
bool StraceWorks();
// argv run under strace, killed (SIGKILL) at its n-th call of one of the
// comma-separated syscalls (fault injection at file renames).
std::vector<std::string> KilledAtCall(int n, const std::string& syscalls,
                                      const std::vector<std::string>& argv);

// A file's whole content ("" if it cannot be read).
std::string Slurp(const std::string& path);

// Lines of text without the trailing newline of each.
std::vector<std::string> Lines(const std::string& text);

}  // namespace tinykws::testing
