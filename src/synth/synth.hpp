// kws synth as a library: speech data made in-process with espeak-ng and
// flite. PrepareRun checks every option and draws the whole plan (no audio
// yet; errors there are usage errors); ExecuteRun renders it in worker
// processes into OUT.tmp-<pid>, writes the manifest and renames the folder
// to OUT. Layout and rules: docs/synth.md.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "synth/augment.hpp"
#include "synth/noise.hpp"
#include "synth/plan.hpp"
#include "synth/voice.hpp"
#include "synth/words.hpp"
#include "tinykws/status.hpp"

namespace tinykws::synth {

inline constexpr const char* kDefaultWordList = "/usr/share/dict/words";

struct SynthOptions {
  std::string out_dir;
  std::vector<std::string> keywords;
  int keyword_clips = 500;  // per keyword
  int words = 0;            // other words
  std::string word_list = kDefaultWordList;
  int clips_per_word = 3;  // per other word and per neighbour
  int neighbours = 0;      // per keyword
  std::vector<std::string> sentence_files;
  double hours = 0.0;  // of continuous speech (with sentence_files)
  std::string voices = "training";
  bool augment = true;
  AugmentConfig augment_config;
  std::string noise_dir;
  int jobs = 0;  // 0: every core
  uint64_t seed = 1;
  bool force = false;
  bool progress = true;
  std::string command_line;  // recorded in the manifest
  // Tests: the worker rendering this clip (plan index) fails.
  long fail_at_clip = -1;
};

struct TextSource {
  std::string path;
  size_t candidates = 0;   // sentences found
  size_t usable_form = 0;  // of usable form
  size_t kept = 0;         // without keyword sounds, not seen before
};

struct PreparedRun {
  SynthOptions options;
  VoiceSet voices;
  std::vector<Keyword> keywords;
  std::map<std::string, std::vector<std::string>> neighbours;  // by keyword
  std::vector<std::string> carriers;  // carrier phrases in use
  std::vector<TextSource> texts;
  NoiseBank noise;
  Plan plan;
  std::vector<std::string> notes;  // things the user should know
};

StatusOr<PreparedRun> PrepareRun(const SynthOptions& options);

struct SynthSummary {
  std::string out_dir;
  size_t clips = 0;
  size_t untimed_clips = 0;
  size_t speech_files = 0;
  size_t sentences = 0;
  double speech_seconds = 0.0;
  double elapsed_s = 0.0;
  std::vector<std::string> notes;
};

StatusOr<SynthSummary> ExecuteRun(const PreparedRun& run);

// The manifest's JSON text (written as OUT/tinykws-synth.json).
std::string ManifestJson(const PreparedRun& run, const SynthSummary& summary);

}  // namespace tinykws::synth
