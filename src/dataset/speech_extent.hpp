// Where the word is in a clip. Evaluation streams time detection delays
// from it; training cuts words at their onset (spliced negatives).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tinykws {

// The first and last 10 ms blocks whose RMS is at least a tenth (-20 dB) of
// the loudest block's; [begin, end) in samples. Silence: the whole clip.
void SpeechExtent(const std::vector<int16_t>& pcm, int sample_rate,
                  size_t* begin, size_t* end);

}  // namespace tinykws
