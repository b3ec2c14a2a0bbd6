#include "eval/svg_primitives.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>

#include "eval/report_format.hpp"

namespace tinykws::eval::svg::detail {

std::vector<double> Scale::Ticks() const {
  std::vector<double> ticks;
  for (double k = std::ceil(lo / step - 1e-9);
       k * step <= hi + step * 1e-9 && ticks.size() < 50; ++k) {
    ticks.push_back(std::abs(k) < 0.5 ? 0.0 : k * step);  // no "-0"
  }
  return ticks;
}

// printf into the output: an SVG is many small formatted fragments.
void Put(std::string* out, const char* format, ...) {
  va_list args, again;
  va_start(args, format);
  va_copy(again, args);
  const int n = std::vsnprintf(nullptr, 0, format, args);
  if (n > 0) {
    const size_t at = out->size();
    out->resize(at + n + 1);
    std::vsnprintf(out->data() + at, n + 1, format, again);
    out->resize(at + n);
  }
  va_end(again);
  va_end(args);
}

// Layout needs text widths without a font engine; ~0.6 em per character is
// what common sans-serif fonts average, a little generous on purpose.
double TextWidth(std::string_view s, double font_px) {
  int chars = 0;
  for (char ch : s) chars += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  return chars * font_px * 0.6;
}

// Keeps axis labels from pushing the chart around; the full text stays in
// the cell titles and the tables.
std::string Shorten(const std::string& s, size_t max_chars) {
  std::vector<size_t> starts;  // byte offset of each code point
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  if (starts.size() <= max_chars) return s;
  return s.substr(0, starts[max_chars - 1]) + "\xE2\x80\xA6";
}

// A step of 1, 2 or 5 times a power of ten giving about `target` ticks.
// `snap` widens the domain to whole steps (value axes); without it the domain
// is the data range (epochs, histogram bins).
Scale MakeScale(double lo, double hi, int target, bool snap, bool integer) {
  if (!(hi > lo)) {  // constant data (one epoch, fixed learning rate)
    const double pad = lo == 0 ? 1 : std::abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const double raw = (hi - lo) / target;
  const double magnitude = std::pow(10, std::floor(std::log10(raw)));
  const double f = raw / magnitude;
  Scale s;
  s.step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * magnitude;
  if (integer) s.step = std::max(s.step, 1.0);
  s.lo = snap ? std::floor(lo / s.step + 1e-9) * s.step : lo;
  s.hi = snap ? std::ceil(hi / s.step - 1e-9) * s.step : hi;
  s.decimals = std::clamp(
      static_cast<int>(-std::floor(std::log10(s.step) + 1e-9)), 0, 8);
  return s;
}

std::string TickLabel(double v, const Scale& s, bool percent) {
  if (percent) return FormatFixed(v * 100, std::max(0, s.decimals - 2)) + "%";
  return FormatFixed(v, s.decimals);
}

double TickLabelWidth(const Scale& s, bool percent) {
  double w = 0;
  for (double v : s.Ticks())
    w = std::max(w, TextWidth(TickLabel(v, s, percent), 11));
  return w;
}

void OpenSvg(std::string* out, double w, double h, const std::string& label) {
  Put(out,
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
      "width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-label=\"%s\" "
      "font-size=\"11\" fill=\"%s\">",
      w, h, w, h, XmlEscape(label).c_str(), kMuted);
}

void Text(std::string* out, double x, double y, const char* anchor,
          const std::string& text, const char* extra) {
  Put(out,
      "<text x=\"%.1f\" y=\"%.1f\" dy=\"0.35em\" "
      "text-anchor=\"%s\"%s>%s</text>",
      x, y, anchor, extra, XmlEscape(text).c_str());
}

void VerticalText(std::string* out, double x, double y,
                  const std::string& text) {
  Put(out,
      "<text transform=\"translate(%.1f %.1f) rotate(-90)\" "
      "text-anchor=\"middle\">%s</text>",
      x, y, XmlEscape(text).c_str());
}

void Line(std::string* out, double x1, double y1, double x2, double y2,
          const char* color, const char* extra) {
  Put(out,
      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>",
      x1, y1, x2, y2, color, extra);
}

// Horizontal grid lines with value labels on the left.
void YAxis(std::string* out, const Frame& f, const Scale& s, bool percent) {
  for (double v : s.Ticks()) {
    const double y = s.At(v, f.y1, f.y0);
    Line(out, f.x0, y, f.x1, y, kGrid);
    Text(out, f.x0 - 6, y, "end", TickLabel(v, s, percent));
  }
}

// Base line, ticks and their labels, and the axis title below them.
void XAxis(std::string* out, const Frame& f, const Scale& s,
           const std::string& title) {
  Line(out, f.x0, f.y1, f.x1, f.y1, kAxis);
  for (double v : s.Ticks()) {
    const double x = s.At(v, f.x0, f.x1);
    Line(out, x, f.y1, x, f.y1 + 4, kAxis);
    Text(out, x, f.y1 + 14, "middle", TickLabel(v, s, false));
  }
  Text(out, (f.x0 + f.x1) / 2, f.y1 + 31, "middle", title);
}

// One legend entry at (x, y); returns the x where the next one starts.
double LegendItem(std::string* out, double x, double y, const char* color,
                  const std::string& name, bool vertical_dash) {
  if (vertical_dash) {
    Line(out, x + 8, y - 6, x + 8, y + 6, color,
         " stroke-width=\"1.5\" stroke-dasharray=\"3 2\"");
  } else {
    Put(out,
        "<rect x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"4\" rx=\"2\" "
        "fill=\"%s\"/>",
        x, y - 2, color);
  }
  Text(out, x + 21, y, "start", name, " fill=\"#1f2937\"");
  return x + 21 + TextWidth(name, 11) + 14;
}

std::string NoData(int w, int h, const std::string& what) {
  std::string out;
  OpenSvg(&out, w, h, what);
  Text(&out, w / 2.0, h / 2.0, "middle", "no data");
  return out + "</svg>";
}

std::string Mix(const int a[3], const int b[3], double t) {
  char buf[8];
  int c[3];
  for (int i = 0; i < 3; ++i)
    c[i] = static_cast<int>(std::lround(a[i] + (b[i] - a[i]) * t));
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c[0], c[1], c[2]);
  return buf;
}

}  // namespace tinykws::eval::svg::detail
