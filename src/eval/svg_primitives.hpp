// Drawing primitives and scales for the SVG charts (svg_charts.cpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tinykws::eval::svg::detail {

inline constexpr const char* kGrid = "#e5e7eb";
inline constexpr const char* kAxis = "#9ca3af";
inline constexpr const char* kMuted = "#6b7280";
inline constexpr const char* kInk = "#1f2937";
inline constexpr const char* kLabel = " font-size=\"12\" fill=\"#1f2937\"";

// printf into the output: an SVG is many small formatted fragments.
__attribute__((format(printf, 2, 3))) void Put(std::string* out,
                                               const char* format, ...);

// Layout needs text widths without a font engine; ~0.6 em per character is
// what common sans-serif fonts average, a little generous on purpose.
double TextWidth(std::string_view s, double font_px);

// Keeps axis labels from pushing the chart around; the full text stays in
// the cell titles and the tables.
std::string Shorten(const std::string& s, size_t max_chars);

struct Scale {
  double lo = 0, hi = 1, step = 1;
  int decimals = 0;
  double At(double v, double p0, double p1) const {
    return p0 + (v - lo) / (hi - lo) * (p1 - p0);
  }
  std::vector<double> Ticks() const;
};

// A step of 1, 2 or 5 times a power of ten giving about `target` ticks.
// `snap` widens the domain to whole steps (value axes); without it the domain
// is the data range (epochs, histogram bins).
Scale MakeScale(double lo, double hi, int target, bool snap, bool integer);
std::string TickLabel(double v, const Scale& s, bool percent);
double TickLabelWidth(const Scale& s, bool percent);

struct Frame {
  double x0, y0, x1, y1;  // plot area; y0 is the top
};

void OpenSvg(std::string* out, double w, double h, const std::string& label);
void Text(std::string* out, double x, double y, const char* anchor,
          const std::string& text, const char* extra = "");
void VerticalText(std::string* out, double x, double y,
                  const std::string& text);
void Line(std::string* out, double x1, double y1, double x2, double y2,
          const char* color, const char* extra = "");
// Horizontal grid lines with value labels on the left.
void YAxis(std::string* out, const Frame& f, const Scale& s, bool percent);
// Base line, ticks and their labels, and the axis title below them.
void XAxis(std::string* out, const Frame& f, const Scale& s,
           const std::string& title);
// One legend entry at (x, y); returns the x where the next one starts.
double LegendItem(std::string* out, double x, double y, const char* color,
                  const std::string& name, bool vertical_dash = false);
std::string NoData(int w, int h, const std::string& what);
// Linear blend of two RGB colors as "#rrggbb".
std::string Mix(const int a[3], const int b[3], double t);

}  // namespace tinykws::eval::svg::detail
