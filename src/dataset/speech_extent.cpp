#include "dataset/speech_extent.hpp"

#include <algorithm>

namespace tinykws {

void SpeechExtent(const std::vector<int16_t>& pcm, int sample_rate,
                  size_t* begin, size_t* end) {
  const size_t block = static_cast<size_t>(std::max(1, sample_rate / 100));
  const size_t blocks = (pcm.size() + block - 1) / block;
  std::vector<double> energy(blocks, 0.0);
  double loudest = 0.0;
  for (size_t b = 0; b < blocks; ++b) {
    const size_t from = b * block, to = std::min(pcm.size(), from + block);
    double sum = 0.0;
    for (size_t i = from; i < to; ++i) {
      sum += static_cast<double>(pcm[i]) * pcm[i];
    }
    energy[b] = sum / static_cast<double>(to - from);
    loudest = std::max(loudest, energy[b]);
  }
  *begin = 0;
  *end = pcm.size();
  if (loudest <= 0.0) return;
  // RMS >= loudest RMS / 10  <=>  energy >= loudest energy / 100.
  const double floor = loudest / 100.0;
  size_t first = 0, last = blocks - 1;
  while (energy[first] < floor) ++first;
  while (energy[last] < floor) --last;
  *begin = first * block;
  *end = std::min(pcm.size(), (last + 1) * block);
}

}  // namespace tinykws
