// Phonemes for many words without starting espeak-ng in this process:
// espeak_Initialize starts a thread, and kws synth forks its workers only
// from a process without threads. A child process starts espeak-ng, checks
// the espeak voices, writes phonemes through a pipe, and exits.
#pragma once

#include <string>
#include <vector>

#include "tinykws/status.hpp"

namespace tinykws::synth {

struct PhonemizerResult {
  // Parallel to the words: espeak's en-us phonemes, space separated, ""
  // when espeak gives none.
  std::vector<std::string> phonemes;
  // Those of the checked espeak voice names that espeak-ng cannot select.
  std::vector<std::string> unknown_voices;
};

// Words must not contain line breaks (they are replaced by spaces).
StatusOr<PhonemizerResult> PhonemizeInChild(
    const std::vector<std::string>& words,
    const std::vector<std::string>& espeak_voices_to_check);

}  // namespace tinykws::synth
