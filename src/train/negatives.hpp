// Negatives made from audio the data set already has (docs/training.md,
// round 7): real clips played backwards, the onset of one real word joined
// to the rest of another, pitch and tempo shifts, and windows of long
// keyword-free recordings. They sound like people, unlike synthetic speech,
// and cost nothing to make.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/rng.hpp"

namespace tinykws::train {

// A clip's audio with where its word is (SpeechExtent).
struct WordAudio {
  const std::vector<int16_t>* samples = nullptr;
  size_t speech_begin = 0, speech_end = 0;
};

// The clip backwards.
void Reversed(const std::vector<int16_t>& clip, std::vector<int16_t>* out);

// The first `onset` samples of head's word (from its start), then tail from
// `cut` samples after its word begins, joined with a 5 ms cross-fade at
// sample_rate; the word keeps head's position in its clip.
void Spliced(const WordAudio& head, const WordAudio& tail, size_t onset,
             size_t cut, int sample_rate, std::vector<int16_t>* out);

// Resampled by linear interpolation to play `factor` times faster (pitch
// and tempo together, like sox "speed").
void SpeedChanged(const std::vector<int16_t>& clip, float factor,
                  std::vector<int16_t>* out);

// A window of n samples from one of the recordings, chosen with probability
// proportional to its length, at a uniform offset. Recordings shorter than
// n are zero-padded. recordings must not be empty.
void RecordingWindow(const std::vector<std::vector<int16_t>>& recordings,
                     size_t n, CounterRng& rng, std::vector<int16_t>* out);

}  // namespace tinykws::train
