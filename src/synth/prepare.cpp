// PrepareRun: every check that can fail before any audio is made, then the
// plan. Phonemes come from a child process (phonemizer.hpp) so that this
// process never starts espeak-ng and can fork its workers afterwards.
#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include "common/staged_folder.hpp"
#include "synth/clip.hpp"
#include "synth/phonemizer.hpp"
#include "synth/synth.hpp"
#include "synth/text.hpp"

namespace tinykws::synth {

namespace {

constexpr uint64_t kWordDrawStream = 10;

std::string Num(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

Status CheckCounts(const SynthOptions& o) {
  // --keyword-clips 0: the keywords only steer the filter and --neighbours.
  const bool keyword_clips = !o.keywords.empty() && o.keyword_clips > 0;
  if (!keyword_clips && o.words == 0 && o.neighbours == 0 &&
      o.sentence_files.empty()) {
    return InvalidArgument(
        "nothing to make: give --keyword, --words, --neighbours or "
        "--sentences");
  }
  if (o.keyword_clips < 0) {
    return InvalidArgument("--keyword-clips must not be negative, got " +
                           std::to_string(o.keyword_clips));
  }
  if (o.words < 0 || o.neighbours < 0) {
    return InvalidArgument("--words and --neighbours must not be negative");
  }
  if (o.neighbours > 0 && o.keywords.empty()) {
    return InvalidArgument("--neighbours needs at least one --keyword");
  }
  if ((o.words > 0 || o.neighbours > 0) && o.clips_per_word < 1) {
    return InvalidArgument("--clips-per-word must be at least 1, got " +
                           std::to_string(o.clips_per_word));
  }
  if (o.jobs < 0) {
    return InvalidArgument("--jobs must not be negative, got " +
                           std::to_string(o.jobs));
  }
  if (!o.sentence_files.empty() &&
      (!(o.hours > 0.0) || !std::isfinite(o.hours))) {
    return InvalidArgument(
        "--hours must be a positive, finite number of hours, got " +
        Num(o.hours));
  }
  if (o.sentence_files.empty() && o.hours != 0.0) {
    return InvalidArgument("--hours needs --sentences FILE...");
  }
  return Status::Ok();
}

// Every word whose phonemes are needed, each once.
class Vocabulary {
 public:
  size_t Add(const std::string& word) {
    const auto [it, added] = index_.emplace(word, words_.size());
    if (added) words_.push_back(word);
    return it->second;
  }
  const std::vector<std::string>& words() const { return words_; }
  const Phonemes& PhonemesOf(const std::string& word) const {
    static const Phonemes none;
    const auto it = index_.find(word);
    return it == index_.end() ? none : phonemes_[it->second];
  }
  void SetPhonemes(const std::vector<std::string>& phonemes) {
    phonemes_.clear();
    for (const std::string& p : phonemes) phonemes_.push_back(SplitPhonemes(p));
  }

 private:
  std::unordered_map<std::string, size_t> index_;
  std::vector<std::string> words_;
  std::vector<Phonemes> phonemes_;
};

// The espeak voices to check: each language once, each variant once.
std::vector<std::string> EspeakVoicesToCheck(const VoiceSet& set) {
  std::set<std::string> names;
  std::set<std::string> variants_seen;
  for (const VoiceFamily& f : set.families) {
    if (f.engine != Engine::kEspeak) continue;
    names.insert(f.name);
    for (const std::string& v : f.variants) {
      if (!v.empty() && variants_seen.insert(v).second) {
        names.insert(f.name + "+" + v);
      }
    }
  }
  return {names.begin(), names.end()};
}

bool SentenceClashes(const std::string& sentence, const Vocabulary& vocab,
                     const std::vector<Keyword>& keywords) {
  for (const std::string& w : SentenceWords(sentence)) {
    if (ClashesWithKeyword(w, vocab.PhonemesOf(w), keywords)) return true;
  }
  return false;
}

}  // namespace

StatusOr<PreparedRun> PrepareRun(const SynthOptions& options) {
  TINYKWS_RETURN_IF_ERROR(CheckCounts(options));
  PreparedRun run;
  run.options = options;
  StatusOr<VoiceSet> voices = ParseVoiceSet(options.voices);
  if (!voices.ok()) return voices.status();
  run.voices = std::move(*voices);
  TINYKWS_RETURN_IF_ERROR(CheckNewFolder(options.out_dir, options.force));

  Vocabulary vocab;
  for (const std::string& k : options.keywords) {
    StatusOr<std::string> word = NormalizeKeyword(k);
    if (!word.ok()) return word.status();
    for (const Keyword& earlier : run.keywords) {
      if (earlier.word == *word) {
        return InvalidArgument("--keyword '" + *word + "' is given twice");
      }
    }
    run.keywords.push_back(Keyword{*word, {}});
    vocab.Add(*word);
  }
  for (const std::string& phrase : CarrierPhrases()) {
    for (const std::string& w : CarrierWords(phrase)) vocab.Add(w);
  }
  std::vector<std::string> list;
  if (options.words > 0 || options.neighbours > 0) {
    StatusOr<std::vector<std::string>> read = ReadWordList(options.word_list);
    if (!read.ok()) return read.status();
    list = std::move(*read);
    for (const std::string& w : list) vocab.Add(w);
  }
  std::vector<TextFileSentences> texts;
  for (const std::string& path : options.sentence_files) {
    StatusOr<TextFileSentences> text = ReadTextFile(path);
    if (!text.ok()) return text.status();
    for (const std::string& s : text->usable) {
      for (const std::string& w : SentenceWords(s)) vocab.Add(w);
    }
    texts.push_back(std::move(*text));
  }

  StatusOr<PhonemizerResult> phonemes =
      PhonemizeInChild(vocab.words(), EspeakVoicesToCheck(run.voices));
  if (!phonemes.ok()) return phonemes.status();
  if (!phonemes->unknown_voices.empty()) {
    std::string names;
    for (const std::string& v : phonemes->unknown_voices) {
      names += (names.empty() ? "" : ", ") + v;
    }
    return InvalidArgument("espeak-ng cannot load the voice(s) " + names +
                           " of the '" + run.voices.name + "' set");
  }
  vocab.SetPhonemes(phonemes->phonemes);
  for (Keyword& k : run.keywords) {
    k.phonemes = vocab.PhonemesOf(k.word);
    if (k.phonemes.empty()) {
      return InvalidArgument("--keyword '" + k.word +
                             "': espeak-ng gives no phonemes for it");
    }
  }
  for (const std::string& phrase : CarrierPhrases()) {
    bool clash = false;
    for (const std::string& w : CarrierWords(phrase)) {
      clash = clash || ClashesWithKeyword(w, vocab.PhonemesOf(w), run.keywords);
    }
    if (!clash) run.carriers.push_back(phrase);
  }

  // Neighbours, each word once over all keywords.
  PlanRequest request;
  std::set<std::string> taken;
  if (options.neighbours > 0) {
    std::vector<Phonemes> list_phonemes;
    for (const std::string& w : list)
      list_phonemes.push_back(vocab.PhonemesOf(w));
    for (const Keyword& k : run.keywords) {
      const std::vector<std::string> nearest =
          NearestWords(k, list, list_phonemes, run.keywords,
                       static_cast<size_t>(options.neighbours) + taken.size());
      std::vector<std::string>& mine = run.neighbours[k.word];
      for (const std::string& w : nearest) {
        if (mine.size() == static_cast<size_t>(options.neighbours)) break;
        if (!taken.insert(w).second) continue;
        mine.push_back(w);
        request.neighbours.emplace_back(w, k.word);
      }
      if (mine.size() < static_cast<size_t>(options.neighbours)) {
        run.notes.push_back("keyword '" + k.word + "' has only " +
                            std::to_string(mine.size()) +
                            " phonetic neighbours in " + options.word_list);
      }
    }
  }
  if (options.words > 0) {
    std::vector<std::string> candidates;
    for (const std::string& w : list) {
      const Phonemes& ph = vocab.PhonemesOf(w);
      if (!ph.empty() && !taken.count(w) &&
          !ClashesWithKeyword(w, ph, run.keywords)) {
        candidates.push_back(w);
      }
    }
    if (candidates.size() < static_cast<size_t>(options.words)) {
      return InvalidArgument(
          "--words " + std::to_string(options.words) + ": " +
          options.word_list + " has only " + std::to_string(candidates.size()) +
          " usable words (2-12 letters a-z, no keyword sounds)");
    }
    CounterRng rng(options.seed, kWordDrawStream, 0);
    Shuffle(candidates.begin(), candidates.end(), rng);
    candidates.resize(static_cast<size_t>(options.words));
    request.words = std::move(candidates);
  }

  std::set<std::string> seen;
  for (const TextFileSentences& text : texts) {
    TextSource source{text.path, text.candidates, text.usable.size(), 0};
    for (const std::string& s : text.usable) {
      if (SentenceClashes(s, vocab, run.keywords)) continue;
      if (!seen.insert(s).second) continue;
      request.sentences.push_back(s);
      ++source.kept;
    }
    if (source.kept == 0) {
      return InvalidArgument(
          text.path + ": no usable sentence (" +
          std::to_string(text.candidates) + " found, " +
          std::to_string(text.usable.size()) +
          " of 3-30 words of letters and common punctuation, none of them "
          "new and free of keyword sounds)");
    }
    run.texts.push_back(source);
  }

  if (!options.noise_dir.empty()) {
    StatusOr<NoiseBank> bank = NoiseBank::Load(options.noise_dir);
    if (!bank.ok()) {
      return Status(bank.status().code(),
                    "--noise: " + bank.status().message());
    }
    run.noise = std::move(*bank);
  }

  request.keywords = run.keywords;
  request.keyword_clips = options.keyword_clips;
  request.clips_per_word = options.clips_per_word;
  request.carriers = run.carriers;
  request.speech_seconds =
      options.sentence_files.empty() ? 0.0 : options.hours * 3600.0;
  request.voices = run.voices;
  request.seed = options.seed;
  run.plan = DrawPlan(request);
  if (run.plan.text_ran_out) {
    run.notes.push_back(
        "the text has " + std::to_string(request.sentences.size()) +
        " usable sentences, about " + Num(run.plan.speech_planned_s / 3600.0) +
        " h of speech: less than the " + Num(options.hours) +
        " h asked; stopping there (sentences are never repeated)");
  }
  return run;
}

}  // namespace tinykws::synth
