// Domains of number flags, for CLI11's check(): a value outside its domain
// is a usage error (exit 2) naming the flag (docs/cli.md). Shared by kws and
// kws-train.
#pragma once

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace tinykws::cli {

// --threads: 0 (all cores, or a share of them) to this.
inline constexpr int kMaxThreads = 1024;

// The value of "LABEL=VALUE"; false when there is no finite number there.
inline bool ParseNumber(const std::string& text, double* value) {
  char* end = nullptr;
  *value = std::strtod(text.c_str(), &end);
  return !text.empty() && *end == '\0' && std::isfinite(*value);
}

inline std::string Interval(double min, double max, bool min_excluded) {
  char text[96];
  std::snprintf(text, sizeof text, "%s%g, %g]", min_excluded ? "(" : "[", min,
                max);
  return text;
}

// A number in [min, max] ((min, max] when min_excluded); NaN, infinities
// and text are refused.
inline CLI::Validator NumberIn(double min, double max,
                               bool min_excluded = false) {
  const std::string range = Interval(min, max, min_excluded);
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        double v = 0.0;
        const bool ok = ParseNumber(text, &v) && v <= max &&
                        (min_excluded ? v > min : v >= min);
        return ok ? "" : "must be a number in " + range + ", got " + text;
      },
      "in " + range);
}

// A whole number in [min, max].
inline CLI::Validator WholeIn(long long min, long long max) {
  const std::string range = std::to_string(min) + ".." + std::to_string(max);
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        char* end = nullptr;
        errno = 0;
        const long long v = std::strtoll(text.c_str(), &end, 10);
        const bool ok =
            !text.empty() && *end == '\0' && errno == 0 && v >= min && v <= max;
        return ok ? "" : "must be a whole number in " + range + ", got " + text;
      },
      "in " + range);
}

}  // namespace tinykws::cli
