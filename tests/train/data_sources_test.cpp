// Training data from several folders and the made negatives: extra folders
// join training only, synthetic clips take their configured share of every
// class, _unknown_ draws come from each source at its share, and the made
// negatives are what their names say, sample for sample.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "synthetic_data.hpp"
#include "train/negatives.hpp"
#include "train/training_data.hpp"

namespace tinykws::train {
namespace {

namespace fs = std::filesystem;

std::vector<int16_t> Ramp(size_t n, int16_t start = 0) {
  std::vector<int16_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<int16_t>(start + i);
  return v;
}

TEST(Negatives, ReversedIsTheClipBackwards) {
  const std::vector<int16_t> clip = Ramp(5);
  std::vector<int16_t> out;
  Reversed(clip, &out);
  EXPECT_EQ(out, (std::vector<int16_t>{4, 3, 2, 1, 0}));
}

TEST(Negatives, SplicedKeepsTheHeadsOnsetAndTheTailsRest) {
  // Words at 100 (head) and 200 (tail) samples into their clips; at 1 kHz a
  // 5 ms cross-fade is 5 samples.
  const std::vector<int16_t> a(400, 1000), b = Ramp(400, -200);
  std::vector<int16_t> out_;
  Spliced({&a, 100, 300}, {&b, 200, 350}, 30, 50, 1000, &out_);
  // 130 samples of head, then the tail from 250 on (150 samples) with the
  // first 5 blended into the head's last 5.
  ASSERT_EQ(out_.size(), 130u + 150u - 5u);
  EXPECT_EQ(out_[0], 1000);
  EXPECT_EQ(out_[124], 1000);  // before the fade
  for (int i = 0; i < 5; ++i) {
    const float w = (i + 0.5f) / 5.0f;
    EXPECT_EQ(
        out_[125 + i],
        static_cast<int16_t>(std::nearbyint((1 - w) * 1000 + w * b[250 + i])));
  }
  EXPECT_EQ(out_[130], b[255]);
  EXPECT_EQ(out_.back(), b.back());
}

TEST(Negatives, SpeedChangedResamples) {
  const std::vector<int16_t> clip = Ramp(1000);
  std::vector<int16_t> out;
  SpeedChanged(clip, 1.0f, &out);
  EXPECT_EQ(out, clip);
  SpeedChanged(clip, 1.25f, &out);  // faster: shorter, every 1.25th sample
  ASSERT_EQ(out.size(), 800u);
  EXPECT_EQ(out[4], 5);
  EXPECT_EQ(out[2], 2);  // 2.5: halfway between 2 and 3, rounded to even
  SpeedChanged(clip, 0.5f, &out);  // slower: twice as long
  EXPECT_EQ(out.size(), 2000u);
  EXPECT_EQ(out[3], 2);  // 1.5 -> 1.5, rounded to even
}

TEST(Negatives, RecordingWindowsComeFromTheRecordingsByLength) {
  const std::vector<std::vector<int16_t>> recordings = {Ramp(10, 0),
                                                        Ramp(1000, 5000)};
  std::vector<int16_t> out;
  int from_long = 0;
  for (uint64_t i = 0; i < 200; ++i) {
    CounterRng rng(1, 2, i);
    RecordingWindow(recordings, 50, rng, &out);
    ASSERT_EQ(out.size(), 50u);
    if (out[0] >= 5000) {
      ++from_long;
      for (size_t j = 1; j < out.size(); ++j) EXPECT_EQ(out[j], out[0] + j);
    } else {  // the short one, zero-padded
      EXPECT_EQ(out[9], 9);
      EXPECT_EQ(out[10], 0);
    }
  }
  EXPECT_GT(from_long, 190);  // 1000 of 1010 samples are in the long one
}

class DataSources : public ::testing::Test {
 protected:
  void SetUp() override {
    main_ = testing::MakeSyntheticData("sources_main");
    testing::SyntheticDataOptions o;
    o.speakers = 4;
    o.with_lists = false;
    o.with_noise_folder = false;
    extra_ = testing::MakeSyntheticData("sources_synth", o);
    std::ofstream(extra_ + "/tinykws-synth.json")
        << R"({"training_only": true, "synthetic": true})";
    fs::create_directories(extra_ + "/_speech_");
    const std::vector<int16_t> talk = Ramp(16000 * 10);
    ASSERT_TRUE(
        WriteWav(extra_ + "/_speech_/talk.wav", talk.data(), talk.size(), 16000)
            .ok());
  }
  void TearDown() override {
    fs::remove_all(main_);
    fs::remove_all(extra_);
  }
  // "high" is an other word here: labels low, _unknown_, _silence_.
  StatusOr<std::unique_ptr<TrainingData>> Prepare(const std::string& data,
                                                  int threads = 2) {
    std::string text = testing::SyntheticConfig(data);
    text.replace(text.find("[\"low\", \"high\"]"), 15,
                 "[\"low\", \"_unknown_\", \"_silence_\"]");
    StatusOr<KwsConfig> config = ParseConfig(text, "sources");
    if (!config.ok()) return config.status();
    return TrainingData::Prepare(*config, {main_, "", threads, false, false});
  }
  std::string main_, extra_;
};

TEST_F(DataSources, ExtraFoldersTrainAtTheirShares) {
  const std::string shares =
      "[data]\nunknown_share = 0.2\nsilence_share = 0.2\n";
  StatusOr<std::unique_ptr<TrainingData>> alone = Prepare(shares);
  ASSERT_TRUE(alone.ok()) << alone.status().message();
  StatusOr<std::unique_ptr<TrainingData>> data = Prepare(
      shares + "extra = [\"" + extra_ +
      "\"]\nsynthetic_share = 0.25\nlong_negative_share = 0.1\n"
      "reversed_share = 0.05\nspliced_share = 0.05\nshifted_share = 0.05\n");
  ASSERT_TRUE(data.ok()) << data.status().message();
  // The training-only folder adds nothing to validation or testing.
  EXPECT_EQ((*data)->validation().labels, (*alone)->validation().labels);
  EXPECT_EQ((*data)->validation().features, (*alone)->validation().features);
  EXPECT_EQ((*data)->testing().labels, (*alone)->testing().labels);
  // 36 real "low" clips are 75 % of low's draws: 12 synthetic on top; 48
  // keyword items are 60 %: 16 _unknown_ (4 synthetic, 2 speech windows, 1
  // each reversed, spliced, shifted, 7 real words) and 16 silence.
  EXPECT_EQ((*alone)->training_size(), 60u);
  EXPECT_EQ((*data)->training_size(), 80u);
  const std::string d = (*data)->Describe(Split::kTraining);
  EXPECT_NE(d.find("low: 36 + 12 synthetic of 12"), std::string::npos) << d;
  EXPECT_NE(d.find("7 real words, 4 synthetic, 2 speech windows, 1 reversed, "
                   "1 spliced, 1 shifted"),
            std::string::npos)
      << d;
  LabeledSet epoch, again, one_thread;
  (*data)->BuildEpoch(3, 1, &epoch);
  (*data)->BuildEpoch(3, 1, &again);
  ASSERT_EQ(epoch.size(), 80u);
  EXPECT_EQ(std::count(epoch.labels.begin(), epoch.labels.end(), 0), 48);
  EXPECT_EQ(std::count(epoch.labels.begin(), epoch.labels.end(), 1), 16);
  EXPECT_EQ(std::count(epoch.labels.begin(), epoch.labels.end(), 2), 16);
  EXPECT_EQ(epoch.features, again.features);
  StatusOr<std::unique_ptr<TrainingData>> single = Prepare(
      shares + "extra = [\"" + extra_ +
          "\"]\nsynthetic_share = 0.25\nlong_negative_share = 0.1\n"
          "reversed_share = 0.05\nspliced_share = 0.05\nshifted_share = 0.05\n",
      1);
  ASSERT_TRUE(single.ok());
  (*single)->BuildEpoch(3, 1, &one_thread);
  EXPECT_EQ(epoch.features, one_thread.features);
  for (float v : epoch.features) ASSERT_TRUE(std::isfinite(v));
}

TEST_F(DataSources, TheMainFolderMustHoldValidationData) {
  std::ofstream(main_ + "/tinykws-synth.json") << R"({"training_only": true})";
  StatusOr<std::unique_ptr<TrainingData>> data =
      Prepare("[data]\nunknown_share = 0.2\nsilence_share = 0.2\n");
  ASSERT_FALSE(data.ok());
  EXPECT_NE(data.status().message().find("training-only"), std::string::npos)
      << data.status().message();
  std::ofstream(main_ + "/tinykws-synth.json") << R"({"training_only": 1})";
  data = Prepare("[data]\nunknown_share = 0.2\nsilence_share = 0.2\n");
  ASSERT_FALSE(data.ok());
  EXPECT_NE(data.status().message().find("must be true or false"),
            std::string::npos)
      << data.status().message();
}

TEST(DataSpec, SharesLeaveRealOtherWordsAtLeastHalf) {
  const std::string base = testing::SyntheticConfig(
      "[data]\nsynthetic_share = 0.3\nspliced_share = 0.3\n");
  StatusOr<KwsConfig> c = ParseConfig(base, "shares");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("at least half"), std::string::npos);
  c = ParseConfig(testing::SyntheticConfig("[data]\nsynthetic_share = 0.6\n"),
                  "shares");
  EXPECT_FALSE(c.ok());
  c = ParseConfig(
      testing::SyntheticConfig(
          "[data]\nextra = [\"a\", \"b\"]\nsynthetic_share = 0.5\n"),
      "shares");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->data.extra, (std::vector<std::string>{"a", "b"}));
  // The resolved config writes them back.
  StatusOr<KwsConfig> back = ParseConfig(ConfigToToml(*c), "resolved");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->data.extra, c->data.extra);
  EXPECT_EQ(back->data.synthetic_share, 0.5f);
}

}  // namespace
}  // namespace tinykws::train
