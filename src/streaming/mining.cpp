#include "streaming/mining.hpp"

#include <algorithm>
#include <iterator>
#include <numeric>
#include <set>

#include "streaming/spot_trace.hpp"
#include "tinykws/audio.hpp"

namespace tinykws::streaming {

StatusOr<std::vector<MinedWindow>> MineRecordings(
    const std::shared_ptr<const Model>& model,
    const std::vector<std::string>& recordings, const MiningOptions& options) {
  if (!(options.min_score >= 0.0f && options.min_score <= 1.0f)) {
    return InvalidArgument("mining: min_score must be in [0, 1]");
  }
  // A gap longer than a day keeps one window per recording anyway.
  if (!(options.min_gap_seconds >= 0.0 && options.min_gap_seconds <= 86400.0)) {
    return InvalidArgument("mining: min_gap_seconds must be in [0, 86400]");
  }
  std::vector<SpotTrace> traces;
  TINYKWS_RETURN_IF_ERROR(TraceAll(model, SpotterOptions(), {}, recordings,
                                   std::max(1, options.threads), &traces));
  StatusOr<Spotter> probe = Spotter::Create(model);
  if (!probe.ok()) return probe.status();
  const int smoothing = probe->params().smoothing_runs;
  const int64_t gap = static_cast<int64_t>(options.min_gap_seconds *
                                           model->features().sample_rate);
  std::vector<char> keyword(model->labels().size());
  for (size_t k = 0; k < keyword.size(); ++k) {
    keyword[k] = IsKeywordLabel(model->labels()[k]) ? 1 : 0;
  }
  std::vector<MinedWindow> all;
  for (size_t f = 0; f < traces.size(); ++f) {
    const SpotTrace& t = traces[f];
    const std::vector<float> smoothed = SmoothedScores(t, smoothing);
    // Per run, the best keyword; candidates in order of score, each taken
    // unless a taken one of this recording is closer than the gap.
    std::vector<MinedWindow> runs;
    for (size_t r = 0; r < t.runs(); ++r) {
      MinedWindow w{f, t.samples[r], -1, 0.0f};
      for (size_t k = 0; k < t.labels; ++k) {
        const float s = smoothed[r * t.labels + k];
        if (keyword[k] && s > w.score) {
          w.label = static_cast<int>(k);
          w.score = s;
        }
      }
      if (w.label >= 0 && w.score >= options.min_score) runs.push_back(w);
    }
    std::stable_sort(runs.begin(), runs.end(),
                     [](const MinedWindow& a, const MinedWindow& b) {
                       return a.score > b.score;
                     });
    // Taken ends, sorted: a candidate is near one when its neighbours in
    // time are. At most max_windows per recording (the best ones).
    std::set<int64_t> taken;
    for (const MinedWindow& w : runs) {
      if (taken.size() >= options.max_windows) break;
      const auto after = taken.lower_bound(w.end);
      const bool near =
          (after != taken.end() && *after - w.end < gap) ||
          (after != taken.begin() && w.end - *std::prev(after) < gap);
      if (near) continue;
      taken.insert(w.end);
      all.push_back(w);
    }
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const MinedWindow& a, const MinedWindow& b) {
                     return a.score > b.score;
                   });
  if (all.size() > options.max_windows) all.resize(options.max_windows);
  return all;
}

StatusOr<std::vector<std::vector<int16_t>>> CutWindows(
    const std::vector<std::string>& recordings,
    const std::vector<MinedWindow>& windows, int sample_rate,
    int clip_samples) {
  std::vector<std::vector<int16_t>> clips(windows.size());
  // One pass over each recording, its windows in time order.
  std::vector<size_t> order(windows.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return windows[a].recording != windows[b].recording
               ? windows[a].recording < windows[b].recording
               : windows[a].end < windows[b].end;
  });
  for (size_t i = 0; i < order.size();) {
    const size_t f = windows[order[i]].recording;
    if (f >= recordings.size()) {
      return InvalidArgument("mining: a window names no recording");
    }
    AudioReadOptions read;
    read.max_seconds = kMaxRecordingSeconds;
    StatusOr<std::unique_ptr<AudioFileStream>> file =
        AudioFileStream::Open(recordings[f], sample_rate, read);
    if (!file.ok()) return file.status();
    std::vector<int16_t> chunk, recent;  // recent: the last clip_samples
    int64_t read_end = 0;                // samples decoded so far
    bool end = false;
    for (; i < order.size() && windows[order[i]].recording == f; ++i) {
      const MinedWindow& w = windows[order[i]];
      while (read_end <= w.end && !end) {
        TINYKWS_RETURN_IF_ERROR((*file)->Read(&chunk, &end));
        recent.insert(recent.end(), chunk.begin(), chunk.end());
        read_end += static_cast<int64_t>(chunk.size());
        const size_t keep = static_cast<size_t>(clip_samples) + chunk.size();
        if (recent.size() > 2 * keep) {
          recent.erase(recent.begin(), recent.end() - keep);
        }
      }
      // recent holds samples [read_end - recent.size(), read_end).
      const int64_t first = read_end - static_cast<int64_t>(recent.size());
      std::vector<int16_t>& clip = clips[order[i]];
      clip.assign(static_cast<size_t>(clip_samples), 0);
      for (int j = 0; j < clip_samples; ++j) {
        const int64_t at = w.end - clip_samples + 1 + j;
        if (at >= first && at < read_end) {
          clip[j] = recent[static_cast<size_t>(at - first)];
        }
      }
    }
  }
  return clips;
}

}  // namespace tinykws::streaming
