#include "eval/spot_charts.hpp"

#include <algorithm>
#include <cmath>

#include "eval/report_format.hpp"
#include "eval/svg_charts.hpp"
#include "eval/svg_primitives.hpp"

namespace tinykws::eval::svg {

using namespace detail;  // NOLINT: the primitives are this file's vocabulary

namespace {

constexpr const char* kRed = "#dc2626";
const char* const kKeywordColors[] = {kBlue, kOrange, kTeal, kViolet};

const char* KeywordColor(int k) {
  return k < 0 ? "#d1d5db" : kKeywordColors[k % 4];
}

}  // namespace

std::string RenderDetChart(const std::vector<DetChartPoint>& curve,
                           const DetChartPoint& op) {
  const int w = 520, h = 300;
  double lo = INFINITY, hi = 0, miss_hi = 0;
  auto see = [&](const DetChartPoint& p) {
    if (!std::isfinite(p.fa_per_hour) || !std::isfinite(p.miss_rate)) return;
    if (p.fa_per_hour > 0) {
      lo = std::min(lo, p.fa_per_hour);
      hi = std::max(hi, p.fa_per_hour);
    }
    miss_hi = std::max(miss_hi, p.miss_rate);
  };
  for (const DetChartPoint& p : curve) see(p);
  see(op);
  if (curve.empty()) return NoData(w, h, "DET curve");
  if (!(hi > 0)) lo = hi = 1;
  const double dec_lo = std::floor(std::log10(lo));
  const double dec_hi = std::max(dec_lo + 1, std::ceil(std::log10(hi)));
  const Scale ys = MakeScale(0, std::max(miss_hi, 0.05), 5, true, false);
  // x: a column for 0 FA/h, then the decades.
  const Frame f{30 + TickLabelWidth(ys, true), 16, w - 16.0, h - 44.0};
  const double zero_x = f.x0 + 12, log_x0 = f.x0 + 52;
  auto x_of = [&](double fa) {
    if (fa <= 0) return zero_x;
    return log_x0 +
           (std::log10(fa) - dec_lo) / (dec_hi - dec_lo) * (f.x1 - log_x0);
  };
  std::string out;
  OpenSvg(&out, w, h, "miss rate by false alarms per hour");
  YAxis(&out, f, ys, true);
  Line(&out, f.x0, f.y1, f.x1, f.y1, kAxis);
  Text(&out, zero_x, f.y1 + 16, "middle", "0", kLabel);
  for (double d = dec_lo; d <= dec_hi + 1e-9; ++d) {
    const double x = x_of(std::pow(10, d));
    Line(&out, x, f.y0, x, f.y1, kGrid);
    const double v = std::pow(10, d);
    Text(&out, x, f.y1 + 16, "middle",
         v >= 1 ? FormatFixed(v, 0) : FormatFixed(v, static_cast<int>(-d)),
         kLabel);
  }
  Text(&out, (f.x0 + f.x1) / 2, h - 8, "middle",
       "false alarms per hour (log scale)", kLabel);
  VerticalText(&out, 12, (f.y0 + f.y1) / 2, "keywords missed");
  std::string path;
  for (const DetChartPoint& p : curve) {
    if (!std::isfinite(p.fa_per_hour) || !std::isfinite(p.miss_rate)) continue;
    Put(&path, "%s%.1f %.1f ", path.empty() ? "M" : "L", x_of(p.fa_per_hour),
        ys.At(p.miss_rate, f.y1, f.y0));
  }
  if (!path.empty()) {
    Put(&out, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>",
        path.c_str(), kBlue);
  }
  if (std::isfinite(op.fa_per_hour) && std::isfinite(op.miss_rate)) {
    const double x = x_of(op.fa_per_hour), y = ys.At(op.miss_rate, f.y1, f.y0);
    Put(&out,
        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"%s\" stroke=\"#fff\" "
        "stroke-width=\"2\"><title>stored thresholds: %s FA/h, %s "
        "missed</title></circle>",
        x, y, kOrange, FormatFixed(op.fa_per_hour, 2).c_str(),
        FormatPercent(op.miss_rate, 1).c_str());
  }
  double legend = f.x1 - 300;
  legend = LegendItem(&out, legend, f.y0 + 4, kBlue, "one threshold for all");
  LegendItem(&out, legend, f.y0 + 4, kOrange, "stored thresholds");
  return out + "</svg>";
}

std::string RenderTimeline(double seconds,
                           const std::vector<std::string>& keywords,
                           const std::vector<TimelineEvent>& events,
                           const std::vector<TimelineDetection>& detections) {
  const int w = 1100;
  const double row_s = 60.0, row_h = 34.0, left = 44, right = w - 10.0;
  const int rows = std::max(1, static_cast<int>(std::ceil(seconds / row_s)));
  const int legend_h = 24;
  const int h = legend_h + static_cast<int>(rows * row_h) + 22;
  std::string out;
  OpenSvg(&out, w, h, "timeline of the keyword stream");
  double lx = left;
  for (size_t k = 0; k < keywords.size(); ++k) {
    lx = LegendItem(&out, lx, 12, KeywordColor(static_cast<int>(k)),
                    keywords[k]);
  }
  lx = LegendItem(&out, lx, 12, KeywordColor(-1), "other word");
  lx = LegendItem(&out, lx, 12, kRed, "false alarm", true);
  Put(&out,
      "<rect x=\"%.1f\" y=\"6\" width=\"12\" height=\"10\" fill=\"none\" "
      "stroke=\"%s\" stroke-width=\"2\"/>",
      lx, kRed);
  Text(&out, lx + 16, 15, "start", "missed keyword", kLabel);
  auto x_of = [&](double t) {
    return left + std::fmod(t, row_s) / row_s * (right - left);
  };
  auto row_y = [&](double t) {
    return legend_h + std::floor(t / row_s) * row_h;
  };
  for (int r = 0; r < rows; ++r) {
    const double y = legend_h + r * row_h;
    Line(&out, left, y + 24, right, y + 24, kGrid);
    Text(&out, left - 6, y + 24, "end", std::to_string(r) + ":00",
         " font-size=\"11\" fill=\"#6b7280\"");
  }
  for (const TimelineEvent& e : events) {
    if (!std::isfinite(e.start_s) || !std::isfinite(e.end_s)) continue;
    const double y = row_y(e.start_s);
    // A word crossing a row boundary is drawn on its first row, clipped.
    const double x0 = x_of(e.start_s);
    const double x1 =
        std::min(right, x0 + (e.end_s - e.start_s) / row_s * (right - left));
    const bool missed = e.keyword >= 0 && !e.found;
    Put(&out,
        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"10\" "
        "fill=\"%s\"%s><title>%s</title></rect>",
        x0, y + 14, std::max(1.0, x1 - x0), KeywordColor(e.keyword),
        missed ? " stroke=\"#dc2626\" stroke-width=\"2\"" : "",
        XmlEscape(e.title).c_str());
  }
  for (const TimelineDetection& d : detections) {
    if (!std::isfinite(d.time_s)) continue;
    const double x = x_of(d.time_s), y = row_y(d.time_s);
    const char* color = d.hit ? KeywordColor(d.keyword) : kRed;
    Put(&out,
        "<path d=\"M%.1f %.1fl-4 -7h8z\" fill=\"%s\"><title>%s</title></path>",
        x, y + 12, color, XmlEscape(d.title).c_str());
  }
  return out + "</svg>";
}

}  // namespace tinykws::eval::svg
