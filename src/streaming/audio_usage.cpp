#include "streaming/audio_usage.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

namespace tinykws::streaming {

namespace {

// Length of the union of [begin, end) intervals.
int64_t UnionLength(std::vector<std::pair<int64_t, int64_t>> spans) {
  std::sort(spans.begin(), spans.end());
  int64_t total = 0, reach = std::numeric_limits<int64_t>::min();
  for (const auto& [b, e] : spans) {
    const int64_t from = std::max(b, reach);
    if (e > from) total += e - from;
    reach = std::max(reach, e);
  }
  return total;
}

// P(X <= k) for X ~ Poisson(lambda), summed in log space.
double PoissonCdf(int k, double lambda) {
  if (k < 0) return 0.0;
  if (lambda <= 0.0) return 1.0;
  double log_term = -lambda, sum = 0.0;
  for (int i = 0; i <= k; ++i) {
    if (i > 0) log_term += std::log(lambda) - std::log(static_cast<double>(i));
    sum += std::exp(log_term);
  }
  return std::min(1.0, sum);
}

// The lambda in [lo, hi] where f (decreasing in lambda) crosses target.
template <typename F>
double Solve(F f, double target, double lo, double hi) {
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (f(mid) > target ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

StreamAudioUse AudioUseOf(const std::vector<const SyntheticStream*>& streams) {
  StreamAudioUse use;
  if (streams.empty()) return use;
  const StreamSources& sources = streams.front()->sources();
  const double rate = sources.sample_rate;
  std::map<std::pair<int, int>, int> placements;  // (keyword?, clip) -> count
  std::vector<std::vector<std::pair<int64_t, int64_t>>> covered(
      sources.noise.size());
  for (const SyntheticStream* s : streams) {
    for (const StreamEvent& e : s->events()) {
      ++placements[{e.label >= 0 ? 1 : 0, e.clip}];
      use.speech.seconds += static_cast<double>(e.end - e.start) / rate;
    }
    for (const NoiseSegment& seg : s->bed()) {
      const int64_t size = static_cast<int64_t>(sources.noise[seg.file].size());
      if (size == 0) continue;
      const int64_t length = seg.end - seg.start;
      use.noise.seconds += static_cast<double>(length) / rate;
      // The segment reads the file from offset, wrapping around; once it
      // has gone round the whole file, all of it is covered.
      if (length >= size) {
        covered[seg.file].push_back({0, size});
        continue;
      }
      int64_t from = static_cast<int64_t>(seg.offset) % size, left = length;
      while (left > 0) {
        const int64_t run = std::min(left, size - from);
        covered[seg.file].push_back({from, from + run});
        left -= run;
        from = 0;
      }
    }
  }
  for (const auto& [key, count] : placements) {
    const SpeechClip& clip =
        key.first ? sources.keywords[key.second] : sources.others[key.second];
    use.speech.distinct_seconds +=
        static_cast<double>(clip.samples.size()) / rate;
    use.speech.max_repeats = std::max(use.speech.max_repeats, count);
  }
  use.speech.sources = static_cast<int>(placements.size());
  for (size_t f = 0; f < covered.size(); ++f) {
    if (covered[f].empty()) continue;
    ++use.noise.sources;
    use.noise.distinct_seconds +=
        static_cast<double>(UnionLength(std::move(covered[f]))) / rate;
  }
  return use;
}

void PoissonRateInterval(int count, double hours, double confidence,
                         double* low, double* high) {
  if (!(hours > 0.0) || count < 0 || !(confidence > 0.0 && confidence < 1.0)) {
    *low = *high = std::nan("");
    return;
  }
  const double tail = (1.0 - confidence) / 2.0;
  const double k = count;
  const double top = k + 20.0 + 20.0 * std::sqrt(k + 1.0);
  // Upper: P(X <= count; lambda) = tail. Lower: P(X >= count; lambda) = tail.
  const double upper =
      Solve([&](double l) { return PoissonCdf(count, l); }, tail, 0.0, top);
  const double lower =
      count == 0 ? 0.0
                 : Solve([&](double l) { return PoissonCdf(count - 1, l); },
                         1.0 - tail, 0.0, top);
  *low = lower / hours;
  *high = upper / hours;
}

}  // namespace tinykws::streaming
