// Voice sets: disjoint, parsed by name, drawn within their ranges.
#include "synth/voice.hpp"

#include <gtest/gtest.h>

#include <set>

namespace tinykws::synth {
namespace {

std::set<std::string> Names(const VoiceSet& set, Engine engine) {
  std::set<std::string> names;
  for (const VoiceFamily& f : set.families) {
    if (f.engine == engine) names.insert(f.name);
  }
  return names;
}

std::set<std::string> Variants(const VoiceSet& set) {
  std::set<std::string> variants;
  for (const VoiceFamily& f : set.families) {
    if (f.engine == Engine::kEspeak) {
      variants.insert(f.variants.begin(), f.variants.end());
    }
  }
  return variants;
}

TEST(SynthVoices, SetsShareNoVoiceAccentOrVariant) {
  const std::vector<const VoiceSet*> sets = AllVoiceSets();
  ASSERT_EQ(sets.size(), 3u);
  for (size_t i = 0; i < sets.size(); ++i) {
    for (size_t j = i + 1; j < sets.size(); ++j) {
      for (Engine engine : {Engine::kEspeak, Engine::kFlite}) {
        for (const std::string& name : Names(*sets[j], engine)) {
          EXPECT_EQ(Names(*sets[i], engine).count(name), 0u)
              << name << " in " << sets[i]->name << " and " << sets[j]->name;
        }
      }
      const std::set<std::string> earlier = Variants(*sets[i]);
      for (const std::string& v : Variants(*sets[j])) {
        EXPECT_EQ(earlier.count(v), 0u) << v;
      }
      const std::vector<std::string> a = SpeakersOf(*sets[i]),
                                     b = SpeakersOf(*sets[j]);
      for (const std::string& s : b) {
        EXPECT_FALSE(std::binary_search(a.begin(), a.end(), s)) << s;
      }
    }
  }
  const VoiceSet& eval = EvaluationVoices();
  EXPECT_EQ(Variants(eval).size(), 20u);
  EXPECT_EQ(Variants(ValidationVoices()).size(), 16u);
  EXPECT_EQ(Variants(eval).count(""), 0u);  // "no variant" is training's
  EXPECT_EQ(Variants(TrainingVoices()).count(""), 1u);
  EXPECT_EQ(Names(eval, Engine::kFlite), (std::set<std::string>{"rms", "slt"}));
  EXPECT_EQ(Names(eval, Engine::kEspeak),
            (std::set<std::string>{"en-029", "en-us-nyc"}));
}

TEST(SynthVoices, SpeakerNamesAreFileSafe) {
  for (const VoiceSet* set : AllVoiceSets()) {
    for (const std::string& s : SpeakersOf(*set)) {
      EXPECT_EQ(s.find('_'), std::string::npos) << s;
      EXPECT_EQ(s.find(' '), std::string::npos) << s;
    }
  }
  Voice v;
  v.engine = Engine::kEspeak;
  v.name = "en-us";
  v.variant = "m3";
  EXPECT_EQ(SpeakerName(v), "espeak-en-us-m3");
  EXPECT_EQ(EspeakVoiceName(v), "en-us+m3");
  v.variant = "Mr serious";
  EXPECT_EQ(SpeakerName(v), "espeak-en-us-Mr-serious");
}

TEST(SynthVoices, ParsesSetsAndSpeakerLists) {
  EXPECT_EQ(ParseVoiceSet("training")->name, "training");
  EXPECT_EQ(ParseVoiceSet("evaluation")->name, "evaluation");
  EXPECT_EQ(ParseVoiceSet("validation")->name, "validation");
  StatusOr<VoiceSet> custom = ParseVoiceSet("flite-slt,espeak-en-us-m3");
  ASSERT_TRUE(custom.ok()) << custom.status().message();
  EXPECT_EQ(SpeakersOf(*custom),
            (std::vector<std::string>{"espeak-en-us-m3", "flite-slt"}));
  StatusOr<VoiceSet> bad = ParseVoiceSet("flite-slt,espeak-xx-nosuch");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("unknown voice 'espeak-xx-nosuch'"),
            std::string::npos);
  EXPECT_FALSE(ParseVoiceSet("").ok());
}

TEST(SynthVoices, DrawsWithinRanges) {
  int flite = 0;
  for (uint64_t i = 0; i < 500; ++i) {
    CounterRng rng(7, 1, i);
    const Voice v = DrawVoice(TrainingVoices(), rng);
    if (v.engine == Engine::kEspeak) {
      EXPECT_GE(v.rate, 120.0f);
      EXPECT_LE(v.rate, 220.0f);
    } else {
      ++flite;
      EXPECT_GE(v.rate, 0.8f);
      EXPECT_LE(v.rate, 1.25f);
      EXPECT_TRUE(v.variant.empty());
    }
  }
  EXPECT_GT(flite, 100);  // 3 of 9.75 weight units
  EXPECT_LT(flite, 220);
}

}  // namespace
}  // namespace tinykws::synth
