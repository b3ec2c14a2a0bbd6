// Words and their phonemes: the word list, keyword checks, the rule that
// keeps keyword sounds out of non-keyword speech, and phonetic neighbours.
// Phonemes are espeak-ng's en-us names (engine_espeak.hpp), one string per
// phoneme.
#pragma once

#include <string>
#include <vector>

#include "tinykws/status.hpp"

namespace tinykws::synth {

using Phonemes = std::vector<std::string>;

// "g oU" -> {"g", "oU"}.
Phonemes SplitPhonemes(const std::string& text);
std::string JoinPhonemes(const Phonemes& phonemes);

// True when `part` (non-empty) occurs as consecutive phonemes of `whole`.
bool ContainsPhonemes(const Phonemes& whole, const Phonemes& part);

// Levenshtein distance over phonemes (insert, delete, substitute: 1 each).
size_t PhonemeDistance(const Phonemes& a, const Phonemes& b);

// A word list entry is usable when it is 2-12 lowercase letters a-z.
bool IsListWord(const std::string& word);

// The usable words of a word list (one a line; others skipped), sorted and
// unique. Errors: unreadable file, no usable word.
StatusOr<std::vector<std::string>> ReadWordList(const std::string& path);

// A keyword must be letters only; returns it in lowercase, or an error.
StatusOr<std::string> NormalizeKeyword(const std::string& keyword);

struct Keyword {
  std::string word;
  Phonemes phonemes;  // non-empty
};

// The filter for every word that is not a keyword (other words, carrier
// words, sentence words): it must not be a keyword, and its phonemes must
// not contain a keyword's ("ago", "cargo" for go; "stopwatch" for stop).
bool ClashesWithKeyword(const std::string& word, const Phonemes& phonemes,
                        const std::vector<Keyword>& keywords);

// The n words nearest `keyword` by PhonemeDistance, > 0 ("go" -> "no",
// "toe", "though", ...): one spelling per pronunciation (the shortest, then
// the first alphabetically), and only words ClashesWithKeyword lets through
// (never "goat" or "stops": they hold a whole keyword). Ordered by
// distance; at equal distance edits of consonants before edits of vowels
// (rhymes first), then by difference in phoneme count, then alphabetically.
// words and phonemes are parallel; words without phonemes are skipped.
std::vector<std::string> NearestWords(const Keyword& keyword,
                                      const std::vector<std::string>& words,
                                      const std::vector<Phonemes>& phonemes,
                                      const std::vector<Keyword>& keywords,
                                      size_t n);

}  // namespace tinykws::synth
