// The progress line on stderr: items done / total, clips per second and
// the time left. On a terminal it is redrawn in place ('\r'); otherwise a
// line is printed at every 10 %.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace tinykws::synth {

class ProgressLine {
 public:
  ProgressLine(uint64_t total, bool enabled, std::FILE* out = stderr);
  void Update(uint64_t done);
  void Finish(uint64_t done);  // the last state and a line break

  // "12/345 items (3 %), 812.3 clips/s, 0:05 left" (exposed for tests).
  static std::string Format(uint64_t done, uint64_t total, double seconds);

 private:
  uint64_t total_;
  bool enabled_;
  bool tty_;
  std::FILE* out_;
  int last_decile_ = -1;
  std::chrono::steady_clock::time_point start_;
  double last_draw_s_ = -1.0;
};

}  // namespace tinykws::synth
