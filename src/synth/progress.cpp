#include "synth/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace tinykws::synth {

namespace {

std::string Duration(double seconds) {
  const long s = static_cast<long>(std::lround(seconds));
  char text[32];
  if (s >= 3600) {
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60,
                  s % 60);
  } else {
    std::snprintf(text, sizeof text, "%ld:%02ld", s / 60, s % 60);
  }
  return text;
}

}  // namespace

ProgressLine::ProgressLine(uint64_t total, bool enabled, std::FILE* out)
    : total_(total),
      enabled_(enabled),
      tty_(::isatty(::fileno(out)) != 0),
      out_(out),
      start_(std::chrono::steady_clock::now()) {}

std::string ProgressLine::Format(uint64_t done, uint64_t total,
                                 double seconds) {
  const double rate = seconds > 0.0 ? static_cast<double>(done) / seconds : 0.0;
  const int percent = total == 0
                          ? 100
                          : static_cast<int>(100.0 * static_cast<double>(done) /
                                             static_cast<double>(total));
  char text[160];
  std::snprintf(text, sizeof text, "%llu/%llu items (%d %%), %.1f clips/s",
                static_cast<unsigned long long>(done),
                static_cast<unsigned long long>(total), percent, rate);
  std::string line = text;
  if (rate > 0.0 && done < total) {
    line += ", " + Duration(static_cast<double>(total - done) / rate) + " left";
  } else if (done >= total) {
    line += ", " + Duration(seconds) + " in all";
  }
  return line;
}

void ProgressLine::Update(uint64_t done) {
  if (!enabled_) return;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
          .count();
  if (tty_) {
    if (done < total_ && seconds - last_draw_s_ < 0.2) return;
    last_draw_s_ = seconds;
    std::fprintf(out_, "\r%s\033[K", Format(done, total_, seconds).c_str());
    std::fflush(out_);
    return;
  }
  const int decile =
      total_ == 0 ? 10
                  : static_cast<int>(10 * done / std::max<uint64_t>(total_, 1));
  if (decile > last_decile_) {
    last_decile_ = decile;
    std::fprintf(out_, "%s\n", Format(done, total_, seconds).c_str());
    std::fflush(out_);
  }
}

void ProgressLine::Finish(uint64_t done) {
  if (!enabled_) return;
  Update(done);
  if (tty_) std::fprintf(out_, "\n");
}

}  // namespace tinykws::synth
