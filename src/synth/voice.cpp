#include "synth/voice.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>

namespace tinykws::synth {

namespace {

// espeak-ng 1.51's variants (espeak-ng-data/voices/!v). A test checks that
// each one loads, so a data update that drops one is noticed.
const std::vector<std::string>& AllEspeakVariants() {
  static const std::vector<std::string> variants = {
      "Alex",       "Alicia",      "Andrea",       "Andy",
      "Annie",      "AnxiousAndy", "Demonic",      "Denis",
      "Diogo",      "Gene",        "Gene2",        "Henrique",
      "Hugo",       "Jacky",       "Lee",          "Marco",
      "Mario",      "Michael",     "Mike",         "Mr serious",
      "Nguyen",     "RicishayMax", "RicishayMax2", "RicishayMax3",
      "Storm",      "Tweaky",      "UniRobot",     "adam",
      "anika",      "anikaRobot",  "announcer",    "antonio",
      "aunty",      "belinda",     "benjamin",     "boris",
      "caleb",      "croak",       "david",        "ed",
      "edward",     "edward2",     "f1",           "f2",
      "f3",         "f4",          "f5",           "fast",
      "grandma",    "grandpa",     "gustave",      "iven",
      "iven2",      "iven3",       "iven4",        "john",
      "kaukovalta", "klatt",       "klatt2",       "klatt3",
      "klatt4",     "klatt5",      "klatt6",       "linda",
      "m1",         "m2",          "m3",           "m4",
      "m5",         "m6",          "m7",           "m8",
      "marcelo",    "max",         "michel",       "miguel",
      "norbert",    "pablo",       "paul",         "pedro",
      "quincy",     "rob",         "robert",       "robosoft",
      "robosoft2",  "robosoft3",   "robosoft4",    "robosoft5",
      "robosoft6",  "robosoft7",   "robosoft8",    "sandro",
      "shelby",     "steph",       "steph2",       "steph3",
      "travis",     "victor",      "whisper",      "whisperf",
      "zac"};
  return variants;
}

// The evaluation set's variants: a fixed mix of male, female, old, young
// and one Klatt voice. Every other variant (and "no variant") is training's.
const std::vector<std::string>& EvaluationVariants() {
  static const std::vector<std::string> variants = {
      "m2",    "m5",       "f2",      "f4",     "klatt3",  "Alicia", "Andy",
      "Annie", "benjamin", "david",   "edward", "grandma", "john",   "linda",
      "max",   "michel",   "norbert", "paul",   "quincy",  "steph"};
  return variants;
}

// The validation set's variants (detector calibration: voices training
// never heard, and that the evaluation never uses either).
const std::vector<std::string>& ValidationVariants() {
  static const std::vector<std::string> variants = {
      "m4",     "f3",     "klatt2",  "Andrea", "Lee",     "aunty",
      "boris",  "caleb",  "grandpa", "Hugo",   "marcelo", "rob",
      "shelby", "travis", "victor",  "zac"};
  return variants;
}

// Variations of a held-out variant ("steph2" of "steph"): in no set, so
// training never hears a near copy of an evaluation voice.
bool NearCopyOfHeldOut(const std::string& v) {
  return v == "steph2" || v == "steph3" || v == "edward2";
}

std::vector<std::string> TrainingVariants() {
  std::vector<std::string> variants = {""};
  for (const std::string& v : AllEspeakVariants()) {
    if (NearCopyOfHeldOut(v)) continue;
    const bool held_out = std::count(EvaluationVariants().begin(),
                                     EvaluationVariants().end(), v) > 0 ||
                          std::count(ValidationVariants().begin(),
                                     ValidationVariants().end(), v) > 0;
    if (!held_out) variants.push_back(v);
  }
  return variants;
}

VoiceFamily Flite(const char* name) {
  return VoiceFamily{Engine::kFlite, name, {""}, 1.0f};
}

VoiceFamily Espeak(const char* language, std::vector<std::string> variants,
                   float weight = 1.0f) {
  return VoiceFamily{Engine::kEspeak, language, std::move(variants), weight};
}

VoiceSet MakeTraining() {
  const std::vector<std::string> variants = TrainingVariants();
  VoiceSet set{"training", {}};
  for (const char* name : {"kal16", "awb", "kal"}) {
    set.families.push_back(Flite(name));
  }
  for (const char* accent :
       {"en", "en-us", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-gbcwmd"}) {
    set.families.push_back(Espeak(accent, variants));
  }
  // Foreign accents: these languages read English text with their own
  // letter-to-sound rules ("stop" -> German [St'Op]); drawn rarely.
  for (const char* accent : {"de", "es", "it"}) {
    set.families.push_back(Espeak(accent, variants, 0.25f));
  }
  return set;
}

VoiceSet MakeValidation() {
  VoiceSet set{"validation", {}};
  set.families.push_back(Espeak("en-gb-x-rp", ValidationVariants()));
  return set;
}

VoiceSet MakeEvaluation() {
  const std::vector<std::string>& variants = EvaluationVariants();
  VoiceSet set{"evaluation", {}};
  for (const char* name : {"slt", "rms"}) set.families.push_back(Flite(name));
  for (const char* accent : {"en-us-nyc", "en-029"}) {
    set.families.push_back(Espeak(accent, variants));
  }
  return set;
}

std::string FileSafe(const std::string& text) {
  std::string out;
  for (char c : text) {
    out += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  }
  return out;
}

std::string SpeakerOf(const VoiceFamily& family, const std::string& variant) {
  Voice voice;
  voice.engine = family.engine;
  voice.name = family.name;
  voice.variant = variant;
  return SpeakerName(voice);
}

}  // namespace

const char* EngineName(Engine engine) {
  return engine == Engine::kEspeak ? "espeak" : "flite";
}

std::string SpeakerName(const Voice& voice) {
  std::string name =
      std::string(EngineName(voice.engine)) + "-" + FileSafe(voice.name);
  if (!voice.variant.empty()) name += "-" + FileSafe(voice.variant);
  return name;
}

std::string EspeakVoiceName(const Voice& voice) {
  return voice.variant.empty() ? voice.name : voice.name + "+" + voice.variant;
}

std::string DescribeVoice(const Voice& voice) {
  char settings[96];
  if (voice.engine == Engine::kEspeak) {
    std::snprintf(settings, sizeof settings, " rate=%.0f pitch=%.0f range=%.0f",
                  voice.rate, voice.pitch, voice.range);
  } else {
    std::snprintf(settings, sizeof settings, " rate=%.2f pitch=%.1f",
                  voice.rate, voice.pitch);
  }
  return SpeakerName(voice) + settings;
}

const VoiceSet& TrainingVoices() {
  static const VoiceSet set = MakeTraining();
  return set;
}

const VoiceSet& ValidationVoices() {
  static const VoiceSet set = MakeValidation();
  return set;
}

const VoiceSet& EvaluationVoices() {
  static const VoiceSet set = MakeEvaluation();
  return set;
}

std::vector<const VoiceSet*> AllVoiceSets() {
  return {&TrainingVoices(), &ValidationVoices(), &EvaluationVoices()};
}

const std::vector<std::string>& FliteVoiceNames() {
  static const std::vector<std::string> names = {"kal", "kal16", "awb", "rms",
                                                 "slt"};
  return names;
}

float FliteNominalPitch(const std::string& flite_voice) {
  // Measured (median autocorrelation pitch of a read sentence).
  if (flite_voice == "slt") return 170.0f;
  if (flite_voice == "awb") return 126.0f;
  if (flite_voice == "rms") return 103.0f;
  return 95.0f;  // kal, kal16 (the voices' own int_f0_target_mean)
}

std::vector<std::string> SpeakersOf(const VoiceSet& set) {
  std::vector<std::string> speakers;
  for (const VoiceFamily& family : set.families) {
    for (const std::string& variant : family.variants) {
      speakers.push_back(SpeakerOf(family, variant));
    }
  }
  std::sort(speakers.begin(), speakers.end());
  return speakers;
}

StatusOr<VoiceSet> ParseVoiceSet(const std::string& text) {
  for (const VoiceSet* set : AllVoiceSets()) {
    if (text == set->name) return *set;
  }
  // speaker -> (family, variant) over every set
  std::map<std::string, std::pair<const VoiceFamily*, std::string>> known;
  for (const VoiceSet* set : AllVoiceSets()) {
    for (const VoiceFamily& family : set->families) {
      for (const std::string& variant : family.variants) {
        known[SpeakerOf(family, variant)] = {&family, variant};
      }
    }
  }
  VoiceSet custom{"custom", {}};
  size_t begin = 0;
  while (begin <= text.size()) {
    size_t end = text.find(',', begin);
    if (end == std::string::npos) end = text.size();
    const std::string name = text.substr(begin, end - begin);
    begin = end + 1;
    if (name.empty()) continue;
    const auto it = known.find(name);
    if (it == known.end()) {
      return InvalidArgument(
          "--voices: unknown voice '" + name +
          "' (expected training, validation, evaluation, or speakers such as "
          "flite-slt or "
          "espeak-en-us-m3; see --list-voices)");
    }
    VoiceFamily family = *it->second.first;
    family.variants = {it->second.second};
    family.weight = 1.0f;
    custom.families.push_back(family);
  }
  if (custom.families.empty()) {
    return InvalidArgument("--voices: no voice named in '" + text + "'");
  }
  return custom;
}

Voice DrawVoice(const VoiceSet& set, CounterRng& rng) {
  float total = 0.0f;
  for (const VoiceFamily& f : set.families) total += f.weight;
  float pick = rng.Uniform(0.0f, total);
  const VoiceFamily* family = &set.families.back();
  for (const VoiceFamily& f : set.families) {
    if (pick < f.weight) {
      family = &f;
      break;
    }
    pick -= f.weight;
  }
  Voice voice;
  voice.engine = family->engine;
  voice.name = family->name;
  voice.variant = family->variants[rng.Below(family->variants.size())];
  if (voice.engine == Engine::kEspeak) {
    voice.rate = rng.Uniform(120.0f, 220.0f);
    voice.pitch = rng.Uniform(25.0f, 75.0f);
    voice.range = rng.Uniform(25.0f, 75.0f);
  } else {
    voice.rate = rng.Uniform(0.8f, 1.25f);
    voice.pitch = FliteNominalPitch(voice.name) * rng.Uniform(0.85f, 1.2f);
  }
  return voice;
}

}  // namespace tinykws::synth
