// flite through its C API: the compiled-in CMU US voices kal (8 kHz
// diphone), kal16 (16 kHz diphone), awb, rms and slt (clustergen). Word
// timing from the utterance's Token -> Word -> segment structure; rate via
// the voice feature duration_stretch, pitch via int_f0_target_mean. Voices
// are registered on first use, as flite's own main does.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "synth/raw_speech.hpp"
#include "synth/voice.hpp"
#include "tinykws/status.hpp"

struct cst_voice_struct;

namespace tinykws::synth {

class FliteEngine {
 public:
  static StatusOr<std::unique_ptr<FliteEngine>> Create();
  ~FliteEngine();
  FliteEngine(const FliteEngine&) = delete;
  FliteEngine& operator=(const FliteEngine&) = delete;

  // Speaks text with voice (engine kFlite) into *out: samples at the
  // voice's rate (8 kHz for kal, 16 kHz otherwise) and per-token spans.
  Status Say(const std::string& text, const Voice& voice, RawSpeech* out);

 private:
  FliteEngine() = default;
  StatusOr<cst_voice_struct*> VoiceNamed(const std::string& name);
  std::map<std::string, cst_voice_struct*> voices_;
};

}  // namespace tinykws::synth
