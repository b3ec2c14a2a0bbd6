#include "eval/svg_charts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "eval/report_format.hpp"
#include "eval/svg_primitives.hpp"

namespace tinykws::eval {
namespace svg {

using namespace detail;  // NOLINT: the primitives are this file's vocabulary

std::string RenderLineChart(const LineChart& c) {
  double x_lo = INFINITY, x_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY;
  for (const Series& s : c.series) {
    for (size_t i = 0; i < std::min(s.y.size(), c.x.size()); ++i) {
      if (!std::isfinite(s.y[i]) || !std::isfinite(c.x[i])) continue;
      x_lo = std::min(x_lo, c.x[i]), x_hi = std::max(x_hi, c.x[i]);
      y_lo = std::min(y_lo, s.y[i]), y_hi = std::max(y_hi, s.y[i]);
    }
  }
  if (!(x_hi >= x_lo)) return NoData(c.width, c.height, c.y_label);
  if (c.y_from_zero) y_lo = std::min(y_lo, 0.0);
  const Scale ys = MakeScale(y_lo, y_hi, 5, true, false);
  const Scale xs = MakeScale(x_lo, x_hi, 6, false, true);
  const Frame f{30 + TickLabelWidth(ys, c.y_percent), 30, c.width - 12.0,
                c.height - 40.0};
  std::string out;
  OpenSvg(&out, c.width, c.height, c.y_label + " by " + c.x_label);
  YAxis(&out, f, ys, c.y_percent);
  XAxis(&out, f, xs, c.x_label);
  VerticalText(&out, 12, (f.y0 + f.y1) / 2, c.y_label);
  double legend_x = f.x0;
  const bool marker =
      !c.marker_label.empty() && c.marker_x >= xs.lo && c.marker_x <= xs.hi;
  if (marker) {
    const double x = xs.At(c.marker_x, f.x0, f.x1);
    Line(&out, x, f.y0, x, f.y1, kSlate,
         " stroke-width=\"1.5\" stroke-dasharray=\"3 2\"");
  }
  for (const Series& s : c.series) {
    std::string path, dots;
    bool pen_down = false;
    int points = 0;
    for (size_t i = 0; i < std::min(s.y.size(), c.x.size()); ++i) {
      if (!std::isfinite(s.y[i]) || !std::isfinite(c.x[i])) {
        pen_down = false;  // a gap, not a line through the missing value
        continue;
      }
      const double x = xs.At(c.x[i], f.x0, f.x1), y = ys.At(s.y[i], f.y1, f.y0);
      Put(&path, "%s%.1f %.1f ", pen_down ? "L" : "M", x, y);
      Put(&dots, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", x, y,
          s.color);
      pen_down = true;
      ++points;
    }
    if (!path.empty()) {
      Put(&out,
          "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
          "stroke-linejoin=\"round\"/>",
          path.c_str(), s.color);
    }
    if (points <= 12) out += dots;  // few points: show where they are
    legend_x = LegendItem(&out, legend_x, 12, s.color, s.name);
  }
  if (marker) LegendItem(&out, legend_x, 12, kSlate, c.marker_label, true);
  return out + "</svg>";
}

std::string RenderHeatmap(const std::vector<std::string>& labels,
                          const std::vector<std::vector<double>>& counts) {
  const size_t n = labels.size();
  if (n == 0) return NoData(300, 120, "confusion matrix");
  const double cell = std::clamp(400.0 / static_cast<double>(n), 26.0, 92.0);
  std::vector<std::string> names;
  double name_w = 0;
  for (const std::string& l : labels) {
    names.push_back(Shorten(l, 14));
    name_w = std::max(name_w, TextWidth(names.back(), 12));
  }
  const bool rotate = name_w > cell - 6;  // column labels would collide
  const double left = 34 + name_w, top = 6,
               grid = static_cast<double>(n) * cell;
  const double column_h = rotate ? name_w * 0.72 + 16 : 22;
  const double w = std::ceil(left + grid + 8),
               h = std::ceil(top + grid + column_h + 24);
  const int light_blue[3] = {239, 246, 255}, blue[3] = {29, 78, 216};
  const int light_red[3] = {254, 242, 242}, red[3] = {185, 28, 28};
  const double count_px = std::clamp(cell * 0.28, 9.0, 17.0);
  std::string out;
  OpenSvg(&out, w, h, "confusion matrix");
  for (size_t r = 0; r < n; ++r) {
    const std::vector<double> empty;
    const std::vector<double>& row = r < counts.size() ? counts[r] : empty;
    double row_sum = 0;
    for (double v : row) row_sum += std::isfinite(v) ? v : 0;
    const double y = top + static_cast<double>(r) * cell;
    Text(&out, left - 8, y + cell / 2, "end", names[r], kLabel);
    for (size_t col = 0; col < n; ++col) {
      const double v =
          col < row.size() && std::isfinite(row[col]) ? row[col] : 0;
      const double share = row_sum > 0 ? v / row_sum : 0;
      // Any confusion at all should be visible, however rare.
      const double ink = r == col ? share : v > 0 ? 0.15 + 0.85 * share : 0;
      const std::string fill = v == 0     ? "#f8fafc"
                               : r == col ? Mix(light_blue, blue, ink)
                                          : Mix(light_red, red, ink);
      const char* text = ink > 0.5 ? "#ffffff" : kInk;
      const double x = left + static_cast<double>(col) * cell;
      Put(&out, "<g><title>true %s, predicted %s: %s (%s)</title>",
          XmlEscape(labels[r]).c_str(), XmlEscape(labels[col]).c_str(),
          FormatGrouped(v).c_str(), FormatPercent(share, 1).c_str());
      Put(&out,
          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"3\" "
          "fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"2\"/>",
          x, y, cell, cell, fill.c_str());
      const bool show_share = cell >= 50;
      Put(&out,
          "<text class=\"count\" x=\"%.1f\" y=\"%.1f\" dy=\"0.35em\" "
          "text-anchor=\"middle\" font-size=\"%.0f\" font-weight=\"600\" "
          "fill=\"%s\">%s</text>",
          x + cell / 2, y + cell / 2 - (show_share ? 6 : 0), count_px, text,
          FormatGrouped(v).c_str());
      if (show_share) {
        Text(&out, x + cell / 2, y + cell / 2 + 12, "middle",
             FormatPercent(share, 1),
             ink > 0.5 ? " font-size=\"10\" fill=\"#ffffff\""
                       : " font-size=\"10\" fill=\"#4b5563\"");
      }
      out += "</g>";
    }
  }
  for (size_t col = 0; col < n; ++col) {
    const double x = left + (static_cast<double>(col) + 0.5) * cell,
                 y = top + grid + 8;
    if (rotate) {
      Put(&out,
          "<text transform=\"translate(%.1f %.1f) rotate(-45)\" "
          "text-anchor=\"end\" dy=\"0.35em\"%s>%s</text>",
          x, y + 4, kLabel, XmlEscape(names[col]).c_str());
    } else {
      Text(&out, x, y + 6, "middle", names[col], kLabel);
    }
  }
  Text(&out, left + grid / 2, h - 10, "middle", "predicted");
  VerticalText(&out, 12, top + grid / 2, "true");
  return out + "</svg>";
}

std::string RenderClassBars(const std::vector<ClassScores>& classes) {
  if (classes.empty()) return NoData(540, 120, "per-class scores");
  double name_w = 0;
  for (const ClassScores& c : classes)
    name_w = std::max(name_w, TextWidth(Shorten(c.label, 14), 12));
  const bool dense = classes.size() > 6;  // keep 12+ labels on one screen
  const double bar = dense ? 8 : 12, gap = 3, top = 30;
  const double row_h = 3 * bar + 2 * gap + (dense ? 14 : 18);
  const double w = 540,
               h = top + row_h * static_cast<double>(classes.size()) + 24;
  const Frame f{name_w + 20, top, w - 44, h - 24};
  const char* colors[3] = {kBlue, kTeal, kViolet};
  std::string out;
  OpenSvg(&out, w, h, "precision, recall and F1 per label");
  for (int i = 0; i <= 4; ++i) {
    const double x = f.x0 + (f.x1 - f.x0) * i / 4;
    Line(&out, x, f.y0, x, f.y1, kGrid);
    Text(&out, x, f.y1 + 12, "middle", FormatFixed(i / 4.0, 2));
  }
  double legend_x = f.x0;
  const char* names[3] = {"precision", "recall", "F1"};
  for (int k = 0; k < 3; ++k)
    legend_x = LegendItem(&out, legend_x, 10, colors[k], names[k]);
  for (size_t i = 0; i < classes.size(); ++i) {
    const ClassScores& c = classes[i];
    const double y = top + 8 + row_h * static_cast<double>(i),
                 mid = y + 1.5 * bar + gap;
    Text(&out, f.x0 - 10, mid - 6, "end", Shorten(c.label, 14), kLabel);
    Text(&out, f.x0 - 10, mid + 9, "end", "n = " + FormatGrouped(c.support),
         " font-size=\"10\"");
    const double values[3] = {c.precision, c.recall, c.f1};
    for (int k = 0; k < 3; ++k) {
      const double v =
          std::isfinite(values[k]) ? std::clamp(values[k], 0.0, 1.0) : 0;
      const double by = y + k * (bar + gap), bw = (f.x1 - f.x0) * v;
      Put(&out,
          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" rx=\"2\" "
          "fill=\"%s\"/>",
          f.x0, by, bw, bar, colors[k]);
      Text(&out, f.x0 + bw + 4, by + bar / 2, "start",
           FormatFixed(values[k], 3),
           dense ? " font-size=\"9\" fill=\"#374151\""
                 : " font-size=\"10\" fill=\"#374151\"");
    }
  }
  return out + "</svg>";
}

std::string RenderHistogram(double bin_width, const std::vector<double>& counts,
                            const std::vector<Marker>& markers,
                            const std::string& x_label) {
  const int w = 640, h = 270;
  if (counts.empty() || !(bin_width > 0)) return NoData(w, h, x_label);
  double max_count = 1;
  for (double c : counts)
    max_count = std::max(max_count, std::isfinite(c) ? c : 0);
  const Scale ys = MakeScale(0, max_count, 4, true, true);
  const Scale xs = MakeScale(0, bin_width * static_cast<double>(counts.size()),
                             8, false, false);
  Frame f{30 + TickLabelWidth(ys, false), 0, w - 16.0, h - 40.0};

  // Marker labels go in rows above the plot, a new row only when a label
  // would run into one already placed; this sets the top margin.
  struct Placed {
    double x, text_x;
    int row;
    const Marker* marker;
    std::string text;
  };
  std::vector<const Marker*> sorted;
  for (const Marker& m : markers) {
    if (std::isfinite(m.x)) sorted.push_back(&m);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const Marker* a, const Marker* b) { return a->x < b->x; });
  std::vector<Placed> placed;
  std::vector<double> row_end;
  for (const Marker* m : sorted) {
    const double x = xs.At(std::clamp(m->x, xs.lo, xs.hi), f.x0, f.x1);
    const std::string text = m->name + " " + FormatFixed(m->x, 1);
    const double tw = TextWidth(text, 11);
    const double start = x + 4 + tw > f.x1 ? x - 4 - tw : x + 4;
    int row = 0;
    while (row < static_cast<int>(row_end.size()) && row_end[row] + 8 > start)
      ++row;
    if (row == static_cast<int>(row_end.size())) row_end.push_back(0);
    row_end[row] = start + tw;
    placed.push_back({x, start, row, m, text});
  }
  f.y0 = 14.0 + 15.0 * static_cast<double>(row_end.size());

  std::string out;
  OpenSvg(&out, w, h, x_label);
  YAxis(&out, f, ys, false);
  VerticalText(&out, 12, (f.y0 + f.y1) / 2, "clips");
  for (size_t i = 0; i < counts.size(); ++i) {
    const double c = std::isfinite(counts[i]) ? counts[i] : 0;
    const double lo = bin_width * static_cast<double>(i), hi = lo + bin_width;
    const double x0 = xs.At(lo, f.x0, f.x1), x1 = xs.At(hi, f.x0, f.x1);
    // A bin with a few slow clips must not vanish next to a bin of hundreds.
    const double y = c > 0 ? std::min(ys.At(c, f.y1, f.y0), f.y1 - 2) : f.y1;
    Put(&out,
        "<g><title>%s to %s \xC2\xB5s: %s clips</title><rect x=\"%.1f\" "
        "y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#93c5fd\"/></g>",
        FormatFixed(lo, 1).c_str(), FormatFixed(hi, 1).c_str(),
        FormatGrouped(c).c_str(), x0 + 0.5, y, std::max(x1 - x0 - 1, 0.5),
        f.y1 - y);
  }
  XAxis(&out, f, xs, x_label);
  for (const Placed& p : placed) {
    const double label_y = 12.0 + 15.0 * p.row;
    char extra[96];
    std::snprintf(extra, sizeof extra, " font-weight=\"600\" fill=\"%s\"",
                  p.marker->color);
    Line(&out, p.x, label_y + 6, p.x, f.y1, p.marker->color,
         " stroke-width=\"1.5\" stroke-dasharray=\"4 3\"");
    Text(&out, p.text_x, label_y, "start", p.text, extra);
  }
  return out + "</svg>";
}

}  // namespace svg
}  // namespace tinykws::eval
