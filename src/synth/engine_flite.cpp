#include "synth/engine_flite.hpp"

extern "C" {
#include <flite/flite.h>

// The voice libraries' entry points (libflite_cmu_us_*), and the language
// setup flite's main registers; none of them is in an installed header.
cst_voice* register_cmu_us_kal(const char* voxdir);
cst_voice* register_cmu_us_kal16(const char* voxdir);
cst_voice* register_cmu_us_awb(const char* voxdir);
cst_voice* register_cmu_us_rms(const char* voxdir);
cst_voice* register_cmu_us_slt(const char* voxdir);
void unregister_cmu_us_kal(cst_voice* voice);
void unregister_cmu_us_kal16(cst_voice* voice);
void unregister_cmu_us_awb(cst_voice* voice);
void unregister_cmu_us_rms(cst_voice* voice);
void unregister_cmu_us_slt(cst_voice* voice);
void usenglish_init(cst_voice* voice);
cst_lexicon* cmulex_init(void);
}

namespace tinykws::synth {

namespace {

struct FliteVoiceEntry {
  const char* name;
  cst_voice* (*reg)(const char*);
  void (*unreg)(cst_voice*);
};

const FliteVoiceEntry kVoices[] = {
    {"kal", register_cmu_us_kal, unregister_cmu_us_kal},
    {"kal16", register_cmu_us_kal16, unregister_cmu_us_kal16},
    {"awb", register_cmu_us_awb, unregister_cmu_us_awb},
    {"rms", register_cmu_us_rms, unregister_cmu_us_rms},
    {"slt", register_cmu_us_slt, unregister_cmu_us_slt},
};

bool g_flite_initialized = false;

}  // namespace

StatusOr<std::unique_ptr<FliteEngine>> FliteEngine::Create() {
  if (!g_flite_initialized) {
    flite_init();
    flite_add_lang("eng", usenglish_init, cmulex_init);
    flite_add_lang("usenglish", usenglish_init, cmulex_init);
    g_flite_initialized = true;
  }
  return std::unique_ptr<FliteEngine>(new FliteEngine());
}

FliteEngine::~FliteEngine() {
  for (const FliteVoiceEntry& entry : kVoices) {
    const auto it = voices_.find(entry.name);
    if (it != voices_.end()) entry.unreg(it->second);
  }
}

StatusOr<cst_voice*> FliteEngine::VoiceNamed(const std::string& name) {
  const auto it = voices_.find(name);
  if (it != voices_.end()) return it->second;
  for (const FliteVoiceEntry& entry : kVoices) {
    if (name == entry.name) {
      cst_voice* voice = entry.reg(nullptr);
      if (voice == nullptr) {
        return InternalError("flite: registering voice '" + name + "' failed");
      }
      voices_[name] = voice;
      return voice;
    }
  }
  return InvalidArgument("flite: unknown voice '" + name +
                         "' (expected kal, kal16, awb, rms or slt)");
}

Status FliteEngine::Say(const std::string& text, const Voice& voice,
                        RawSpeech* out) {
  if (voice.engine != Engine::kFlite) {
    return InternalError("flite: asked to speak with an espeak voice");
  }
  StatusOr<cst_voice*> v = VoiceNamed(voice.name);
  if (!v.ok()) return v.status();
  feat_set_float((*v)->features, "duration_stretch", voice.rate);
  feat_set_float((*v)->features, "int_f0_target_mean", voice.pitch);
  cst_utterance* utt = flite_synth_text(text.c_str(), *v);
  if (utt == nullptr) {
    return IoError("flite: synthesis failed for '" + text + "'");
  }
  const cst_wave* wave = utt_wave(utt);
  if (wave == nullptr || cst_wave_num_channels(wave) != 1 ||
      cst_wave_sample_rate(wave) <= 0) {
    delete_utterance(utt);
    return IoError("flite: no mono wave for '" + text + "'");
  }
  out->sample_rate = cst_wave_sample_rate(wave);
  const int n = cst_wave_num_samples(wave);
  out->samples.assign(wave->samples, wave->samples + (n > 0 ? n : 0));
  out->words.clear();
  int token = 0;
  for (cst_item* t = relation_head(utt_relation(utt, "Token")); t != nullptr;
       t = item_next(t), ++token) {
    cst_item* first = item_daughter(t);
    cst_item* last = item_last_daughter(t);
    if (first == nullptr || last == nullptr) continue;  // e.g. punctuation
    WordSpan span;
    span.token = token;
    span.begin_s = ffeature_float(
        first, "R:SylStructure.daughter1.daughter1.R:Segment.p.end");
    span.end_s = ffeature_float(
        last, "R:SylStructure.daughtern.daughtern.R:Segment.end");
    if (span.end_s > span.begin_s) out->words.push_back(span);
  }
  delete_utterance(utt);
  return Status::Ok();
}

}  // namespace tinykws::synth
