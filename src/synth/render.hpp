// Rendering one plan item: a clip (speak, speed, cut around the word,
// room, noise, band, gain) or a long speech file (sentences with pauses,
// each sentence augmented with its own draws). Used by the worker
// processes and by the benchmark.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "synth/augment.hpp"
#include "synth/plan.hpp"
#include "synth/speaker.hpp"

namespace tinykws::synth {

struct ClipOutcome {
  bool timed = true;    // false: no word timing, cut around the whole utterance
  long clip_start = 0;  // in the (speed-changed) utterance, samples
  size_t word_begin = 0, word_end = 0;  // the word in the utterance
  AugmentDraws draws;
};

struct SpeechLine {
  double start_s = 0.0;  // in the speech file
  std::string voice;     // DescribeVoice
  std::string text;
};

class Renderer {
 public:
  // bank may be null (procedural noise only); augment false: no stage runs.
  Renderer(const AugmentConfig& config, const NoiseBank* bank, bool augment);

  // kClipSamples of 16-bit PCM for the item.
  Status RenderClip(const ClipItem& item, std::vector<int16_t>* pcm,
                    ClipOutcome* outcome = nullptr);

  // The file's sentences in order, each followed by its pause, until the
  // file reaches its target length (a sentence that would pass
  // kSpeechFileSeconds is not used). on_sentence runs after each one.
  Status RenderSpeech(const SpeechFile& file, std::vector<int16_t>* pcm,
                      std::vector<SpeechLine>* lines,
                      const std::function<void()>& on_sentence);

  // Makes every table clips need (resamplers, FFT plans) without starting
  // an engine: called before the workers fork, so they share the tables.
  Status Warm();

  Speaker& speaker() { return speaker_; }

 private:
  AugmentDraws Draw(uint64_t seed);

  AugmentConfig config_;
  const NoiseBank* bank_;
  bool augment_;
  Speaker speaker_;
  Augmenter augmenter_;
  Utterance utterance_;
  std::vector<float> signal_;
  std::vector<int16_t> segment_;
};

}  // namespace tinykws::synth
