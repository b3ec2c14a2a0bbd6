// Running a tinykws command line (kws, kws-train) the same way: an unknown or
// mistyped option is named (with the nearest known one) before anything
// else is checked, every usage error prints one "error: " line and exits 2
// (docs/cli.md), --help and --version exit 0, no exception escapes, and
// standard output is checked: results lost to a full disk or a closed
// descriptor are exit 1, never 0.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#if defined(__GLIBCXX__)
#include <ext/stdio_sync_filebuf.h>
#endif
#include <string>
#include <vector>

#include "common/nearest_word.hpp"

namespace tinykws::cli {

inline constexpr int kUsageError = 2;
inline constexpr int kInternalError = 3;

inline bool LooksLikeNumber(const std::string& s) {
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end != s.c_str() && *end == '\0';
}

// The first option of argv that neither the chosen subcommand nor the app
// knows, as an error message ("" when all are known).
inline std::string UnknownOption(CLI::App& app, int argc, char** argv) {
  CLI::App* scope = &app;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-' || LooksLikeNumber(arg)) {
      if (scope == &app) {
        const std::vector<CLI::App*> subs = app.get_subcommands(
            [&](CLI::App* sub) { return sub->check_name(arg); });
        if (subs.empty()) {
          std::string nearest;
          size_t best = 3;
          for (CLI::App* sub : app.get_subcommands({})) {
            const size_t d = EditDistance(arg, sub->get_name());
            if (d < best) {
              best = d;
              nearest = sub->get_name();
            }
          }
          return "unknown command '" + arg + "'" +
                 (nearest.empty() ? "" : " (did you mean " + nearest + "?)");
        }
        scope = subs.front();
      }
      continue;
    }
    const std::string name = arg.substr(0, arg.find('='));
    if (scope->get_option_no_throw(name) != nullptr ||
        app.get_option_no_throw(name) != nullptr) {
      continue;
    }
    std::string nearest;
    size_t best = 3;  // suggest only close matches
    for (const CLI::Option* opt : scope->get_options()) {
      for (const std::string& l : opt->get_lnames()) {
        const size_t d = EditDistance(name, "--" + l);
        if (d < best) {
          best = d;
          nearest = "--" + l;
        }
      }
    }
    return "unknown option '" + name + "'" +
           (nearest.empty() ? "" : " (did you mean " + nearest + "?)") +
           (scope == &app ? "" : " for '" + scope->get_name() + "'");
  }
  return "";
}

// A closed descriptor 0, 1 or 2 would be handed out by the next open():
// results printed to "stdout" would then land in a model or report file.
// /dev/null opened the wrong way round takes the slot, so reads (stdin) and
// writes (stdout, stderr) fail with EBADF as they would on the closed one.
inline void GuardStandardDescriptors() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int null = ::open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
    if (null >= 0 && null != fd) {
      ::dup2(null, fd);
      ::close(null);
    }
  }
}

// The errno of the first failed write to standard output. stdio keeps
// only an error flag (and drops the buffer) when a buffered write fails, so
// stdout is routed through WriteStdout, which remembers it.
inline int& FirstStdoutErrno() {
  static int value = 0;
  return value;
}

inline ssize_t WriteStdout(void*, const char* data, size_t size) {
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(STDOUT_FILENO, data + done, size - done);
    if (n >= 0) {
      done += static_cast<size_t>(n);
    } else if (errno != EINTR) {
      if (FirstStdoutErrno() == 0) FirstStdoutErrno() = errno;
      break;
    }
  }
  return static_cast<ssize_t>(done);  // short: stdio flags the error
}

// stdout becomes a glibc cookie stream over WriteStdout, and std::cout
// (CLI11's --help and --version) writes into the same stream. Elsewhere
// stdout stays as it is (a failure is then reported as EIO).
inline void RouteStdoutThroughWriteStdout() {
#if defined(__GLIBC__) && defined(__GLIBCXX__)
  cookie_io_functions_t io{};
  io.write = WriteStdout;
  std::FILE* routed = ::fopencookie(nullptr, "w", io);
  if (routed == nullptr) return;
  std::setvbuf(routed, nullptr, ::isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF,
               BUFSIZ);
  std::cout.flush();
  std::fflush(stdout);
  stdout = routed;
  // Never destroyed: std::cout is flushed at exit, after local statics die.
  static auto* const cout_buffer =
      new __gnu_cxx::stdio_sync_filebuf<char>(routed);
  std::cout.rdbuf(cout_buffer);
#endif
}

// True once a write to standard output failed (long-running commands stop
// early then: nobody reads their results).
inline bool StdoutFailed() { return std::ferror(stdout) != 0; }

// Flushes standard output (std::cout too) and turns a failed write into one
// "error: " line and exit 1; a command that already failed keeps its code.
inline int CheckStdout(int code) {
  // stdio first: std::cout's flush would flush stdout too and lose errno.
  errno = 0;
  const bool flushed = std::fflush(stdout) == 0;
  int err = FirstStdoutErrno() != 0 ? FirstStdoutErrno() : errno;
  std::cout.flush();
  if (flushed && !std::ferror(stdout) && std::cout.good()) return code;
  std::fprintf(stderr, "error: writing standard output: %s\n",
               std::strerror(err != 0 ? err : EIO));
  return code == 0 ? 1 : code;
}

// Parses and runs app; *exit_code is what the subcommand's callback set.
inline int RunUnchecked(CLI::App& app, int argc, char** argv,
                        const int* exit_code) {
  try {
    const std::string unknown = UnknownOption(app, argc, argv);
    if (!unknown.empty()) {
      std::fprintf(stderr, "error: %s; see --help\n", unknown.c_str());
      return kUsageError;
    }
    app.parse(argc, argv);
    return *exit_code;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "error: %s; see --help\n", e.what());
    return kUsageError;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: internal: %s\n", e.what());
    return kInternalError;
  } catch (...) {
    std::fprintf(stderr, "error: internal: unknown exception\n");
    return kInternalError;
  }
}

// Run as main() should: with the standard descriptors guarded and standard
// output checked at the end.
inline int Run(CLI::App& app, int argc, char** argv, const int* exit_code) {
  GuardStandardDescriptors();
  RouteStdoutThroughWriteStdout();
  return CheckStdout(RunUnchecked(app, argc, argv, exit_code));
}

}  // namespace tinykws::cli
