// kws synth: speech data made in-process with espeak-ng and flite (keyword
// clips, other words, phonetic neighbours, continuous sentences), augmented
// and written as a Speech Commands-style folder. The work is in
// src/synth (docs/synth.md); this file parses flags and prints.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "../common/cli_run.hpp"
#include "commands.hpp"
#include "synth/synth.hpp"

namespace kws {

namespace {

struct SynthParams {
  tinykws::synth::SynthOptions options;
  bool list_voices = false;
  bool no_augment = false;
  bool quiet = false;
};

// The command line as the kernel has it (recorded in the manifest).
std::string CommandLine() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(in)),
                  std::istreambuf_iterator<char>());
  std::string out;
  std::string arg;
  for (char c : raw) {
    if (c != '\0') {
      arg += c;
      continue;
    }
    const bool plain =
        !arg.empty() && arg.find_first_of(" \t'\"$\\") == std::string::npos;
    out += (out.empty() ? "" : " ") + (plain ? arg : "'" + arg + "'");
    arg.clear();
  }
  return out;
}

void PrintSet(const tinykws::synth::VoiceSet& set) {
  using tinykws::synth::Engine;
  std::printf("%s:\n", set.name.c_str());
  std::string flite, espeak;
  const std::vector<std::string>* variants = nullptr;
  for (const auto& f : set.families) {
    std::string& list = f.engine == Engine::kFlite ? flite : espeak;
    list += " " + f.name;
    if (f.weight != 1.0f)
      list += "(x" + std::to_string(f.weight).substr(0, 4) + ")";
    if (f.engine == Engine::kEspeak) variants = &f.variants;
  }
  if (!flite.empty()) std::printf("  flite voices:%s\n", flite.c_str());
  if (!espeak.empty()) std::printf("  espeak accents:%s\n", espeak.c_str());
  if (variants != nullptr) {
    std::printf("  espeak variants (%zu):", variants->size());
    for (const std::string& v : *variants) {
      std::printf(" %s", v.empty() ? "(none)" : ("'" + v + "'").c_str());
    }
    std::printf("\n");
  }
}

int RunSynth(SynthParams& p) {
  using namespace tinykws::synth;
  if (p.list_voices) {
    if (p.options.voices == "training") {  // the default: show both
      for (const VoiceSet* set : AllVoiceSets()) PrintSet(*set);
      return 0;
    }
    tinykws::StatusOr<VoiceSet> set = ParseVoiceSet(p.options.voices);
    if (!set.ok()) {
      std::fprintf(stderr, "error: %s\n", set.status().message().c_str());
      return tinykws::cli::kUsageError;
    }
    PrintSet(*set);
    return 0;
  }
  if (p.options.out_dir.empty()) {
    std::fprintf(stderr, "error: --out is required; see --help\n");
    return tinykws::cli::kUsageError;
  }
  p.options.augment = !p.no_augment;
  p.options.progress = !p.quiet;
  p.options.command_line = CommandLine();
  tinykws::StatusOr<PreparedRun> run = PrepareRun(p.options);
  if (!run.ok()) {  // everything before any work is a usage error
    std::fprintf(stderr, "error: %s\n", run.status().message().c_str());
    return tinykws::cli::kUsageError;
  }
  for (const std::string& note : run->notes) {
    std::fprintf(stderr, "note: %s\n", note.c_str());
  }
  tinykws::StatusOr<SynthSummary> summary = ExecuteRun(*run);
  if (!summary.ok()) return ReportError(summary.status());
  std::printf("wrote %s:", summary->out_dir.c_str());
  if (summary->clips > 0) {
    std::printf(" %zu clips in %zu word folders", summary->clips,
                run->plan.folders.size() - (run->plan.speech.empty() ? 0 : 1));
  }
  if (!run->plan.speech.empty()) {
    std::printf("%s %.3f h of speech in %zu file%s (%zu sentences)",
                summary->clips > 0 ? "," : "", summary->speech_seconds / 3600.0,
                summary->speech_files, summary->speech_files == 1 ? "" : "s",
                summary->sentences);
  }
  std::printf(" in %.1f s\n", summary->elapsed_s);
  for (const std::string& note : summary->notes) {
    if (std::find(run->notes.begin(), run->notes.end(), note) ==
        run->notes.end()) {
      std::fprintf(stderr, "note: %s\n", note.c_str());
    }
  }
  if (summary->untimed_clips > 0) {
    std::fprintf(stderr,
                 "note: %zu clips had no word timing and were cut around the "
                 "whole utterance\n",
                 summary->untimed_clips);
  }
  return 0;
}

}  // namespace

void AddSynthCommand(CLI::App& app, int* exit_code) {
  auto p = std::make_shared<SynthParams>();
  tinykws::synth::SynthOptions& o = p->options;
  CLI::App* cmd = app.add_subcommand(
      "synth",
      "Make speech data with espeak-ng and flite: keyword clips, other words, "
      "phonetic neighbours and continuous sentences, augmented, as a Speech "
      "Commands-style folder (docs/synth.md).");
  cmd->add_option("--out", o.out_dir,
                  "Output folder (written as OUT.tmp-PID, renamed at the end)");
  cmd->add_option("--keyword", o.keywords, "A keyword (repeatable)");
  cmd->add_option(
         "--keyword-clips", o.keyword_clips,
         "Clips per keyword (0: the keywords only steer the word filter and "
         "--neighbours)")
      ->capture_default_str();
  cmd->add_option("--words", o.words,
                  "Other words drawn from the word list (their own folders)")
      ->capture_default_str();
  cmd->add_option("--word-list", o.word_list,
                  "Word list, one a line (lowercase a-z, 2-12 letters used)")
      ->capture_default_str();
  cmd->add_option("--clips-per-word", o.clips_per_word,
                  "Clips per other word and per neighbour")
      ->capture_default_str();
  cmd->add_option("--neighbours", o.neighbours,
                  "Phonetic neighbours per keyword (nearest by phoneme edit "
                  "distance)")
      ->capture_default_str();
  cmd->add_option("--sentences", o.sentence_files,
                  "Text files for continuous speech in _speech_/ (needs "
                  "--hours)");
  cmd->add_option("--hours", o.hours, "Hours of continuous speech to make");
  cmd->add_option("--voices", o.voices,
                  "Voice set: training, evaluation, or speakers "
                  "(flite-slt,espeak-en-us-m3,...)")
      ->capture_default_str();
  cmd->add_flag("--list-voices", p->list_voices,
                "Print the voice sets and exit");
  cmd->add_flag(
      "--augment", [p](int64_t) { p->no_augment = false; },
      "Augment every clip (the default)");
  cmd->add_flag("--no-augment", p->no_augment,
                "No augmentation: clean speech at a fixed level");
  cmd->add_option("--noise", o.noise_dir,
                  "Folder of noise recordings mixed in besides procedural "
                  "noise");
  cmd->add_option("--jobs", o.jobs, "Worker processes (0: every core)")
      ->capture_default_str();
  cmd->add_option("--seed", o.seed, "Seed of every draw")
      ->capture_default_str();
  cmd->add_flag("--force", o.force, "Replace OUT if it exists");
  cmd->add_flag("--quiet", p->quiet, "No progress line");
  cmd->callback([p, exit_code] { *exit_code = RunSynth(*p); });
}

}  // namespace kws
