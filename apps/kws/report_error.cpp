#include <cstdio>

#include "commands.hpp"

namespace kws {

// Exit codes: 1 = bad input (file, data, model), 2 = bad usage (CLI11),
// 3 = internal error.
int ReportError(const tinykws::Status& status) {
  std::fprintf(stderr, "error: %s\n", status.message().c_str());
  return status.code() == tinykws::StatusCode::kInternal ? 3 : 1;
}

int ReportUsageError(const tinykws::Status& status) {
  std::fprintf(stderr, "error: %s\n", status.message().c_str());
  return 2;
}

void WarnTruncated(const std::string& path) {
  std::fprintf(stderr,
               "warning: %s: shorter than its header says (truncated file?); "
               "used the audio that is there\n",
               path.c_str());
}

}  // namespace kws
