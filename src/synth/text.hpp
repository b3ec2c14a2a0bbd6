// Sentences from plain text for continuous speech. A sentence ends at '.',
// '!' or '?' (with any closing quotes or brackets after it), at a blank
// line, and at a line holding only '%' (fortune files); other line breaks
// are spaces. A WordNet data line ("00001740 03 n 01 entity ... | gloss;
// \"example\"") gives its gloss parts instead. A sentence is kept when it
// has 3-30 words and only letters, spaces and common punctuation
// (, . ; : ! ? ' " - ( )): no digits, symbols or non-ASCII text.
#pragma once

#include <string>
#include <vector>

#include "tinykws/status.hpp"

namespace tinykws::synth {

// The candidate sentences of a text, whitespace collapsed, in order.
std::vector<std::string> SplitSentences(const std::string& text);

// The form rule above.
bool IsUsableSentence(const std::string& sentence);

// The words of a sentence in lowercase: runs of letters with inner
// apostrophes ("Don't go." -> {"don't", "go"}).
std::vector<std::string> SentenceWords(const std::string& sentence);

struct TextFileSentences {
  std::string path;
  size_t candidates = 0;            // sentences found
  std::vector<std::string> usable;  // those of usable form, in order
};

// Reads a text file (at most 256 MiB) and splits it. Errors: unreadable.
StatusOr<TextFileSentences> ReadTextFile(const std::string& path);

}  // namespace tinykws::synth
