// Inline SVG charts for the HTML report.
//
// Every chart is a complete <svg> element (XHTML-compatible: all tags closed,
// attributes quoted, text escaped) whose scales are computed from the data
// passed in. Non-finite values are skipped, never written as coordinates.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "eval/report_format.hpp"

namespace tinykws::eval {

// ---- Charts ----

namespace svg {

// One palette for every chart and the page CSS.
inline constexpr const char* kBlue = "#2563eb";
inline constexpr const char* kOrange = "#ea580c";
inline constexpr const char* kTeal = "#0d9488";
inline constexpr const char* kViolet = "#7c3aed";
inline constexpr const char* kSlate = "#475569";

struct Series {
  std::string name;
  std::vector<double> y;  // one per x; NaN leaves a gap
  const char* color = kBlue;
};

struct LineChart {
  std::string x_label, y_label;
  std::vector<double> x;
  std::vector<Series> series;
  bool y_from_zero = false;
  bool y_percent = false;    // y values are fractions, ticks read "80%"
  double marker_x = 0;       // vertical dashed line, e.g. the best epoch
  std::string marker_label;  // empty: no marker
  int width = 360, height = 250;
};
std::string RenderLineChart(const LineChart& chart);

// Confusion matrix [true][predicted]; cells shaded by the share of the true
// class (row-normalized), blue on the diagonal, red off it.
std::string RenderHeatmap(const std::vector<std::string>& labels,
                          const std::vector<std::vector<double>>& counts);

struct ClassScores {
  std::string label;
  double precision = 0, recall = 0, f1 = 0, support = 0;
};
// Grouped horizontal bars, precision / recall / F1 per label on a 0..1 axis.
std::string RenderClassBars(const std::vector<ClassScores>& classes);

struct Marker {
  std::string name;
  double x = 0;
  const char* color = kSlate;
};
// Bars of counts[i] over [i * bin_width, (i + 1) * bin_width), with labelled
// vertical markers (median, p90, ...) placed so their labels never overlap.
std::string RenderHistogram(double bin_width, const std::vector<double>& counts,
                            const std::vector<Marker>& markers,
                            const std::string& x_label);

}  // namespace svg
}  // namespace tinykws::eval
