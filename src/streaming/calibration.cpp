#include "streaming/calibration.hpp"

#include <algorithm>
#include <cmath>

#include "runtime/detection_logic.hpp"

namespace tinykws::streaming {

namespace {

// Scores gate replays over every stream's smoothed scores (computed once per
// smoothing window).
struct Scorer {
  Scorer(const std::vector<TracedStream>& s, const std::vector<std::string>& l,
         int rate, int64_t window_samples, float refractory_ms, int runs)
      : streams(s),
        labels(l),
        sample_rate(rate),
        window(window_samples),
        refractory(runtime::RefractorySamples(refractory_ms, rate)) {
    for (const TracedStream& t : streams) {
      smoothed.push_back(SmoothedScores(*t.trace, runs));
    }
  }

  const std::vector<TracedStream>& streams;
  const std::vector<std::string>& labels;
  int sample_rate;
  int64_t window;
  int64_t refractory;
  std::vector<std::vector<float>> smoothed;

  StreamScore Run(const std::vector<float>& thresholds) const {
    StreamScore total;
    for (size_t i = 0; i < streams.size(); ++i) {
      const SpotTrace& t = *streams[i].trace;
      static const std::vector<StreamEvent> kNone;
      const std::vector<StreamEvent>& events =
          streams[i].events != nullptr ? *streams[i].events : kNone;
      total.Add(
          ScoreDetections(events,
                          GateDetections(t, smoothed[i], labels, thresholds,
                                         refractory, sample_rate),
                          labels.size(), window, sample_rate, t.audio_samples));
    }
    return total;
  }
};

// Never fires (scores are <= 1).
constexpr float kOff = 2.0f;

// Far above any false-alarm count a trace can hold at one detection per
// refractory period, and small enough that budget + 1 stays an int.
constexpr int kMaxBudget = 1 << 30;

}  // namespace

std::vector<float> ThresholdGrid() {
  std::vector<float> grid;
  for (int i = 0; i <= 34; ++i) grid.push_back(0.30f + 0.02f * i);
  for (int d = 2; d <= 6; ++d) {
    for (int m = 9; m >= 1; --m) {
      grid.push_back(static_cast<float>(1.0 - m * std::pow(10.0, -d)));
    }
  }
  grid.push_back(1.0f);
  std::sort(grid.begin(), grid.end());
  grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
  return grid;
}

StreamScore ScoreAll(const std::vector<TracedStream>& streams,
                     const std::vector<std::string>& labels,
                     const DetectorParams& params, int sample_rate,
                     int64_t window_samples) {
  const Scorer scorer(streams, labels, sample_rate, window_samples,
                      params.refractory_ms, params.smoothing_runs);
  return scorer.Run(params.thresholds);
}

CalibrationResult Calibrate(const std::vector<TracedStream>& streams,
                            const std::vector<std::string>& labels,
                            const DetectorParams& base, int sample_rate,
                            int64_t window_samples,
                            const CalibrationOptions& options) {
  double seconds = 0.0;
  for (const TracedStream& s : streams) {
    seconds += static_cast<double>(s.trace->audio_samples) / sample_rate;
  }
  const double hours = seconds / 3600.0;
  // Clamped so that the product always fits an int (NaN counts as 0).
  const double target =
      options.target_fa_per_hour >= 0.0
          ? std::min(options.target_fa_per_hour, kMaxTargetFaPerHour)
          : 0.0;
  const int budget = static_cast<int>(std::min(
      std::floor(target * hours + 1e-9), static_cast<double>(kMaxBudget)));
  const std::vector<float> grid = ThresholdGrid();
  std::vector<size_t> keywords;
  for (size_t k = 0; k < labels.size(); ++k) {
    if (IsKeywordLabel(labels[k])) keywords.push_back(k);
  }

  CalibrationResult best;
  bool have_best = false;
  for (int runs : options.smoothing_candidates) {
    const Scorer scorer(streams, labels, sample_rate, window_samples,
                        base.refractory_ms, runs);
    // Per keyword and budget share b: the threshold with the most hits
    // among those whose false alarms stay <= b at it and every higher
    // threshold (false alarms are not strictly monotone under the
    // refractory rule; this keeps the choice safe).
    struct Choice {
      float threshold = 1.0f;
      int hits = 0, false_alarms = 0;
    };
    std::vector<std::vector<Choice>> choices(keywords.size());
    std::vector<std::vector<int>> hits(keywords.size()), fas(keywords.size());
    // A budget above every keyword's most false alarms together buys
    // nothing more, so the search (sized by the budget) stops there.
    int64_t most_false_alarms = 0;
    for (size_t i = 0; i < keywords.size(); ++i) {
      hits[i].resize(grid.size());
      fas[i].resize(grid.size());
      for (size_t g = 0; g < grid.size(); ++g) {
        std::vector<float> thresholds(labels.size(), kOff);
        thresholds[keywords[i]] = grid[g];
        const StreamScore s = scorer.Run(thresholds);
        hits[i][g] = s.found;
        fas[i][g] = s.false_alarms;
      }
      for (size_t g = grid.size() - 1; g-- > 0;) {
        fas[i][g] = std::max(fas[i][g], fas[i][g + 1]);
      }
      most_false_alarms += fas[i][0];
    }
    const int usable =
        static_cast<int>(std::min<int64_t>(budget, most_false_alarms));
    for (size_t i = 0; i < keywords.size(); ++i) {
      choices[i].resize(static_cast<size_t>(usable) + 1);
      for (int b = 0; b <= usable; ++b) {
        int most = -1;
        for (size_t g = 0; g < grid.size(); ++g) {
          if (fas[i][g] <= b) most = std::max(most, hits[i][g]);
        }
        // Nothing within the share: the strictest threshold.
        Choice c{grid.back(), hits[i].back(), fas[i].back()};
        for (size_t g = grid.size(); most >= 0 && g-- > 0;) {
          if (fas[i][g] <= b && hits[i][g] == most) {  // highest: most margin
            c = {grid[g], hits[i][g], fas[i][g]};
            break;
          }
        }
        choices[i][static_cast<size_t>(b)] = c;
      }
    }
    // Split the budget between keywords (a knapsack over few items).
    std::vector<int> best_hits(static_cast<size_t>(usable) + 1, 0);
    std::vector<std::vector<float>> best_thresholds(
        static_cast<size_t>(usable) + 1, std::vector<float>());
    for (size_t i = 0; i < keywords.size(); ++i) {
      std::vector<int> next_hits(best_hits.size(), -1);
      std::vector<std::vector<float>> next_thresholds(best_hits.size());
      for (int used = 0; used <= usable; ++used) {
        for (int b = 0; used + b <= usable; ++b) {
          const Choice& c = choices[i][static_cast<size_t>(b)];
          const int total = best_hits[static_cast<size_t>(used)] + c.hits;
          if (total > next_hits[static_cast<size_t>(used + b)]) {
            next_hits[static_cast<size_t>(used + b)] = total;
            next_thresholds[static_cast<size_t>(used + b)] =
                best_thresholds[static_cast<size_t>(used)];
            next_thresholds[static_cast<size_t>(used + b)].push_back(
                c.threshold);
          }
        }
      }
      best_hits = next_hits;
      best_thresholds = next_thresholds;
    }
    const size_t pick = static_cast<size_t>(
        std::max_element(best_hits.begin(), best_hits.end()) -
        best_hits.begin());
    CalibrationResult r;
    r.params = base;
    r.params.smoothing_runs = runs;
    r.params.thresholds.assign(labels.size(), 1.0f);
    for (size_t i = 0; i < keywords.size(); ++i) {
      r.params.thresholds[keywords[i]] = best_thresholds[pick][i];
    }
    r.score = scorer.Run(r.params.thresholds);
    r.hours = hours;
    r.budget = budget;
    r.target_met = r.score.false_alarms <= budget;
    const auto better = [](const CalibrationResult& a,
                           const CalibrationResult& b) {
      if (a.target_met != b.target_met) return a.target_met;
      if (!a.target_met && a.score.false_alarms != b.score.false_alarms) {
        return a.score.false_alarms < b.score.false_alarms;
      }
      if (a.score.found != b.score.found) return a.score.found > b.score.found;
      return a.params.smoothing_runs < b.params.smoothing_runs;  // faster
    };
    if (!have_best || better(r, best)) {
      best = r;
      have_best = true;
    }
  }
  return best;
}

std::vector<DetPoint> DetCurve(const std::vector<TracedStream>& streams,
                               const std::vector<std::string>& labels,
                               const DetectorParams& params, int sample_rate,
                               int64_t window_samples) {
  const Scorer scorer(streams, labels, sample_rate, window_samples,
                      params.refractory_ms, params.smoothing_runs);
  std::vector<DetPoint> curve;
  for (float t : ThresholdGrid()) {
    std::vector<float> thresholds(labels.size(), t);
    const StreamScore s = scorer.Run(thresholds);
    DetPoint p;
    p.threshold = t;
    p.miss_rate =
        s.keywords > 0 ? 1.0 - static_cast<double>(s.found) / s.keywords : 0.0;
    p.fa_per_hour = s.seconds > 0 ? s.false_alarms / (s.seconds / 3600.0) : 0;
    curve.push_back(p);
  }
  return curve;
}

}  // namespace tinykws::streaming
