#include "sweep/sweep_charts.hpp"

#include <algorithm>
#include <cmath>

#include "eval/report_format.hpp"
#include "eval/svg_charts.hpp"
#include "eval/svg_primitives.hpp"

namespace tinykws::sweep {

using namespace eval::svg::detail;  // NOLINT: the primitives' vocabulary
using eval::XmlEscape;

namespace {

constexpr const char* kFrontColor = eval::svg::kOrange;
constexpr const char* kMarkColor = eval::svg::kViolet;
constexpr const char* kOtherColor = "#64748b";

struct Box {
  double x0, y0, x1, y1;
  bool Overlaps(const Box& o) const {
    return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1;
  }
  bool Inside(const Frame& f) const {
    return x0 >= f.x0 && x1 <= f.x1 && y0 >= f.y0 && y1 <= f.y1;
  }
};

// The points no other point beats on both axes (x lower, y higher), by x.
std::vector<const ScatterPoint*> StepFront(
    std::vector<const ScatterPoint*> points) {
  std::sort(points.begin(), points.end(),
            [](const ScatterPoint* a, const ScatterPoint* b) {
              return a->x != b->x ? a->x < b->x : a->y > b->y;
            });
  std::vector<const ScatterPoint*> front;
  for (const ScatterPoint* p : points) {
    if (front.empty() || p->y > front.back()->y) front.push_back(p);
  }
  return front;
}

// The data range padded so no point sits on the frame, not below zero for
// non-negative data and, for fractions, not above 100%.
Scale PaddedScale(double lo, double hi, int ticks, bool fraction) {
  const double pad = (hi - lo) * 0.08;
  double padded_lo = lo - pad, padded_hi = hi + pad;
  if (lo >= 0) padded_lo = std::max(padded_lo, 0.0);
  if (fraction && hi <= 1) padded_hi = std::min(padded_hi, 1.0);
  return MakeScale(padded_lo, padded_hi, ticks, true, false);
}

void Diamond(std::string* out, double x, double y, double r, const char* cls,
             const char* fill, const std::string& title) {
  Put(out,
      "<path%s d=\"M%.1f %.1fl%.1f %.1fl%.1f %.1fl%.1f %.1fz\" fill=\"%s\" "
      "stroke=\"%s\" stroke-width=\"2\">%s</path>",
      cls, x, y - r, r, r, -r, r, -r, -r, fill, kMarkColor, title.c_str());
}

void Dot(std::string* out, double x, double y, bool front, const char* cls,
         const std::string& title) {
  Put(out,
      "<circle%s cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\" stroke=\"%s\" "
      "stroke-width=\"1.5\">%s</circle>",
      cls, x, y, front ? "5.5" : "4.5", front ? kFrontColor : "#ffffff",
      front ? "#ffffff" : kOtherColor, title.c_str());
}

enum class Symbol { kFront, kOther, kMark, kStepLine };

// The legend's symbols drawn like the points; returns where the next starts.
double LegendItem(std::string* out, double x, double y, Symbol symbol,
                  const std::string& name) {
  switch (symbol) {
    case Symbol::kFront:
      Dot(out, x + 6, y, true, "", "");
      break;
    case Symbol::kOther:
      Dot(out, x + 6, y, false, "", "");
      break;
    case Symbol::kMark:
      Diamond(out, x + 6, y, 6, "", "#ffffff", "");
      break;
    case Symbol::kStepLine:
      Line(out, x, y, x + 16, y, kFrontColor,
           " stroke-width=\"1.5\" stroke-dasharray=\"4 3\"");
      break;
  }
  const double text_x = x + (symbol == Symbol::kStepLine ? 21 : 16);
  Text(out, text_x, y, "start", name, " fill=\"#1f2937\"");
  return text_x + TextWidth(name, 11) + 16;
}

// Places a mark's label right, left, above or below the mark, whichever
// first overlaps no earlier label and no point and stays in the frame.
Box PlaceLabel(double x, double y, double w, const Frame& f,
               const std::vector<Box>& taken, const char** anchor) {
  struct Candidate {
    Box box;
    const char* anchor;
  };
  const Candidate candidates[] = {
      {{x + 10, y - 8, x + 10 + w, y + 8}, "start"},
      {{x - 10 - w, y - 8, x - 10, y + 8}, "end"},
      {{x - w / 2, y - 24, x + w / 2, y - 8}, "middle"},
      {{x - w / 2, y + 8, x + w / 2, y + 24}, "middle"}};
  for (const Candidate& c : candidates) {
    if (!c.box.Inside(f)) continue;
    if (std::none_of(taken.begin(), taken.end(),
                     [&](const Box& b) { return b.Overlaps(c.box); })) {
      *anchor = c.anchor;
      return c.box;
    }
  }
  // Crowded: the first candidate that fits the frame, overlaps or not.
  for (const Candidate& c : candidates) {
    if (c.box.Inside(f)) {
      *anchor = c.anchor;
      return c.box;
    }
  }
  *anchor = candidates[0].anchor;
  return candidates[0].box;
}

}  // namespace

std::string RenderScatterChart(const ScatterChart& c) {
  std::vector<const ScatterPoint*> points;
  double x_lo = INFINITY, x_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY;
  for (const ScatterPoint& p : c.points) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
    points.push_back(&p);
    x_lo = std::min(x_lo, p.x), x_hi = std::max(x_hi, p.x);
    y_lo = std::min(y_lo, p.y), y_hi = std::max(y_hi, p.y);
  }
  if (points.empty())
    return NoData(c.width, c.height, c.y_label + " by " + c.x_label);
  const Scale xs = PaddedScale(x_lo, x_hi, 6, false);
  const Scale ys = PaddedScale(y_lo, y_hi, 5, c.y_percent);
  const Frame f{30 + TickLabelWidth(ys, c.y_percent), 34, c.width - 18.0,
                c.height - 44.0};
  auto at = [&](const ScatterPoint& p) {
    return std::make_pair(xs.At(p.x, f.x0, f.x1), ys.At(p.y, f.y1, f.y0));
  };

  std::string out;
  OpenSvg(&out, c.width, c.height, c.y_label + " by " + c.x_label);
  for (double v : xs.Ticks()) {
    const double x = xs.At(v, f.x0, f.x1);
    Line(&out, x, f.y0, x, f.y1, kGrid);
  }
  YAxis(&out, f, ys, c.y_percent);
  XAxis(&out, f, xs, c.x_label);
  VerticalText(&out, 12, (f.y0 + f.y1) / 2, c.y_label);

  const std::vector<const ScatterPoint*> front = StepFront(points);
  if (front.size() > 1) {
    std::string path;
    for (size_t i = 0; i < front.size(); ++i) {
      const auto [x, y] = at(*front[i]);
      if (i == 0) {
        Put(&path, "M%.1f %.1f", x, y);
      } else {
        Put(&path, "L%.1f %.1fL%.1f %.1f", x, at(*front[i - 1]).second, x, y);
      }
    }
    Put(&out,
        "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
        "stroke-dasharray=\"4 3\" stroke-opacity=\"0.8\"/>",
        path.c_str(), kFrontColor);
  }

  // Plain trials first, the front over them, marks on top.
  std::vector<const ScatterPoint*> order = points;
  auto layer = [](const ScatterPoint* p) { return p->mark ? 2 : p->front; };
  std::stable_sort(order.begin(), order.end(),
                   [&](const ScatterPoint* a, const ScatterPoint* b) {
                     return layer(a) < layer(b);
                   });
  std::vector<Box> taken;  // mark labels must not cover points or each other
  for (const ScatterPoint* p : points) {
    const auto [x, y] = at(*p);
    taken.push_back({x - 5, y - 5, x + 5, y + 5});
  }
  for (const ScatterPoint* p : order) {
    const auto [x, y] = at(*p);
    const std::string title = "<title>" + XmlEscape(p->tooltip) + "</title>";
    const std::string cls = std::string(" class=\"point") +
                            (p->mark ? " mark" : "") +
                            (p->front ? " front" : "") + "\"";
    if (!p->mark) {
      Dot(&out, x, y, p->front, cls.c_str(), title);
      continue;
    }
    Diamond(&out, x, y, 7, cls.c_str(), p->front ? kFrontColor : "#ffffff",
            title);
    const std::string label = Shorten(p->label, 18);
    const char* anchor = "start";
    const Box box = PlaceLabel(x, y, TextWidth(label, 12), f, taken, &anchor);
    taken.push_back(box);
    const double text_x = anchor[0] == 's'   ? box.x0
                          : anchor[0] == 'e' ? box.x1
                                             : (box.x0 + box.x1) / 2;
    Text(&out, text_x, (box.y0 + box.y1) / 2, anchor, label,
         " font-size=\"12\" font-weight=\"600\" fill=\"#5b21b6\" "
         "stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"");
  }

  double legend_x = LegendItem(&out, f.x0, 14, Symbol::kFront, "Pareto front");
  legend_x = LegendItem(&out, legend_x, 14, Symbol::kOther, "other trial");
  if (std::any_of(points.begin(), points.end(),
                  [](const ScatterPoint* p) { return p->mark; })) {
    legend_x = LegendItem(&out, legend_x, 14, Symbol::kMark, "reference");
  }
  if (front.size() > 1) {
    LegendItem(&out, legend_x, 14, Symbol::kStepLine, "best trade-offs here");
  }
  return out + "</svg>";
}

}  // namespace tinykws::sweep
