#include "synth/words.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <string>
#include <tuple>

namespace tinykws::synth {

Phonemes SplitPhonemes(const std::string& text) {
  Phonemes out;
  std::string name;
  for (char c : text) {
    if (c == ' ') {
      if (!name.empty()) out.push_back(name);
      name.clear();
    } else {
      name += c;
    }
  }
  if (!name.empty()) out.push_back(name);
  return out;
}

std::string JoinPhonemes(const Phonemes& phonemes) {
  std::string out;
  for (const std::string& p : phonemes) {
    if (!out.empty()) out += ' ';
    out += p;
  }
  return out;
}

bool ContainsPhonemes(const Phonemes& whole, const Phonemes& part) {
  if (part.empty() || part.size() > whole.size()) return false;
  return std::search(whole.begin(), whole.end(), part.begin(), part.end()) !=
         whole.end();
}

namespace {

// espeak's vowel names start with one of these ("oU", "0", "3:", "@", "V").
bool IsVowel(const std::string& phoneme) {
  return !phoneme.empty() &&
         std::string("aeiouAEIOUV03@").find(phoneme[0]) != std::string::npos;
}

// Levenshtein distance where inserting, deleting or substituting phoneme p
// costs cost(p) (a substitution: the larger of the two costs).
template <typename Cost>
size_t Levenshtein(const Phonemes& a, const Phonemes& b, Cost cost) {
  std::vector<size_t> row(b.size() + 1, 0);
  for (size_t j = 1; j <= b.size(); ++j) row[j] = row[j - 1] + cost(b[j - 1]);
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] += cost(a[i - 1]);
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      const size_t substitute =
          a[i - 1] == b[j - 1] ? 0 : std::max(cost(a[i - 1]), cost(b[j - 1]));
      row[j] = std::min({row[j] + cost(a[i - 1]), row[j - 1] + cost(b[j - 1]),
                         diagonal + substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// An edit touching a vowel costs 2, one touching only consonants 1: "no"
// (n for g) is nearer "go" than "guy" (aI for oU).
size_t WeightedDistance(const Phonemes& a, const Phonemes& b) {
  return Levenshtein(
      a, b, [](const std::string& p) -> size_t { return IsVowel(p) ? 2 : 1; });
}

}  // namespace

size_t PhonemeDistance(const Phonemes& a, const Phonemes& b) {
  return Levenshtein(a, b, [](const std::string&) -> size_t { return 1; });
}

bool IsListWord(const std::string& word) {
  if (word.size() < 2 || word.size() > 12) return false;
  for (char c : word) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

StatusOr<std::vector<std::string>> ReadWordList(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFound(path + ": cannot open the word list");
  std::vector<std::string> words;
  std::string line;
  size_t lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
      line.pop_back();
    }
    if (IsListWord(line)) words.push_back(line);
  }
  if (in.bad()) return IoError(path + ": read error");
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  if (words.empty()) {
    return InvalidArgument(path + ": no usable word in " +
                           std::to_string(lines) +
                           " lines (expected lowercase a-z words of 2-12 "
                           "letters, one a line)");
  }
  return words;
}

StatusOr<std::string> NormalizeKeyword(const std::string& keyword) {
  std::string out;
  for (char c : keyword) {
    if (!std::isalpha(static_cast<unsigned char>(c))) {
      return InvalidArgument("--keyword '" + keyword +
                             "': the engines can only say words of letters "
                             "a-z");
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (out.empty()) return InvalidArgument("--keyword: empty keyword");
  return out;
}

bool ClashesWithKeyword(const std::string& word, const Phonemes& phonemes,
                        const std::vector<Keyword>& keywords) {
  for (const Keyword& k : keywords) {
    if (word == k.word || ContainsPhonemes(phonemes, k.phonemes)) return true;
  }
  return false;
}

std::vector<std::string> NearestWords(const Keyword& keyword,
                                      const std::vector<std::string>& words,
                                      const std::vector<Phonemes>& phonemes,
                                      const std::vector<Keyword>& keywords,
                                      size_t n) {
  // One spelling per pronunciation: the shortest, then alphabetical.
  std::map<Phonemes, const std::string*> spelling;
  for (size_t i = 0; i < words.size() && i < phonemes.size(); ++i) {
    if (phonemes[i].empty()) continue;
    const std::string* best = spelling[phonemes[i]];
    if (best == nullptr || words[i].size() < best->size() ||
        (words[i].size() == best->size() && words[i] < *best)) {
      spelling[phonemes[i]] = &words[i];
    }
  }
  // Distance, weighted distance, length difference, word.
  using Ranked = std::tuple<size_t, size_t, size_t, std::string>;
  std::vector<Ranked> ranked;
  for (const auto& [ph, word] : spelling) {
    const size_t distance = PhonemeDistance(ph, keyword.phonemes);
    if (distance == 0) continue;
    // A neighbour is an other word: the rule of every other word applies
    // ("goat" and "stops" hold a whole keyword; as _unknown_ they would
    // teach the model to reject the keyword followed by speech).
    if (ClashesWithKeyword(*word, ph, keywords)) continue;
    const size_t length_gap = ph.size() > keyword.phonemes.size()
                                  ? ph.size() - keyword.phonemes.size()
                                  : keyword.phonemes.size() - ph.size();
    ranked.emplace_back(distance, WeightedDistance(ph, keyword.phonemes),
                        length_gap, *word);
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> out;
  for (size_t i = 0; i < ranked.size() && i < n; ++i) {
    out.push_back(std::get<3>(ranked[i]));
  }
  return out;
}

}  // namespace tinykws::synth
