// Voices of the two engines and the three disjoint voice sets, `training`,
// `validation` (detector calibration) and `evaluation` (the honest test),
// defined in voice.cpp and nowhere else. A Voice is one
// concrete setting (engine, voice or accent, espeak variant, rate, pitch)
// drawn per clip from a set.
#pragma once

#include <string>
#include <vector>

#include "common/rng.hpp"
#include "tinykws/status.hpp"

namespace tinykws::synth {

enum class Engine { kEspeak, kFlite };
const char* EngineName(Engine engine);  // "espeak", "flite"

struct Voice {
  Engine engine = Engine::kEspeak;
  std::string name;     // espeak language ("en-us") or flite voice ("slt")
  std::string variant;  // espeak variant ("m3", "" = none); flite: ""
  float rate = 0.0f;    // espeak: words per minute; flite: duration_stretch
  float pitch = 0.0f;   // espeak: espeakPITCH (0-100); flite: mean F0 in Hz
  float range = 0.0f;   // espeak: espeakRANGE (0-100); flite: unused
};

// The speaker of a voice for file names: "espeak-en-us-m3", "espeak-en-us"
// (no variant), "flite-slt". Letters, digits and '-' only, so it never
// contains "_nohash_".
std::string SpeakerName(const Voice& voice);
// espeak's voice name for espeak_SetVoiceByName: "en-us+m3", "en-us".
std::string EspeakVoiceName(const Voice& voice);
// The speaker and the drawn settings: "flite-slt rate=1.07 pitch=181.2".
std::string DescribeVoice(const Voice& voice);

// One voice of an engine (a flite voice, or an espeak language) with the
// espeak variants it is combined with ("" = the language's own voice).
struct VoiceFamily {
  Engine engine = Engine::kEspeak;
  std::string name;
  std::vector<std::string> variants;  // flite: {""}
  float weight = 1.0f;                // relative chance of being drawn
};

struct VoiceSet {
  std::string name;  // "training", "validation", "evaluation" or "custom"
  std::vector<VoiceFamily> families;
};

const VoiceSet& TrainingVoices();
const VoiceSet& ValidationVoices();
const VoiceSet& EvaluationVoices();
// The three, in that order.
std::vector<const VoiceSet*> AllVoiceSets();
// Flite voices this build links (kal, kal16, awb, rms, slt).
const std::vector<std::string>& FliteVoiceNames();
// The nominal mean F0 of a flite voice in Hz (what pitch draws scale).
float FliteNominalPitch(const std::string& flite_voice);

// "training", "validation", "evaluation", or a comma-separated list of
// speakers of any set ("flite-slt,espeak-en-us-m3": a custom set of exactly
// those voices). Unknown names are an error naming them.
StatusOr<VoiceSet> ParseVoiceSet(const std::string& text);

// Every speaker of a set, sorted ("espeak-en-us", "espeak-en-us-m3", ...).
std::vector<std::string> SpeakersOf(const VoiceSet& set);

// Draws a family (by weight), a variant and the rate and pitch settings.
// Precondition: the set has at least one family with a variant.
Voice DrawVoice(const VoiceSet& set, CounterRng& rng);

}  // namespace tinykws::synth
