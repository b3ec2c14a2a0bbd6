// The engines: word timing of a carrier phrase brackets the word, the cut
// clip holds it, every voice of both sets loads.
#include <gtest/gtest.h>

#include "synth/clip.hpp"
#include "synth/engine_espeak.hpp"
#include "synth/render.hpp"
#include "synth/speaker.hpp"
#include "synth_test_util.hpp"

namespace tinykws::synth {
namespace {

using testing::Power;

Voice EspeakVoice(const char* name, const char* variant) {
  Voice v;
  v.engine = Engine::kEspeak;
  v.name = name;
  v.variant = variant;
  v.rate = 160.0f;
  v.pitch = 50.0f;
  v.range = 50.0f;
  return v;
}

Voice FliteVoice(const char* name) {
  Voice v;
  v.engine = Engine::kFlite;
  v.name = name;
  v.rate = 1.0f;
  v.pitch = FliteNominalPitch(name);
  return v;
}

double LoudestBlock(const std::vector<float>& x) {
  double loudest = 0.0;
  for (size_t s = 0; s + 160 <= x.size(); s += 160) {
    loudest = std::max(loudest, Power(x, s, s + 160));
  }
  return loudest;
}

TEST(SynthEngines, CarrierTimingBracketsTheKeyword) {
  Speaker speaker;
  for (const Voice& voice :
       {EspeakVoice("en-us", "m3"), EspeakVoice("en-029", "f2"),
        FliteVoice("kal"), FliteVoice("kal16"), FliteVoice("slt")}) {
    SCOPED_TRACE(DescribeVoice(voice));
    int token = -1;
    const std::string text = FillCarrier("please {} now", "stop", &token);
    Utterance u;
    ASSERT_TRUE(speaker.Say(text, voice, 42, &u).ok());
    ASSERT_GT(u.samples.size(), 8000u);
    ASSERT_EQ(u.words.size(), 3u);
    for (size_t i = 0; i < 3; ++i) {
      EXPECT_EQ(u.words[i].token, static_cast<int>(i));
      EXPECT_LT(u.words[i].begin_s, u.words[i].end_s);
      if (i > 0) {
        EXPECT_LE(u.words[i - 1].end_s, u.words[i].begin_s + 1e-6);
      }
    }
    size_t begin = 0, end = 0;
    ASSERT_TRUE(WordSamples(u, token, &begin, &end));
    // The word is between "please" and "now", 0.15-0.9 s long, and loud.
    EXPECT_GE(begin, static_cast<size_t>(u.words[0].begin_s * kSampleRate));
    EXPECT_LE(end, static_cast<size_t>(u.words[2].end_s * kSampleRate));
    EXPECT_GT(end - begin, kSampleRate * 15 / 100);
    EXPECT_LT(end - begin, kSampleRate * 9 / 10);
    EXPECT_GT(Power(u.samples, begin, end), LoudestBlock(u.samples) * 0.02);
    // "please" is before the word: there is speech before begin.
    EXPECT_GT(Power(u.samples, 0, begin), LoudestBlock(u.samples) * 0.005);
    std::vector<float> clip;
    CounterRng rng(1, 2, 3);
    const long start = CutAround(u.samples, begin, end, rng, &clip);
    ASSERT_EQ(clip.size(), 16000u);
    EXPECT_LE(start, static_cast<long>(begin));
    EXPECT_GE(start + 16000, static_cast<long>(end));
    const size_t offset = static_cast<size_t>(static_cast<long>(begin) - start);
    EXPECT_NEAR(Power(clip, offset, offset + (end - begin)),
                Power(u.samples, begin, end),
                1e-3 * Power(u.samples, begin, end));
  }
}

TEST(SynthEngines, EspeakPhonemes) {
  StatusOr<EspeakEngine*> e = EspeakEngine::Get();
  ASSERT_TRUE(e.ok()) << e.status().message();
  ASSERT_TRUE((*e)->SelectVoice("en-us").ok());
  EXPECT_EQ((*e)->Phonemes("go"), "g oU");
  EXPECT_EQ((*e)->Phonemes("stop"), "s t2 0 p");
  EXPECT_EQ((*e)->Phonemes("though"), "D oU");
  EXPECT_FALSE((*e)->SelectVoice("en-us+no-such-variant").ok());
}

TEST(SynthEngines, EveryVoiceOfBothSetsLoads) {
  StatusOr<EspeakEngine*> e = EspeakEngine::Get();
  ASSERT_TRUE(e.ok()) << e.status().message();
  Speaker speaker;
  for (const VoiceSet* set : AllVoiceSets()) {
    for (const VoiceFamily& f : set->families) {
      for (const std::string& variant : f.variants) {
        if (f.engine == Engine::kEspeak) {
          Voice v = EspeakVoice(f.name.c_str(), variant.c_str());
          EXPECT_TRUE((*e)->SelectVoice(EspeakVoiceName(v)).ok())
              << EspeakVoiceName(v);
        } else {
          Utterance u;
          EXPECT_TRUE(
              speaker.Say("yes", FliteVoice(f.name.c_str()), 1, &u).ok());
          EXPECT_GT(u.samples.size(), 1000u) << f.name;
        }
      }
    }
  }
}

TEST(SynthEngines, ClipIsOneSecondAtTheSetLevel) {
  Renderer renderer(AugmentConfig{}, nullptr, /*augment=*/false);
  ClipItem item;
  item.word = item.folder = "go";
  item.text = "go";
  item.voice = FliteVoice("kal16");
  item.seed = 77;
  std::vector<int16_t> pcm;
  ClipOutcome outcome;
  ASSERT_TRUE(renderer.RenderClip(item, &pcm, &outcome).ok());
  ASSERT_EQ(pcm.size(), 16000u);
  EXPECT_TRUE(outcome.timed);
  int peak = 0;
  for (int16_t s : pcm) peak = std::max(peak, std::abs(static_cast<int>(s)));
  EXPECT_GT(peak, 3000);   // loudest 10 ms block at -15 dBFS RMS
  EXPECT_LT(peak, 32767);  // no gain stage, no clipping
}

}  // namespace
}  // namespace tinykws::synth
