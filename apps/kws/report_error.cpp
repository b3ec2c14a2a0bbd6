#include <cstdio>

#include "commands.hpp"

namespace kws {

// Exit codes: 1 = bad input (file, data, model), 2 = bad usage (CLI11),
// 3 = internal error.
int ReportError(const tinykws::Status& status) {
  std::fprintf(stderr, "error: %s\n", status.message().c_str());
  return status.code() == tinykws::StatusCode::kInternal ? 3 : 1;
}

}  // namespace kws
