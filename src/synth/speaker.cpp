#include "synth/speaker.hpp"

#include <cmath>
#include <cstdlib>

#include "synth/speed.hpp"

namespace tinykws::synth {

StatusOr<EspeakEngine*> Speaker::Espeak() {
  if (espeak_ == nullptr) {
    StatusOr<EspeakEngine*> e = EspeakEngine::Get();
    if (!e.ok()) return e.status();
    espeak_ = *e;
  }
  return espeak_;
}

StatusOr<FliteEngine*> Speaker::Flite() {
  if (!flite_) {
    StatusOr<std::unique_ptr<FliteEngine>> f = FliteEngine::Create();
    if (!f.ok()) return f.status();
    flite_ = std::move(*f);
  }
  return flite_.get();
}

StatusOr<Resampler*> Speaker::ResamplerFrom(int rate) {
  auto it = resamplers_.find(rate);
  if (it == resamplers_.end()) {
    StatusOr<Resampler> r = Resampler::Create(rate, kSampleRate);
    if (!r.ok()) return r.status();
    it = resamplers_.emplace(rate, std::move(*r)).first;
  }
  return &it->second;
}

Status Speaker::Warm() {
  for (int rate : {22050, 8000}) {
    StatusOr<Resampler*> r = ResamplerFrom(rate);
    if (!r.ok()) return r.status();
  }
  return Status::Ok();
}

Status Speaker::Say(const std::string& text, const Voice& voice, uint64_t seed,
                    Utterance* out) {
  std::srand(static_cast<unsigned>(seed ^ (seed >> 32)));
  if (voice.engine == Engine::kEspeak) {
    StatusOr<EspeakEngine*> e = Espeak();
    if (!e.ok()) return e.status();
    TINYKWS_RETURN_IF_ERROR((*e)->Say(text, voice, &raw_));
  } else {
    StatusOr<FliteEngine*> f = Flite();
    if (!f.ok()) return f.status();
    TINYKWS_RETURN_IF_ERROR((*f)->Say(text, voice, &raw_));
  }
  if (raw_.sample_rate == kSampleRate) {
    out->samples = raw_.samples;
  } else {
    StatusOr<Resampler*> r = ResamplerFrom(raw_.sample_rate);
    if (!r.ok()) return r.status();
    ResampleSignal(**r, raw_.samples.data(), raw_.samples.size(),
                   &out->samples);
  }
  out->words = raw_.words;
  SetSpeechLevel(&out->samples);
  return Status::Ok();
}

void SetSpeechLevel(std::vector<float>* samples) {
  constexpr size_t kBlock = kSampleRate / 100;
  double loudest = 0.0;
  for (size_t start = 0; start < samples->size(); start += kBlock) {
    const size_t end = std::min(samples->size(), start + kBlock);
    double sum = 0.0;
    for (size_t i = start; i < end; ++i)
      sum += double((*samples)[i]) * (*samples)[i];
    loudest = std::max(loudest, sum / static_cast<double>(end - start));
  }
  if (loudest <= 1e-6) return;
  const double target = 32768.0 * std::pow(10.0, kSpeechLevelDbfs / 20.0);
  const float gain = static_cast<float>(target / std::sqrt(loudest));
  for (float& x : *samples) x *= gain;
}

}  // namespace tinykws::synth
