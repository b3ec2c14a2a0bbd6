// Latency summaries: nearest-rank percentiles and the mean, one definition
// for `kws bench`, `kws eval` and `kws-train bench`.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace tinykws {

struct Percentiles {
  double median = 0, p90 = 0, p99 = 0, mean = 0;
};

inline Percentiles Summarize(std::vector<double> values) {
  Percentiles p;
  if (values.empty()) return p;
  std::sort(values.begin(), values.end());
  auto at = [&](double q) {
    const size_t rank = static_cast<size_t>(std::ceil(q * values.size()));
    return values[std::min(values.size() - 1, rank == 0 ? 0 : rank - 1)];
  };
  p.median = at(0.5);
  p.p90 = at(0.9);
  p.p99 = at(0.99);
  double sum = 0;
  for (double v : values) sum += v;
  p.mean = sum / values.size();
  return p;
}

}  // namespace tinykws
