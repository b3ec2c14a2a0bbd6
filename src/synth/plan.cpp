#include "synth/plan.hpp"

#include <algorithm>

#include "common/rng.hpp"
#include "synth/clip.hpp"
#include "synth/text.hpp"
#include "tinykws/dataset.hpp"

namespace tinykws::synth {

namespace {

// Streams of CounterRng(seed, stream, index): one per kind of draw.
enum Stream : uint64_t {
  kClipStream = 1,
  kSentenceOrderStream = 2,
  kSentenceStream = 3,
};

// Reserve this much more estimated speech than a file needs.
constexpr double kSentenceSurplus = 1.25;

class ClipAdder {
 public:
  ClipAdder(const PlanRequest& request, Plan* plan)
      : request_(request), plan_(plan) {}

  void Add(const std::string& word, FolderKind kind, int count) {
    if (count <= 0) return;  // no folder without clips
    plan_->folders[word] = kind;
    int& in_folder = per_folder_[word];
    for (int i = 0; i < count; ++i) {
      CounterRng rng(request_.seed, kClipStream, index_++);
      ClipItem item;
      item.folder = word;
      item.word = word;
      item.voice = DrawVoice(request_.voices, rng);
      // Half isolated, half in a carrier phrase (when any is allowed).
      item.carrier = (i % 2 == 1) && !request_.carriers.empty();
      const std::string& phrase =
          request_.carriers.empty()
              ? word
              : request_.carriers[rng.Below(request_.carriers.size())];
      if (item.carrier) {
        item.text = FillCarrier(phrase, word, &item.token);
      } else {
        item.text = word;
        item.token = 0;
      }
      item.seed = rng.Next();
      item.file = word + "/" + SpeakerName(item.voice) + "_nohash_" +
                  std::to_string(in_folder++) + ".wav";
      plan_->clips.push_back(std::move(item));
    }
  }

 private:
  const PlanRequest& request_;
  Plan* plan_;
  uint64_t index_ = 0;
  std::map<std::string, int> per_folder_;
};

std::string SpeechFileName(size_t index) {
  std::string number = std::to_string(index);
  while (number.size() < 4) number = "0" + number;
  return std::string(kSpeechFolder) + "/speech_" + number + ".wav";
}

void PlanSpeech(const PlanRequest& request, Plan* plan) {
  plan->speech_target_s = request.speech_seconds;
  plan->sentences_available = request.sentences.size();
  if (request.speech_seconds <= 0.0) return;
  plan->folders[kSpeechFolder] = FolderKind::kSpeech;
  std::vector<size_t> order(request.sentences.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  CounterRng order_rng(request.seed, kSentenceOrderStream, 0);
  Shuffle(order.begin(), order.end(), order_rng);
  size_t next = 0;
  double remaining = request.speech_seconds;
  while (remaining > 0.0 && next < order.size()) {
    SpeechFile file;
    file.file = SpeechFileName(plan->speech.size());
    file.target_s = std::min(remaining, kSpeechFileSeconds);
    double estimate = 0.0;
    while (estimate < file.target_s * kSentenceSurplus && next < order.size()) {
      CounterRng rng(request.seed, kSentenceStream, order[next]);
      SpeechSentence s;
      s.text = request.sentences[order[next++]];
      s.voice = DrawVoice(request.voices, rng);
      s.pause_s = rng.Uniform(0.2f, 1.5f);
      s.seed = rng.Next();
      estimate += EstimateSeconds(s.text, s.voice) + s.pause_s;
      file.sentences.push_back(std::move(s));
    }
    plan->speech_planned_s += std::min(estimate, file.target_s);
    remaining -= file.target_s;
    plan->speech.push_back(std::move(file));
  }
  plan->text_ran_out = plan->speech_planned_s < request.speech_seconds * 0.999;
}

}  // namespace

const char* FolderKindName(FolderKind kind) {
  switch (kind) {
    case FolderKind::kKeyword:
      return "keyword";
    case FolderKind::kWord:
      return "word";
    case FolderKind::kNeighbour:
      return "neighbour";
    case FolderKind::kSpeech:
      return "speech";
  }
  return "?";
}

double EstimateSeconds(const std::string& sentence, const Voice& voice) {
  const double words = static_cast<double>(SentenceWords(sentence).size());
  if (voice.engine == Engine::kEspeak) {
    return 0.2 + words * 60.0 / std::max(voice.rate, 80.0f);
  }
  return 0.3 + words * 0.33 * voice.rate;  // flite: ~3 words/s at stretch 1
}

Plan DrawPlan(const PlanRequest& request) {
  Plan plan;
  ClipAdder adder(request, &plan);
  for (const Keyword& k : request.keywords) {
    adder.Add(k.word, FolderKind::kKeyword, request.keyword_clips);
  }
  for (const std::string& w : request.words) {
    adder.Add(w, FolderKind::kWord, request.clips_per_word);
  }
  for (const auto& [word, keyword] : request.neighbours) {
    adder.Add(word, FolderKind::kNeighbour, request.clips_per_word);
  }
  PlanSpeech(request, &plan);
  return plan;
}

}  // namespace tinykws::synth
