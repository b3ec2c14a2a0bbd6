#include "synth/render.hpp"

#include <cmath>

#include "synth/clip.hpp"

namespace tinykws::synth {

namespace {

// Streams of CounterRng(item seed, stream, 0).
enum Stream : uint64_t {
  kAugmentStream = 1,
  kCutStream = 2,
  kAcousticStream = 3,
};

}  // namespace

Renderer::Renderer(const AugmentConfig& config, const NoiseBank* bank,
                   bool augment)
    : config_(config), bank_(bank), augment_(augment), augmenter_(bank) {}

AugmentDraws Renderer::Draw(uint64_t seed) {
  if (!augment_) return NoAugmentation();
  CounterRng rng(seed, kAugmentStream, 0);
  return DrawAugmentation(config_, bank_ != nullptr && !bank_->empty(), rng);
}

Status Renderer::Warm() {
  TINYKWS_RETURN_IF_ERROR(speaker_.Warm());
  if (augment_) TINYKWS_RETURN_IF_ERROR(augmenter_.Warm(config_, kClipSamples));
  return Status::Ok();
}

Status Renderer::RenderClip(const ClipItem& item, std::vector<int16_t>* pcm,
                            ClipOutcome* outcome) {
  TINYKWS_RETURN_IF_ERROR(
      speaker_.Say(item.text, item.voice, item.seed, &utterance_));
  const AugmentDraws draws = Draw(item.seed);
  TINYKWS_RETURN_IF_ERROR(augmenter_.ApplySpeed(draws, &utterance_));
  size_t begin = 0, end = utterance_.samples.size();
  const bool timed = WordSamples(utterance_, item.token, &begin, &end);
  if (!timed) {
    begin = 0;
    end = utterance_.samples.size();
  }
  CounterRng cut_rng(item.seed, kCutStream, 0);
  const long start =
      CutAround(utterance_.samples, begin, end, cut_rng, &signal_);
  CounterRng acoustic_rng(item.seed, kAcousticStream, 0);
  augmenter_.ApplyAcoustics(draws, acoustic_rng, &signal_);
  ToPcm16(signal_, draws.gain_db, pcm);
  if (outcome != nullptr) {
    outcome->timed = timed;
    outcome->clip_start = start;
    outcome->word_begin = begin;
    outcome->word_end = end;
    outcome->draws = draws;
  }
  return Status::Ok();
}

Status Renderer::RenderSpeech(const SpeechFile& file, std::vector<int16_t>* pcm,
                              std::vector<SpeechLine>* lines,
                              const std::function<void()>& on_sentence) {
  const size_t target =
      static_cast<size_t>(std::llround(file.target_s * kSampleRate));
  const size_t cap =
      static_cast<size_t>(std::llround(kSpeechFileSeconds * kSampleRate));
  pcm->clear();
  lines->clear();
  for (const SpeechSentence& s : file.sentences) {
    if (pcm->size() >= target) break;
    TINYKWS_RETURN_IF_ERROR(speaker_.Say(s.text, s.voice, s.seed, &utterance_));
    const AugmentDraws draws = Draw(s.seed);
    TINYKWS_RETURN_IF_ERROR(augmenter_.ApplySpeed(draws, &utterance_));
    signal_ = utterance_.samples;
    signal_.resize(
        signal_.size() + static_cast<size_t>(s.pause_s * kSampleRate), 0.0f);
    CounterRng acoustic_rng(s.seed, kAcousticStream, 0);
    augmenter_.ApplyAcoustics(draws, acoustic_rng, &signal_);
    ToPcm16(signal_, draws.gain_db, &segment_);
    if (pcm->size() + segment_.size() > cap) break;
    lines->push_back(SpeechLine{static_cast<double>(pcm->size()) / kSampleRate,
                                DescribeVoice(s.voice), s.text});
    pcm->insert(pcm->end(), segment_.begin(), segment_.end());
    if (on_sentence) on_sentence();
  }
  return Status::Ok();
}

}  // namespace tinykws::synth
