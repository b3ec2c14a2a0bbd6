// The plan: every clip and every speech file of a run, with its text,
// voice and seed, drawn from --seed before anything is rendered. Rendering
// an item depends only on the item, so the plan can be split across
// processes in any way.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "synth/voice.hpp"
#include "synth/words.hpp"

namespace tinykws::synth {

enum class FolderKind { kKeyword, kWord, kNeighbour, kSpeech };
const char* FolderKindName(FolderKind kind);

struct ClipItem {
  std::string folder;  // the word's folder
  std::string word;    // the word cut out
  std::string text;    // what is spoken: the word or a carrier phrase
  int token = 0;       // the word's token in text
  bool carrier = false;
  Voice voice;
  uint64_t seed = 0;  // the cut and the augmentation
  std::string file;   // "go/espeak-en-us-m3_nohash_3.wav"
};

struct SpeechSentence {
  std::string text;
  Voice voice;
  float pause_s = 0.0f;  // silence after the sentence
  uint64_t seed = 0;
};

// One long recording: sentences in order until target_s is reached; the
// plan reserves more sentences than the estimate needs (each used at most
// once in the whole run; the unused ones are never spoken).
struct SpeechFile {
  std::string file;  // "_speech_/speech_0000.wav"
  double target_s = 0.0;
  std::vector<SpeechSentence> sentences;
};

struct PlanRequest {
  std::vector<Keyword> keywords;
  int keyword_clips = 0;           // per keyword
  std::vector<std::string> words;  // other words (their folders)
  // Neighbour words and the keyword each belongs to.
  std::vector<std::pair<std::string, std::string>> neighbours;
  int clips_per_word = 0;              // other words and neighbours
  std::vector<std::string> carriers;   // phrases allowed ("{}" form)
  std::vector<std::string> sentences;  // usable, distinct
  double speech_seconds = 0.0;         // 0: no speech
  VoiceSet voices;
  uint64_t seed = 0;
};

struct Plan {
  std::vector<ClipItem> clips;
  std::vector<SpeechFile> speech;
  std::map<std::string, FolderKind> folders;
  double speech_target_s = 0.0;   // what was asked
  double speech_planned_s = 0.0;  // estimated for the planned sentences
  bool text_ran_out = false;      // too few sentences for the target
  size_t sentences_available = 0;
};

// The longest speech file (ReadAudio reads up to 600 s by default).
inline constexpr double kSpeechFileSeconds = 600.0;

Plan DrawPlan(const PlanRequest& request);

// A rough duration of a sentence spoken by voice, in seconds.
double EstimateSeconds(const std::string& sentence, const Voice& voice);

}  // namespace tinykws::synth
