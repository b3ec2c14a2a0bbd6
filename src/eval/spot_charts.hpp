// Inline SVG charts of the stream evaluation report: the DET curve and the
// timeline of the keyword stream. Same conventions as svg_charts.hpp
// (complete <svg> elements, escaped text, no non-finite coordinates).
#pragma once

#include <string>
#include <vector>

namespace tinykws::eval::svg {

struct DetChartPoint {
  double fa_per_hour = 0, miss_rate = 0;
};

// Miss rate (y) against false alarms per hour (x, logarithmic; 0 drawn on
// its own column at the left), one curve for a common threshold, plus the
// operating point of the stored thresholds.
std::string RenderDetChart(const std::vector<DetChartPoint>& curve,
                           const DetChartPoint& operating_point);

struct TimelineEvent {
  double start_s = 0, end_s = 0;
  int keyword = -1;  // index into the keyword list, -1: another word
  bool found = false;
  std::string title;
};
struct TimelineDetection {
  double time_s = 0;
  int keyword = 0;
  bool hit = false;
  std::string title;
};

// Rows of one minute: words as bars (keywords in their colour, other words
// grey, missed keywords outlined red), detections as ticks above them
// (hits in the keyword's colour, false alarms red).
std::string RenderTimeline(double seconds,
                           const std::vector<std::string>& keywords,
                           const std::vector<TimelineEvent>& events,
                           const std::vector<TimelineDetection>& detections);

}  // namespace tinykws::eval::svg
