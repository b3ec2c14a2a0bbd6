// espeak-ng through its C API (speak_lib.h), synchronous: samples at 22050
// Hz and word timing from espeakEVENT_WORD. espeak-ng keeps global state
// and starts a thread in espeak_Initialize, so a process has one engine,
// started on first use and never stopped (espeak_Terminate followed by a
// new espeak_Initialize hangs now and then in espeak-ng 1.51). kws synth
// starts it only in worker processes, after they forked.
#pragma once

#include <string>

#include "synth/raw_speech.hpp"
#include "synth/voice.hpp"
#include "tinykws/status.hpp"

namespace tinykws::synth {

class EspeakEngine {
 public:
  // The process's engine, started on the first call. Fails when
  // espeak-ng's data is missing.
  static StatusOr<EspeakEngine*> Get();
  EspeakEngine(const EspeakEngine&) = delete;
  EspeakEngine& operator=(const EspeakEngine&) = delete;

  // Speaks text (UTF-8) with voice (engine kEspeak) into *out.
  Status Say(const std::string& text, const Voice& voice, RawSpeech* out);

  // Selects a voice by espeak name ("en-us+m3"); an error if espeak does not
  // know it.
  Status SelectVoice(const std::string& espeak_name);

  // The phonemes of text in the selected voice's language, as espeak's
  // ASCII phoneme names separated by spaces, stress marks removed
  // ("go" -> "g oU"); "" when espeak gives none.
  std::string Phonemes(const std::string& text);

  int sample_rate() const { return sample_rate_; }

 private:
  explicit EspeakEngine(int sample_rate) : sample_rate_(sample_rate) {}
  int sample_rate_;
};

}  // namespace tinykws::synth
