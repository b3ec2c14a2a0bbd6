// The manifest OUT/tinykws-synth.json: what the folder holds and how it was
// made. The data loader reads "training_only" (every clip is a training
// clip) and "synthetic"; the rest is for people and audits.
#include <cmath>
#include <nlohmann/json.hpp>

#include "synth/synth.hpp"

namespace tinykws::synth {

namespace {

// Floats as the decimals they were written as (0.8, not 0.800000011920929).
double R(float v) { return std::round(static_cast<double>(v) * 1e4) / 1e4; }

nlohmann::json AugmentationJson(const SynthOptions& o) {
  const AugmentConfig& c = o.augment_config;
  nlohmann::json j;
  j["enabled"] = o.augment;
  j["speed"] = {{"probability", R(c.speed_probability)},
                {"range", {R(c.speed_min), R(c.speed_max)}}};
  j["room"] = {{"probability", R(c.room_probability)},
               {"rt60_s", {R(c.rt60_min_s), R(c.rt60_max_s)}},
               {"drr_db", {R(c.drr_min_db), R(c.drr_max_db)}}};
  j["noise"] = {{"probability", R(c.noise_probability)},
                {"snr_db", {R(c.snr_min_db), R(c.snr_max_db)}},
                {"recording_share", R(c.recording_share)},
                {"dir", o.noise_dir}};
  j["band"] = {{"probability", R(c.band_probability)},
               {"highpass_hz", {R(c.highpass_min_hz), R(c.highpass_max_hz)}},
               {"lowpass_hz", {R(c.lowpass_min_hz), R(c.lowpass_max_hz)}}};
  j["gain"] = {{"probability", R(c.gain_probability)},
               {"db", {R(c.gain_min_db), R(c.gain_max_db)}}};
  return j;
}

}  // namespace

std::string ManifestJson(const PreparedRun& run, const SynthSummary& summary) {
  const Plan& plan = run.plan;
  nlohmann::json j;
  j["format"] = "tinykws-synth";
  j["format_version"] = 1;
  j["training_only"] = true;
  j["synthetic"] = true;
  j["tinykws_version"] = TINYKWS_VERSION;
  j["command_line"] = run.options.command_line;
  j["seed"] = run.options.seed;
  j["voice_set"] = run.voices.name;
  j["voices"] = SpeakersOf(run.voices);
  j["sample_rate"] = kSampleRate;
  j["clip_samples"] = kSampleRate;
  j["augmentation"] = AugmentationJson(run.options);

  nlohmann::json keywords = nlohmann::json::array();
  for (const Keyword& k : run.keywords) {
    keywords.push_back(
        {{"word", k.word}, {"phonemes", JoinPhonemes(k.phonemes)}});
  }
  j["keywords"] = keywords;
  j["neighbours"] = run.neighbours;
  j["carrier_phrases"] = run.carriers;

  std::map<std::string, size_t> clips_in;
  for (const ClipItem& item : plan.clips) ++clips_in[item.folder];
  std::map<std::string, std::string> neighbour_of;
  for (const auto& [keyword, words] : run.neighbours) {
    for (const std::string& w : words) neighbour_of[w] = keyword;
  }
  size_t by_kind[4] = {0, 0, 0, 0};
  nlohmann::json folders = nlohmann::json::object();
  for (const auto& [folder, kind] : plan.folders) {
    nlohmann::json f;
    f["kind"] = FolderKindName(kind);
    if (kind == FolderKind::kSpeech) {
      f["files"] = summary.speech_files;
      f["seconds"] = summary.speech_seconds;
      f["sentences"] = summary.sentences;
    } else {
      f["clips"] = clips_in[folder];
      by_kind[static_cast<int>(kind)] += clips_in[folder];
    }
    if (kind == FolderKind::kNeighbour)
      f["neighbour_of"] = neighbour_of[folder];
    folders[folder] = f;
  }
  j["folders"] = folders;

  j["counts"] = {
      {"clips", summary.clips},
      {"keyword_clips", by_kind[static_cast<int>(FolderKind::kKeyword)]},
      {"word_clips", by_kind[static_cast<int>(FolderKind::kWord)]},
      {"neighbour_clips", by_kind[static_cast<int>(FolderKind::kNeighbour)]},
      {"untimed_clips", summary.untimed_clips},
      {"speech_files", summary.speech_files},
      {"speech_seconds", summary.speech_seconds},
      {"sentences", summary.sentences}};
  if (!run.options.sentence_files.empty()) {
    nlohmann::json texts = nlohmann::json::array();
    for (const TextSource& t : run.texts) {
      texts.push_back({{"path", t.path},
                       {"sentences_found", t.candidates},
                       {"usable_form", t.usable_form},
                       {"kept", t.kept}});
    }
    j["speech"] = {{"hours_asked", run.options.hours},
                   {"hours_made", summary.speech_seconds / 3600.0},
                   {"text_ran_out", plan.text_ran_out},
                   {"sentences_available", plan.sentences_available},
                   {"texts", texts}};
  }
  j["notes"] = summary.notes;
  return j.dump(2) + "\n";
}

}  // namespace tinykws::synth
