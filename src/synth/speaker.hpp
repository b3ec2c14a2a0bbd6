// Both engines behind one call: text + voice -> 16 kHz speech at a fixed
// level with per-word timing. Engines start on first use (in the worker
// process that renders; see workers.hpp).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "synth/engine_espeak.hpp"
#include "synth/engine_flite.hpp"
#include "synth/raw_speech.hpp"
#include "synth/voice.hpp"
#include "tinykws/resampler.hpp"
#include "tinykws/status.hpp"

namespace tinykws::synth {

inline constexpr int kSampleRate = 16000;
// Speech is scaled so that its loudest 10 ms block has this RMS (dBFS).
inline constexpr float kSpeechLevelDbfs = -15.0f;

struct Utterance {
  std::vector<float> samples;   // 16 kHz, int16 units, level set
  std::vector<WordSpan> words;  // seconds from the start of samples
};

class Speaker {
 public:
  Speaker() = default;
  Speaker(const Speaker&) = delete;
  Speaker& operator=(const Speaker&) = delete;

  // Speaks text. `seed` seeds the C library generator the engines draw
  // from (flite's clustergen voices, espeak's noise), so the result depends
  // only on (text, voice, seed) and on the earlier calls of this process
  // (espeak-ng keeps wave-generator state between utterances).
  Status Say(const std::string& text, const Voice& voice, uint64_t seed,
             Utterance* out);

  // The espeak engine (started if needed), e.g. for phonemes.
  StatusOr<EspeakEngine*> Espeak();

  // Makes the resamplers from the engines' rates (22050 and 8000 Hz) now,
  // without starting an engine.
  Status Warm();

 private:
  StatusOr<FliteEngine*> Flite();
  StatusOr<Resampler*> ResamplerFrom(int rate);

  EspeakEngine* espeak_ = nullptr;
  std::unique_ptr<FliteEngine> flite_;
  std::map<int, Resampler> resamplers_;
  RawSpeech raw_;
};

// Scales samples so the loudest 10 ms block has RMS kSpeechLevelDbfs
// (silence stays silence).
void SetSpeechLevel(std::vector<float>* samples);

}  // namespace tinykws::synth
