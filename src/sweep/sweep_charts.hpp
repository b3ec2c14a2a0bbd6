// The sweep page's scatter chart: accuracy (y) against a cost (x: latency,
// bytes), built on the evaluation report's SVG primitives. Same conventions
// as eval/svg_charts.hpp: a complete <svg> element, escaped text, and
// non-finite values skipped, never written as coordinates.
#pragma once

#include <string>
#include <vector>

namespace tinykws::sweep {

struct ScatterPoint {
  double x = 0, y = 0;
  std::string label;    // written next to marks
  std::string tooltip;  // the point's <title>
  bool front = false;   // on the Pareto front: filled and highlighted
  bool mark = false;    // a reference config: a labelled diamond
};

struct ScatterChart {
  std::string x_label, y_label;
  bool y_percent = false;  // y values are fractions, ticks read "97%"
  std::vector<ScatterPoint> points;
  int width = 540, height = 360;
};

// Every point is one element with class "point" (plus " mark" and/or
// " front"), so a reader or a test can find them. Lower x and higher y are
// taken as better: the points no other point beats on both are joined by a
// dashed step line (this chart's 2-D front).
std::string RenderScatterChart(const ScatterChart& chart);

}  // namespace tinykws::sweep
