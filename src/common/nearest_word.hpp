// "Did you mean": the known word nearest to a mistyped one, for error
// messages about options, subcommands and config keys.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace tinykws {

// Levenshtein distance.
inline size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// The candidate nearest to word if it is closer than max_distance, else "".
inline std::string NearestWord(const std::string& word,
                               const std::vector<std::string>& candidates,
                               size_t max_distance = 3) {
  std::string nearest;
  size_t best = max_distance;
  for (const std::string& c : candidates) {
    const size_t d = EditDistance(word, c);
    if (d < best) {
      best = d;
      nearest = c;
    }
  }
  return nearest;
}

}  // namespace tinykws
