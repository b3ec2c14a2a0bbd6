#include "train/negatives.hpp"

#include <algorithm>
#include <cmath>

#include "dataset/noise.hpp"

namespace tinykws::train {

void Reversed(const std::vector<int16_t>& clip, std::vector<int16_t>* out) {
  out->assign(clip.rbegin(), clip.rend());
}

void Spliced(const WordAudio& head, const WordAudio& tail, size_t onset,
             size_t cut, int sample_rate, std::vector<int16_t>* out) {
  const std::vector<int16_t>& a = *head.samples;
  const std::vector<int16_t>& b = *tail.samples;
  const size_t fade = static_cast<size_t>(std::max(1, sample_rate / 200));
  // head: everything up to the end of its onset; tail: from the cut on.
  const size_t head_end = std::min(a.size(), head.speech_begin + onset);
  const size_t tail_begin = std::min(b.size(), tail.speech_begin + cut);
  const size_t overlap = std::min({fade, head_end, b.size() - tail_begin});
  out->assign(a.begin(), a.begin() + static_cast<ptrdiff_t>(head_end));
  for (size_t i = 0; i < overlap; ++i) {
    const size_t at = head_end - overlap + i;
    const float w =
        (static_cast<float>(i) + 0.5f) / static_cast<float>(overlap);
    (*out)[at] = SaturateToInt16((1.0f - w) * a[at] + w * b[tail_begin + i]);
  }
  out->insert(out->end(),
              b.begin() + static_cast<ptrdiff_t>(tail_begin + overlap),
              b.end());
}

void SpeedChanged(const std::vector<int16_t>& clip, float factor,
                  std::vector<int16_t>* out) {
  out->clear();
  if (clip.empty() || !(factor > 0.0f)) return;
  const size_t n = static_cast<size_t>(
      std::floor(static_cast<double>(clip.size()) / factor));
  out->resize(n);
  for (size_t i = 0; i < n; ++i) {
    const double pos = static_cast<double>(i) * factor;
    const size_t left = static_cast<size_t>(pos);
    const double frac = pos - static_cast<double>(left);
    const double x0 = clip[std::min(left, clip.size() - 1)];
    const double x1 = clip[std::min(left + 1, clip.size() - 1)];
    (*out)[i] = SaturateToInt16(static_cast<float>(x0 + (x1 - x0) * frac));
  }
}

void RecordingWindow(const std::vector<std::vector<int16_t>>& recordings,
                     size_t n, CounterRng& rng, std::vector<int16_t>* out) {
  uint64_t total = 0;
  for (const auto& r : recordings) total += r.size();
  out->assign(n, 0);
  if (total == 0) return;
  uint64_t at = rng.Below(total);
  size_t file = 0;
  while (at >= recordings[file].size()) at -= recordings[file++].size();
  const std::vector<int16_t>& r = recordings[file];
  const size_t span = r.size() > n ? r.size() - n : 0;
  const size_t offset = span > 0 ? static_cast<size_t>(rng.Below(span + 1)) : 0;
  const size_t count = std::min(n, r.size() - offset);
  std::copy(r.begin() + static_cast<ptrdiff_t>(offset),
            r.begin() + static_cast<ptrdiff_t>(offset + count), out->begin());
}

}  // namespace tinykws::train
