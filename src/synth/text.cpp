#include "synth/text.hpp"

#include <cctype>
#include <cstring>
#include <fstream>
#include <sstream>

namespace tinykws::synth {

namespace {

constexpr size_t kMaxTextBytes = size_t{256} << 20;
constexpr int kMinWords = 3;
constexpr int kMaxWords = 30;

bool IsTerminator(char c) { return c == '.' || c == '!' || c == '?'; }
bool IsCloser(char c) { return c == '"' || c == '\'' || c == ')'; }

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// "00001740 03 n 01 ..." : 8 digits, a space, 2 hex digits, a space, a POS.
bool IsWordNetDataLine(const std::string& line) {
  if (line.size() < 14) return false;
  for (int i = 0; i < 8; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(line[i]))) return false;
  }
  return line[8] == ' ' && std::isxdigit(static_cast<unsigned char>(line[9])) &&
         std::isxdigit(static_cast<unsigned char>(line[10])) &&
         line[11] == ' ' && std::strchr("nvasr", line[12]) != nullptr &&
         line[13] == ' ';
}

// The gloss parts of a WordNet data line, quotes removed.
void AddWordNetGloss(const std::string& line, std::vector<std::string>* out) {
  const size_t bar = line.find(" | ");
  if (bar == std::string::npos) return;
  const std::string gloss = line.substr(bar + 3);
  size_t begin = 0;
  while (begin < gloss.size()) {
    size_t end = gloss.find(';', begin);
    if (end == std::string::npos) end = gloss.size();
    std::string part = gloss.substr(begin, end - begin);
    std::string clean;
    for (char c : part) {
      if (c != '"') clean += c;
    }
    clean = Trim(clean);
    if (!clean.empty()) out->push_back(clean);
    begin = end + 1;
  }
}

void Collapse(std::string* s) {
  std::string out;
  bool space = false;
  for (char c : *s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      out += c;
      space = false;
    }
  }
  *s = out;
}

}  // namespace

std::vector<std::string> SplitSentences(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  auto end_sentence = [&] {
    Collapse(&current);
    if (!current.empty()) out.push_back(current);
    current.clear();
  };
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string trimmed = Trim(line);
    if (trimmed.empty() || trimmed == "%") {
      end_sentence();
      continue;
    }
    if (IsWordNetDataLine(line)) {
      end_sentence();
      AddWordNetGloss(line, &out);
      continue;
    }
    for (size_t i = 0; i < line.size(); ++i) {
      current += line[i];
      if (!IsTerminator(line[i])) continue;
      while (i + 1 < line.size() &&
             (IsTerminator(line[i + 1]) || IsCloser(line[i + 1]))) {
        current += line[++i];
      }
      end_sentence();
    }
    current += ' ';
  }
  end_sentence();
  return out;
}

bool IsUsableSentence(const std::string& sentence) {
  for (char c : sentence) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalpha(u) && u < 128) continue;
    if (c == ' ' || std::strchr(",.;:!?'\"-()", c) != nullptr) continue;
    return false;
  }
  const size_t words = SentenceWords(sentence).size();
  return words >= kMinWords && words <= kMaxWords;
}

std::vector<std::string> SentenceWords(const std::string& sentence) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    while (!word.empty() && word.back() == '\'') word.pop_back();
    if (!word.empty()) words.push_back(word);
    word.clear();
  };
  for (size_t i = 0; i < sentence.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(sentence[i]);
    if (std::isalpha(c) && c < 128) {
      word += static_cast<char>(std::tolower(c));
    } else if (c == '\'' && !word.empty() && i + 1 < sentence.size() &&
               std::isalpha(static_cast<unsigned char>(sentence[i + 1]))) {
      word += '\'';
    } else {
      flush();
    }
  }
  flush();
  return words;
}

StatusOr<TextFileSentences> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(path + ": cannot open the text file");
  std::string text;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxTextBytes) {
      return OutOfRange(path + ": larger than " +
                        std::to_string(kMaxTextBytes >> 20) +
                        " MiB; split it into several --sentences files");
    }
  }
  if (in.bad()) return IoError(path + ": read error");
  TextFileSentences result;
  result.path = path;
  std::vector<std::string> candidates = SplitSentences(text);
  result.candidates = candidates.size();
  for (std::string& s : candidates) {
    if (IsUsableSentence(s)) result.usable.push_back(std::move(s));
  }
  return result;
}

}  // namespace tinykws::synth
