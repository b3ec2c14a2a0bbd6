// Keyword and word clips: carrier phrases, and the 1 s cut around the word
// using the engine's word timing (the word whole, at a random position;
// fragments of neighbouring words stay in).
#pragma once

#include <string>
#include <vector>

#include "common/rng.hpp"
#include "synth/speaker.hpp"

namespace tinykws::synth {

inline constexpr size_t kClipSamples = kSampleRate;  // 1 s

// ~20 phrases with "{}" where the word goes: first, in the middle, last.
const std::vector<std::string>& CarrierPhrases();

// The phrase with word put in for "{}"; *token is the word's token index.
std::string FillCarrier(const std::string& phrase, const std::string& word,
                        int* token);

// The words of a phrase other than "{}".
std::vector<std::string> CarrierWords(const std::string& phrase);

// Where token was spoken in utterance, in samples, with silent 5 ms blocks
// at its edges (40 dB below the utterance's loudest block) trimmed. False
// when the engine gave no timing for the token or it is silent.
bool WordSamples(const Utterance& utterance, int token, size_t* begin,
                 size_t* end);

// kClipSamples of samples around [begin, end): the clip's start is drawn
// uniformly among those that keep the word whole (the word centred when it
// is longer than a clip); outside the utterance is silence. Returns the
// clip's start in samples (negative: silence first).
long CutAround(const std::vector<float>& samples, size_t begin, size_t end,
               CounterRng& rng, std::vector<float>* clip);

}  // namespace tinykws::synth
