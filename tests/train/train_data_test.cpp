// The LibTorch-free parts of training: randomness, learning-rate schedule,
// augmentation, per-epoch data, run folder rules.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "../common/seed_config.hpp"
#include "synthetic_data.hpp"
#include "train/augment.hpp"
#include "train/feature_cache.hpp"
#include "train/lr_schedule.hpp"
#include "train/rng.hpp"
#include "train/run_dir.hpp"
#include "train/training_data.hpp"

namespace tinykws::train {
namespace {

namespace fs = std::filesystem;

TEST(Rng, IsAPureFunctionOfItsKey) {
  Rng a(1, Stream::kShuffle, 3), b(1, Stream::kShuffle, 3);
  Rng c(1, Stream::kShuffle, 4), d(2, Stream::kShuffle, 3),
      e(1, Stream::kAugment, 3);
  const uint64_t first = a.Next();
  EXPECT_EQ(first, b.Next());
  EXPECT_NE(first, c.Next());
  EXPECT_NE(first, d.Next());
  EXPECT_NE(first, e.Next());
  for (int i = 0; i < 1000; ++i) {
    const float u = a.Uniform();
    EXPECT_GE(u, 0.0f);
    EXPECT_LT(u, 1.0f);
    EXPECT_LT(a.Below(7), 7u);
  }
}

TEST(Rng, ShuffleIsAPermutation) {
  std::vector<int> v(100);
  std::iota(v.begin(), v.end(), 0);
  Rng rng(5, Stream::kShuffle, 0);
  Shuffle(v.begin(), v.end(), rng);
  EXPECT_FALSE(std::is_sorted(v.begin(), v.end()));
  std::vector<int> sorted = v;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < 100; ++i) EXPECT_EQ(sorted[i], i);
}

TEST(LrSchedule, LinearGoesFromFirstToFinalPerStep) {
  TrainingSpec t;
  t.learning_rate = 0.1f;
  t.final_learning_rate = 1e-4f;
  EXPECT_NEAR(LearningRate(t, 0, 101, 10), 0.1, 1e-7);
  EXPECT_NEAR(LearningRate(t, 50, 101, 10), (0.1 + 1e-4) / 2, 1e-7);
  EXPECT_NEAR(LearningRate(t, 100, 101, 10), 1e-4, 1e-9);
  t.lr_schedule = "cosine";
  EXPECT_NEAR(LearningRate(t, 0, 101, 10), 0.1, 1e-7);
  EXPECT_NEAR(LearningRate(t, 50, 101, 10), (0.1 + 1e-4) / 2, 1e-7);
  EXPECT_NEAR(LearningRate(t, 100, 101, 10), 1e-4, 1e-9);
  // Where cosine and linear differ: a quarter of the way, cos(pi/4) gives
  // 1e-4 + 0.0999 * (1 + 0.7071068) / 2 = 0.0853705 (linear: 0.075025).
  EXPECT_NEAR(LearningRate(t, 25, 101, 10), 0.0853705, 1e-6);
  EXPECT_NEAR(LearningRate(t, 75, 101, 10), 0.0147295, 1e-6);
  t.warmup_epochs = 1.0f;  // 10 steps up to 0.1, then the schedule
  EXPECT_NEAR(LearningRate(t, 0, 101, 10), 0.01, 1e-7);
  EXPECT_NEAR(LearningRate(t, 9, 101, 10), 0.1, 1e-7);
  EXPECT_NEAR(LearningRate(t, 100, 101, 10), 1e-4, 1e-9);
}

FeatureConfig Features() { return testing::SeedFeatureConfig(); }

TEST(Augment, TimeShiftMovesTheSignalWithinBounds) {
  AugmentSpec spec;
  spec.time_shift_ms = 100.0f;  // up to 1600 samples
  const Augmenter augmenter(spec, Features(), nullptr);
  EXPECT_TRUE(augmenter.changes_audio());
  std::vector<int16_t> clip(16000, 0);
  clip[8000] = 1000;  // a single click
  std::vector<float> work(32000);
  std::vector<int16_t> out(16000);
  int moved = 0;
  for (uint64_t i = 0; i < 50; ++i) {
    Rng rng(1, Stream::kAugment, i);
    augmenter.Apply(clip, false, rng, work.data(), out.data());
    const auto at = std::find(out.begin(), out.end(), 1000) - out.begin();
    ASSERT_LT(at, 16000);
    EXPECT_LE(std::abs(at - 8000), 1600);
    moved += at != 8000;
  }
  EXPECT_GT(moved, 40);
}

TEST(Augment, UnknownClipsShiftFarther) {
  AugmentSpec spec;
  spec.time_shift_ms = 100.0f;          // keywords: up to 1600 samples
  spec.unknown_time_shift_ms = 400.0f;  // other words: up to 6400
  const Augmenter augmenter(spec, Features(), nullptr);
  std::vector<int16_t> clip(16000, 0);
  clip[8000] = 1000;
  std::vector<float> work(32000);
  std::vector<int16_t> out(16000);
  int far = 0;
  for (uint64_t i = 0; i < 100; ++i) {
    for (bool unknown : {false, true}) {
      Rng rng(1, Stream::kAugment, i);
      augmenter.Apply(clip, unknown, rng, work.data(), out.data());
      const auto at = std::find(out.begin(), out.end(), 1000) - out.begin();
      ASSERT_LT(at, 16000);
      EXPECT_LE(std::abs(at - 8000), unknown ? 6400 : 1600);
      far += unknown && std::abs(at - 8000) > 1600;
    }
  }
  EXPECT_GT(far, 50);  // 3/4 of the draws land beyond the keywords' range
}

TEST(Augment, GainStaysWithinItsRangeAndNoiseAddsEnergy) {
  AugmentSpec spec;
  spec.gain_db = 6.0f;
  const Augmenter gain(spec, Features(), nullptr);
  std::vector<int16_t> clip(16000, 1000), out(16000);
  std::vector<float> work(32000);
  for (uint64_t i = 0; i < 50; ++i) {
    Rng rng(1, Stream::kAugment, i);
    gain.Apply(clip, false, rng, work.data(), out.data());
    EXPECT_GE(out[100], 501);   // 1000 * 10^(-6/20) = 501.2
    EXPECT_LE(out[100], 1996);  // 1000 * 10^(6/20) = 1995.3
  }
  AugmentSpec noisy;
  noisy.noise_probability = 1.0f;
  noisy.noise_max_volume = 1.0f;
  const NoiseBank bank = {std::vector<int16_t>(40000, 300)};
  const Augmenter noise(noisy, Features(), &bank);
  std::vector<int16_t> silence(16000, 0);
  Rng rng(2, Stream::kAugment, 0);
  noise.Apply(silence, false, rng, work.data(), out.data());
  EXPECT_GT(*std::max_element(out.begin(), out.end()), 0);
  EXPECT_LE(*std::max_element(out.begin(), out.end()), 300);
}

TEST(Augment, SpecAugmentMasksWithTheCoefficientMean) {
  AugmentSpec spec;
  spec.time_masks = 1;
  spec.time_mask_frames = 34;
  const Augmenter masker(spec, Features(), nullptr);
  EXPECT_TRUE(masker.changes_features());
  EXPECT_FALSE(masker.changes_audio());
  std::vector<float> mfcc(340);
  for (int f = 0; f < 34; ++f) {
    for (int c = 0; c < 10; ++c)
      mfcc[f * 10 + c] = static_cast<float>(f + 100 * c);
  }
  bool masked = false;
  for (uint64_t i = 0; i < 20 && !masked; ++i) {
    std::vector<float> copy = mfcc;
    Rng rng(3, Stream::kAugment, i);
    masker.MaskFeatures(rng, copy.data());
    for (int f = 0; f < 34; ++f) {
      if (copy[f * 10] != mfcc[f * 10]) {
        masked = true;
        EXPECT_NEAR(copy[f * 10 + 2], 200 + 16.5, 1e-3);  // mean over frames
      }
    }
  }
  EXPECT_TRUE(masked);
}

KwsConfig SyntheticKwsConfig(const std::string& extra = "") {
  StatusOr<KwsConfig> c =
      ParseConfig(testing::SyntheticConfig(extra), "synthetic");
  EXPECT_TRUE(c.ok()) << c.status().message();
  return *c;
}

TEST(TrainingData, EpochsAreDeterministicAndThreadIndependent) {
  const std::string dir = testing::MakeSyntheticData("epochs");
  const KwsConfig config = SyntheticKwsConfig(
      "[augment]\ntime_shift_ms = 50\nnoise_probability = 0.5\n"
      "noise_max_volume = 0.5\ngain_db = 3\nspeed = 0.1\n");
  LabeledSet one_thread, two_threads, other_epoch;
  for (int threads : {1, 2}) {
    StatusOr<std::unique_ptr<TrainingData>> data =
        TrainingData::Prepare(config, {dir, "", threads, false, false});
    ASSERT_TRUE(data.ok()) << data.status().message();
    EXPECT_EQ((*data)->training_size(), 72u);
    EXPECT_EQ((*data)->validation().size(), 12u);
    EXPECT_EQ((*data)->testing().size(), 12u);
    (*data)->BuildEpoch(1, 3, threads == 1 ? &one_thread : &two_threads);
    if (threads == 2) (*data)->BuildEpoch(1, 4, &other_epoch);
  }
  EXPECT_EQ(one_thread.features, two_threads.features);
  EXPECT_EQ(one_thread.labels, two_threads.labels);
  EXPECT_NE(one_thread.features, other_epoch.features);
  fs::remove_all(dir);
}

TEST(TrainingData, FeatureCacheIsReusedAndMatches) {
  const std::string dir = testing::MakeSyntheticData("cache");
  const std::string cache = dir + "/cache";
  const KwsConfig config = SyntheticKwsConfig();
  StatusOr<std::unique_ptr<TrainingData>> first =
      TrainingData::Prepare(config, {dir, cache, 2, false, false});
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE((*first)->features_from_cache());
  StatusOr<std::unique_ptr<TrainingData>> second =
      TrainingData::Prepare(config, {dir, cache, 2, false, false});
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE((*second)->features_from_cache());
  EXPECT_EQ((*first)->validation().features, (*second)->validation().features);
  // Another feature config is another cache entry.
  KwsConfig other = config;
  other.features.num_mfcc = 12;
  StatusOr<std::unique_ptr<TrainingData>> third =
      TrainingData::Prepare(other, {dir, cache, 2, false, false});
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE((*third)->features_from_cache());
  fs::remove_all(dir);
}

// The cache key follows the MFCC code: the fingerprint is the hash of what
// this build computes for the probe, and another fingerprint (another
// build's numbers) gives another key, hence another cache file.
TEST(FeatureCache, KeyChangesWithTheMfccNumbers) {
  const FeatureConfig f = Features();
  const std::string fingerprint = MfccFingerprint(f);
  EXPECT_EQ(fingerprint.size(), 64u);
  EXPECT_EQ(MfccFingerprint(f), fingerprint);
  FeatureConfig other = f;
  other.log_offset = 1e-5f;
  EXPECT_NE(MfccFingerprint(other), fingerprint);
  DatasetIndex index;
  index.data_dir = "/tmp";
  EXPECT_NE(CacheKey(index, f, fingerprint), CacheKey(index, f, "older build"));
  EXPECT_EQ(CacheKey(index, f, fingerprint), CacheKey(index, f, fingerprint));
}

TEST(TrainingData, UnknownAndSilenceShares) {
  const std::string dir = testing::MakeSyntheticData("shares");
  std::string text = testing::SyntheticConfig(
      "[data]\nunknown_share = 0.2\nsilence_share = 0.2\n");
  text.replace(text.find("[\"low\", \"high\"]"), 15,
               "[\"low\", \"_unknown_\", \"_silence_\"]");
  StatusOr<KwsConfig> config = ParseConfig(text, "shares");
  ASSERT_TRUE(config.ok()) << config.status().message();
  StatusOr<std::unique_ptr<TrainingData>> data =
      TrainingData::Prepare(*config, {dir, "", 2, false, false});
  ASSERT_TRUE(data.ok()) << data.status().message();
  // 36 "low" training clips are 60 %: 12 unknown and 12 silence on top.
  EXPECT_EQ((*data)->training_size(), 60u);
  LabeledSet epoch;
  (*data)->BuildEpoch(1, 0, &epoch);
  EXPECT_EQ(std::count(epoch.labels.begin(), epoch.labels.end(), 1), 12);
  EXPECT_EQ(std::count(epoch.labels.begin(), epoch.labels.end(), 2), 12);
  fs::remove_all(dir);
}

// When no training clip is an other word (all "high" clips listed for
// validation here), the epoch holds no _unknown_ extras, and the epoch size
// the trainer iterates over says so (it used to count them and read past
// the end of the epoch).
TEST(TrainingData, TrainingSizeMatchesTheEpochWithoutUnknownTrainingClips) {
  const std::string dir = testing::MakeSyntheticData("no_unknown");
  {
    std::ofstream list(dir + "/validation_list.txt", std::ios::app);
    for (int s = 4; s < 16; ++s) {  // 0-1 validation, 2-3 testing already
      for (int c = 0; c < 3; ++c) {
        list << "high/spk" << s << "_nohash_" << c << ".wav\n";
      }
    }
  }
  std::string text = testing::SyntheticConfig(
      "[data]\nunknown_share = 0.2\nsilence_share = 0.2\n");
  text.replace(text.find("[\"low\", \"high\"]"), 15,
               "[\"low\", \"_unknown_\", \"_silence_\"]");
  StatusOr<KwsConfig> config = ParseConfig(text, "no_unknown");
  ASSERT_TRUE(config.ok()) << config.status().message();
  StatusOr<std::unique_ptr<TrainingData>> data =
      TrainingData::Prepare(*config, {dir, "", 2, false, false});
  ASSERT_TRUE(data.ok()) << data.status().message();
  LabeledSet epoch;
  (*data)->BuildEpoch(1, 0, &epoch);
  EXPECT_EQ((*data)->training_size(), epoch.size());
  EXPECT_EQ(std::count(epoch.labels.begin(), epoch.labels.end(), 1), 0);
  EXPECT_EQ(std::count(epoch.labels.begin(), epoch.labels.end(), 2), 12);
  fs::remove_all(dir);
}

TEST(RunDir, StartResumeForceRules) {
  const fs::path root = fs::temp_directory_path() /
                        ("tinykws_rundir_" + std::to_string(getpid()));
  fs::remove_all(root);
  const std::string path = (root / "run").string();
  EXPECT_TRUE(RunDir::Open(path, false, false).ok());
  {
    // Nothing written yet: --resume starts the run (from --config).
    StatusOr<RunDir> empty = RunDir::Open(path, true, false);
    ASSERT_TRUE(empty.ok()) << empty.status().message();
    EXPECT_FALSE(empty->resuming());
    EXPECT_FALSE(empty->has_checkpoint());
    // While it is open, the folder is locked: a second run is refused,
    // naming this process.
    StatusOr<RunDir> second = RunDir::Open(path, true, false);
    ASSERT_FALSE(second.ok());
    EXPECT_NE(
        second.status().message().find("process " + std::to_string(getpid())),
        std::string::npos);
  }
  // Killed after writing its config: resumes from the start with it.
  std::ofstream(path + "/config.toml") << kResolvedConfigHeader << "\n";
  std::ofstream(path + "/best.pt") << "x";
  {
    StatusOr<RunDir> restart = RunDir::Open(path, true, false);
    ASSERT_TRUE(restart.ok()) << restart.status().message();
    EXPECT_TRUE(restart->resuming());
    EXPECT_FALSE(restart->has_checkpoint());
    EXPECT_TRUE(fs::exists(path + "/config.toml"));
    EXPECT_FALSE(fs::exists(path + "/best.pt"));
  }
  // Files that are not a run's: nothing to resume.
  std::ofstream(path + "/notes.txt") << "mine";
  EXPECT_EQ(RunDir::Open(path, true, false).status().code(),
            StatusCode::kNotFound);
  fs::remove(path + "/notes.txt");
  std::ofstream(path + "/checkpoint.pt") << "x";
  EXPECT_FALSE(RunDir::Open(path, false, false).ok());
  {
    StatusOr<RunDir> resumed = RunDir::Open(path, true, false);
    ASSERT_TRUE(resumed.ok());
    EXPECT_TRUE(resumed->resuming());
    EXPECT_TRUE(resumed->has_checkpoint());
  }
  std::ofstream(path + "/summary.json") << "{}";
  EXPECT_FALSE(RunDir::Open(path, true, false).ok());
  EXPECT_FALSE(RunDir::Open(path, false, false).ok());
  EXPECT_TRUE(RunDir::Open(path, false, true).ok());
  EXPECT_FALSE(fs::exists(path + "/summary.json"));
  std::ofstream((root / "file").string()) << "x";
  EXPECT_FALSE(RunDir::Open((root / "file").string(), false, false).ok());
  fs::remove_all(root);
}

}  // namespace
}  // namespace tinykws::train
