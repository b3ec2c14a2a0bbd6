// What a speech engine returns: samples at the engine's own rate and where
// each whitespace-separated token of the text was spoken.
#pragma once

#include <string>
#include <vector>

namespace tinykws::synth {

struct WordSpan {
  int token = 0;         // index of the text's whitespace-separated token
  double begin_s = 0.0;  // from the start of the samples
  double end_s = 0.0;
};

struct RawSpeech {
  std::vector<float> samples;  // int16 units
  int sample_rate = 0;
  std::vector<WordSpan> words;  // in token order; a token may be missing
};

// The index of the whitespace-separated token that contains byte offset
// `offset` of text, or -1.
int TokenAt(const std::string& text, size_t offset);

// Number of whitespace-separated tokens.
int CountTokens(const std::string& text);

}  // namespace tinykws::synth
