#include "synth/raw_speech.hpp"

#include <cctype>

namespace tinykws::synth {

int TokenAt(const std::string& text, size_t offset) {
  if (offset >= text.size() ||
      std::isspace(static_cast<unsigned char>(text[offset]))) {
    return -1;
  }
  int token = -1;
  bool in_token = false;
  for (size_t i = 0; i <= offset; ++i) {
    const bool space = std::isspace(static_cast<unsigned char>(text[i])) != 0;
    if (!space && !in_token) ++token;
    in_token = !space;
  }
  return token;
}

int CountTokens(const std::string& text) {
  int count = 0;
  bool in_token = false;
  for (char c : text) {
    const bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
    if (!space && !in_token) ++count;
    in_token = !space;
  }
  return count;
}

}  // namespace tinykws::synth
