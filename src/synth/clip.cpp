#include "synth/clip.hpp"

#include <algorithm>
#include <cmath>

namespace tinykws::synth {

const std::vector<std::string>& CarrierPhrases() {
  static const std::vector<std::string> phrases = {
      "{} right away",        "{} please",
      "{} is the word",       "{} and then wait",
      "{} one more time",     "please {} now",
      "say {} again",         "now {} again",
      "we will {} today",     "tell me {} now",
      "the word {} was said", "and {} was next",
      "so {} it is",          "I said {}",
      "can you {}",           "did you say {}",
      "the next word is {}",  "they told me {}",
      "you should say {}",    "listen to this {}"};
  return phrases;
}

std::string FillCarrier(const std::string& phrase, const std::string& word,
                        int* token) {
  const size_t at = phrase.find("{}");
  if (at == std::string::npos) {
    *token = 0;
    return word;
  }
  *token = CountTokens(phrase.substr(0, at));
  return phrase.substr(0, at) + word + phrase.substr(at + 2);
}

std::vector<std::string> CarrierWords(const std::string& phrase) {
  std::vector<std::string> words;
  std::string word;
  for (char c : phrase + " ") {
    if (c == ' ') {
      if (!word.empty() && word != "{}") words.push_back(word);
      word.clear();
    } else {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return words;
}

bool WordSamples(const Utterance& utterance, int token, size_t* begin,
                 size_t* end) {
  const std::vector<float>& x = utterance.samples;
  const WordSpan* span = nullptr;
  for (const WordSpan& w : utterance.words) {
    if (w.token == token) span = &w;
  }
  if (span == nullptr || x.empty()) return false;
  size_t b = static_cast<size_t>(std::max(0.0, span->begin_s) * kSampleRate);
  size_t e = static_cast<size_t>(std::max(0.0, span->end_s) * kSampleRate);
  e = std::min(e, x.size());
  if (b >= e) return false;
  constexpr size_t kBlock = kSampleRate / 200;  // 5 ms
  auto block_power = [&](size_t start) {
    const size_t stop = std::min(x.size(), start + kBlock);
    double sum = 0.0;
    for (size_t i = start; i < stop; ++i) sum += double(x[i]) * x[i];
    return sum / static_cast<double>(stop - start);
  };
  double loudest = 0.0;
  for (size_t s = 0; s < x.size(); s += kBlock) {
    loudest = std::max(loudest, block_power(s));
  }
  const double floor = loudest * 1e-4;  // -40 dB
  while (b + kBlock < e && block_power(b) < floor) b += kBlock;
  while (e > b + kBlock && block_power(e - kBlock) < floor) e -= kBlock;
  if (block_power(b) < floor && e - b <= kBlock) return false;
  *begin = b;
  *end = e;
  return true;
}

long CutAround(const std::vector<float>& samples, size_t begin, size_t end,
               CounterRng& rng, std::vector<float>* clip) {
  const long length = static_cast<long>(kClipSamples);
  const long b = static_cast<long>(begin), e = static_cast<long>(end);
  long start;
  if (e - b >= length) {
    start = (b + e - length) / 2;
  } else {
    // Starts in [e - length, b] keep [b, e) inside the clip.
    const long lo = e - length;
    start =
        lo + static_cast<long>(rng.Below(static_cast<uint64_t>(b - lo + 1)));
  }
  clip->assign(kClipSamples, 0.0f);
  const long n = static_cast<long>(samples.size());
  for (long i = std::max(0L, -start); i < length && start + i < n; ++i) {
    (*clip)[static_cast<size_t>(i)] = samples[static_cast<size_t>(start + i)];
  }
  return start;
}

}  // namespace tinykws::synth
