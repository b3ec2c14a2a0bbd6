#include "synth/engine_espeak.hpp"

#include <espeak-ng/speak_lib.h>
#include <unistd.h>

#include <cctype>
#include <vector>

namespace tinykws::synth {

namespace {

// espeak-ng's callback has no user pointer of ours that survives every
// event list, and espeak is one per process anyway.
struct Collector {
  std::vector<float> samples;
  std::vector<espeak_EVENT> words;
};
Collector* g_collector = nullptr;

int OnSynth(short* wav, int num_samples, espeak_EVENT* events) {
  if (g_collector == nullptr) return 1;  // abort: nobody listens
  if (wav != nullptr && num_samples > 0) {
    g_collector->samples.insert(g_collector->samples.end(), wav,
                                wav + num_samples);
  }
  for (; events != nullptr && events->type != espeakEVENT_LIST_TERMINATED;
       ++events) {
    if (events->type == espeakEVENT_WORD) g_collector->words.push_back(*events);
  }
  return 0;
}

// espeak's phoneme output with '_' between phonemes and ' ' between words
// -> names separated by single spaces, stress and language-switch marks
// removed.
std::string NormalizePhonemes(const std::string& raw) {
  std::string out, name;
  auto flush = [&] {
    if (!name.empty() && name != "!" && name != "|" && name != "||" &&
        name[0] != '(') {
      if (!out.empty()) out += ' ';
      out += name;
    }
    name.clear();
  };
  for (char c : raw) {
    if (c == '_' || c == ' ' || c == '\n' || c == '\t') {
      flush();
    } else if (c != '\'' && c != ',' && c != '%' && c != '=') {
      name += c;
    }
  }
  flush();
  return out;
}

}  // namespace

StatusOr<EspeakEngine*> EspeakEngine::Get() {
  static EspeakEngine* engine = nullptr;
  if (engine == nullptr) {
    const int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr,
                                       espeakINITIALIZE_DONT_EXIT);
    if (rate <= 0) {
      return IoError(
          "espeak-ng: espeak_Initialize failed (is espeak-ng-data "
          "installed?)");
    }
    espeak_SetSynthCallback(OnSynth);
    engine = new EspeakEngine(rate);  // lives as long as the process
  }
  return engine;
}

Status EspeakEngine::SelectVoice(const std::string& espeak_name) {
  // espeak-ng accepts an unknown variant silently (and speaks without it):
  // look for the variant's file first.
  const size_t plus = espeak_name.find('+');
  if (plus != std::string::npos) {
    const char* data = nullptr;
    espeak_Info(&data);
    const std::string file = std::string(data != nullptr ? data : "") +
                             "/voices/!v/" + espeak_name.substr(plus + 1);
    if (::access(file.c_str(), R_OK) != 0) {
      return InvalidArgument("espeak-ng: unknown voice variant '" +
                             espeak_name.substr(plus + 1) + "' (no " + file +
                             ")");
    }
  }
  if (espeak_SetVoiceByName(espeak_name.c_str()) != EE_OK) {
    return InvalidArgument("espeak-ng: unknown voice '" + espeak_name + "'");
  }
  return Status::Ok();
}

Status EspeakEngine::Say(const std::string& text, const Voice& voice,
                         RawSpeech* out) {
  if (voice.engine != Engine::kEspeak) {
    return InternalError("espeak-ng: asked to speak with a flite voice");
  }
  TINYKWS_RETURN_IF_ERROR(SelectVoice(EspeakVoiceName(voice)));
  espeak_SetParameter(espeakRATE, static_cast<int>(voice.rate + 0.5f), 0);
  espeak_SetParameter(espeakPITCH, static_cast<int>(voice.pitch + 0.5f), 0);
  espeak_SetParameter(espeakRANGE, static_cast<int>(voice.range + 0.5f), 0);
  Collector collector;
  g_collector = &collector;
  const espeak_ERROR e =
      espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                   espeakCHARS_UTF8, nullptr, nullptr);
  espeak_Synchronize();
  g_collector = nullptr;
  if (e != EE_OK) {
    return IoError("espeak-ng: espeak_Synth failed (" + std::to_string(e) +
                   ") for '" + text + "'");
  }
  out->sample_rate = sample_rate_;
  out->samples = std::move(collector.samples);
  out->words.clear();
  const double total_s =
      static_cast<double>(out->samples.size()) / sample_rate_;
  for (size_t i = 0; i < collector.words.size(); ++i) {
    const espeak_EVENT& ev = collector.words[i];
    WordSpan span;
    span.token = TokenAt(text, static_cast<size_t>(ev.text_position - 1));
    // `sample` counts output samples; audio_position is in ms.
    span.begin_s = ev.sample > 0 ? static_cast<double>(ev.sample) / sample_rate_
                                 : ev.audio_position / 1000.0;
    span.end_s = total_s;
    if (span.token < 0) continue;
    if (!out->words.empty() && out->words.back().end_s > span.begin_s) {
      out->words.back().end_s = span.begin_s;
    }
    out->words.push_back(span);
  }
  return Status::Ok();
}

std::string EspeakEngine::Phonemes(const std::string& text) {
  std::string raw;
  const void* cursor = text.c_str();
  while (cursor != nullptr) {
    const char* part =
        espeak_TextToPhonemes(&cursor, espeakCHARS_UTF8, '_' << 8);
    if (part == nullptr) break;
    raw += part;
    raw += ' ';
  }
  return NormalizePhonemes(raw);
}

}  // namespace tinykws::synth
