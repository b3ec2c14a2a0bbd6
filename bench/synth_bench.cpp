// kws synth's speed: 1 s clips per second on one core, per engine, with and
// without augmentation (speak, speed, cut, room, noise, band, gain; no file
// writing). Half the clips are isolated words, half carrier phrases, as in
// a run. Results: docs/synth.md.
//   build/bench/synth_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "synth/clip.hpp"
#include "synth/render.hpp"

namespace tinykws::synth {
namespace {

constexpr int kItems = 64;

// Items of one voice family (or drawn from a whole set when family < 0).
std::vector<ClipItem> Items(const VoiceSet& set, int family) {
  std::vector<ClipItem> items;
  const std::vector<std::string> words = {"go", "stop", "yes", "left"};
  for (int i = 0; i < kItems; ++i) {
    CounterRng rng(1, 2, static_cast<uint64_t>(i));
    VoiceSet one = set;
    if (family >= 0) one.families = {set.families[static_cast<size_t>(family)]};
    ClipItem item;
    item.word = item.folder = words[static_cast<size_t>(i) % words.size()];
    item.voice = DrawVoice(one, rng);
    if (i % 2 == 1) {
      const auto& phrases = CarrierPhrases();
      item.text = FillCarrier(phrases[rng.Below(phrases.size())], item.word,
                              &item.token);
      item.carrier = true;
    } else {
      item.text = item.word;
    }
    item.seed = rng.Next();
    items.push_back(item);
  }
  return items;
}

void RunClips(benchmark::State& state, const std::vector<ClipItem>& items) {
  const bool augment = state.range(0) != 0;
  Renderer renderer(AugmentConfig{}, nullptr, augment);
  std::vector<int16_t> pcm;
  size_t i = 0;
  for (auto _ : state) {
    const Status s = renderer.RenderClip(items[i++ % items.size()], &pcm);
    if (!s.ok()) {
      state.SkipWithError(s.message().c_str());
      return;
    }
    benchmark::DoNotOptimize(pcm.data());
  }
  state.counters["clips_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

int FamilyIndex(const VoiceSet& set, const char* name) {
  for (size_t i = 0; i < set.families.size(); ++i) {
    if (set.families[i].name == name) return static_cast<int>(i);
  }
  std::fprintf(stderr, "no voice family %s\n", name);
  std::abort();
}

void BM_EspeakEnUs(benchmark::State& state) {
  RunClips(state,
           Items(TrainingVoices(), FamilyIndex(TrainingVoices(), "en-us")));
}
void BM_FliteKal(benchmark::State& state) {  // 8 kHz diphone
  RunClips(state,
           Items(TrainingVoices(), FamilyIndex(TrainingVoices(), "kal")));
}
void BM_FliteKal16(benchmark::State& state) {  // 16 kHz diphone
  RunClips(state,
           Items(TrainingVoices(), FamilyIndex(TrainingVoices(), "kal16")));
}
void BM_FliteAwb(benchmark::State& state) {  // clustergen
  RunClips(state,
           Items(TrainingVoices(), FamilyIndex(TrainingVoices(), "awb")));
}
void BM_FliteSlt(benchmark::State& state) {  // clustergen
  RunClips(state,
           Items(EvaluationVoices(), FamilyIndex(EvaluationVoices(), "slt")));
}
void BM_FliteRms(benchmark::State& state) {  // clustergen
  RunClips(state,
           Items(EvaluationVoices(), FamilyIndex(EvaluationVoices(), "rms")));
}
// The sets' own mixes, as kws synth draws them.
void BM_TrainingSet(benchmark::State& state) {
  RunClips(state, Items(TrainingVoices(), -1));
}
void BM_EvaluationSet(benchmark::State& state) {
  RunClips(state, Items(EvaluationVoices(), -1));
}

// Augmentation alone on a 1 s clip, every stage on.
void BM_AugmentOnly(benchmark::State& state) {
  AugmentConfig c;
  c.speed_probability = c.room_probability = c.noise_probability =
      c.band_probability = c.gain_probability = 1.0f;
  Augmenter augmenter(nullptr);
  std::vector<float> clip(kClipSamples), signal;
  CounterRng fill(5, 6, 7);
  for (float& v : clip) v = fill.Uniform(-3000.0f, 3000.0f);
  Utterance u;
  std::vector<int16_t> pcm;
  uint64_t i = 0;
  for (auto _ : state) {
    CounterRng rng(3, 4, i++);
    const AugmentDraws d = DrawAugmentation(c, false, rng);
    u.samples = clip;
    (void)augmenter.ApplySpeed(d, &u);
    u.samples.resize(kClipSamples);
    augmenter.ApplyAcoustics(d, rng, &u.samples);
    ToPcm16(u.samples, d.gain_db, &pcm);
    benchmark::DoNotOptimize(pcm.data());
  }
  state.counters["clips_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_EspeakEnUs)->ArgName("augment")->Arg(0)->Arg(1);
BENCHMARK(BM_FliteKal)->ArgName("augment")->Arg(0)->Arg(1);
BENCHMARK(BM_FliteKal16)->ArgName("augment")->Arg(0)->Arg(1);
BENCHMARK(BM_FliteAwb)->ArgName("augment")->Arg(0)->Arg(1);
BENCHMARK(BM_FliteSlt)->ArgName("augment")->Arg(0)->Arg(1);
BENCHMARK(BM_FliteRms)->ArgName("augment")->Arg(0)->Arg(1);
BENCHMARK(BM_TrainingSet)->ArgName("augment")->Arg(0)->Arg(1);
BENCHMARK(BM_EvaluationSet)->ArgName("augment")->Arg(0)->Arg(1);
BENCHMARK(BM_AugmentOnly);

}  // namespace
}  // namespace tinykws::synth

BENCHMARK_MAIN();
