// Inline SVG charts for the HTML report, and the text formatting both report
// renderers share so that Markdown and HTML print a number the same way.
//
// Every chart is a complete <svg> element (XHTML-compatible: all tags closed,
// attributes quoted, text escaped) whose scales are computed from the data
// passed in. Non-finite values are skipped, never written as coordinates.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tinykws::eval {

// ---- Formatting shared by report_markdown.cpp and report_html.cpp ----

// Escapes & < > " ' for XML text and attribute values; control characters
// other than tab/newline (not allowed in XML) become U+FFFD.
std::string XmlEscape(std::string_view text);
// "%.<decimals>f", or "n/a" when the value is not finite (missing in JSON).
std::string FormatFixed(double value, int decimals);
// 0.99425 -> "99.43%" with decimals = 2.
std::string FormatPercent(double fraction, int decimals);
// 133680 -> "133,680".
std::string FormatGrouped(double value);
// 6304 -> "6.2 KB" (1 KB = 1024 bytes, as flash sizes are quoted).
std::string FormatKilobytes(double bytes);
// 59.919 -> "59.9 µs".
std::string FormatMicros(double us);
// A config-like JSON value (sample rate, metadata) as written, "%g" for
// floats: 1e-06 rather than 0.000001.
std::string FormatValue(const nlohmann::json& value);
// "a/b/model.kws" -> "model.kws".
std::string Basename(const std::string& path);

// "1 clip", "2 clips".
std::string Plural(double count, const char* noun);

// Tolerant readers: the report may come from an older or hand-edited JSON,
// so a missing key or a wrong type reads as null / NaN / "" instead of
// throwing.
const nlohmann::json& Field(const nlohmann::json& object, const char* key);
double NumberField(const nlohmann::json& object, const char* key);
std::string TextField(const nlohmann::json& object, const char* key);

// A misclassified clip's {"label": score} object as (label, score) pairs,
// highest score first.
std::vector<std::pair<std::string, double>> ScoresHighestFirst(
    const nlohmann::json& scores);
// "testing (from the list files)" from the report's "data" object.
std::string SplitDescription(const nlohmann::json& data);

// The headline values of a training run's summary.json (best epoch, best
// validation accuracy, ...), formatted, in display order; missing ones left
// out.
std::vector<std::pair<std::string, std::string>> TrainingHighlights(
    const nlohmann::json& summary);

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
