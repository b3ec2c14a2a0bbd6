// The training loop end to end on a synthetic data set: it learns, it is
// deterministic, a resumed run equals an uninterrupted one bit for bit, and
// bad inputs are clear errors.
#include "train/trainer.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/atomic_file.hpp"
#include "synthetic_data.hpp"
#include "train/checkpoint.hpp"
#include "train_test_util.hpp"

namespace tinykws::train {
namespace {

namespace fs = std::filesystem;

class TrainerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new std::string(testing::MakeSyntheticData("trainer"));
    config_ = new std::string(*data_ + "/synthetic.toml");
    WriteFileAtomically(*config_, testing::SyntheticConfig());
  }
  static void TearDownTestSuite() {
    fs::remove_all(*data_);
    delete data_;
    delete config_;
  }

  TrainOptions Options(const std::string& run) const {
    return testing::QuietTrainOptions(*config_, *data_,
                                      *data_ + "/runs/" + run);
  }
  static std::vector<torch::Tensor> Weights(const std::string& path) {
    return testing::WeightsOf(*config_, path);
  }
  static void ExpectIdentical(const std::string& a, const std::string& b) {
    testing::ExpectIdenticalWeights(*config_, a, b);
  }

  static std::string* data_;
  static std::string* config_;
};

std::string* TrainerTest::data_ = nullptr;
std::string* TrainerTest::config_ = nullptr;

TEST_F(TrainerTest, LearnsTheSyntheticWordsAndWritesTheRunFolder) {
  TrainOptions o = Options("learns");
  TrainResult result;
  const Status status = RunTraining(o, &result);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_FALSE(result.interrupted);
  EXPECT_EQ(result.best_val_acc, 1.0);
  EXPECT_EQ(result.test_acc, 1.0);
  for (const char* file : {"config.toml", "metrics.jsonl", "checkpoint.pt",
                           "best.pt", "summary.json"}) {
    EXPECT_TRUE(fs::exists(o.out_dir + "/" + file)) << file;
  }
  std::ifstream metrics(o.out_dir + "/metrics.jsonl");
  std::string line;
  int lines = 0;
  while (std::getline(metrics, line)) {
    const nlohmann::json j = nlohmann::json::parse(line);
    EXPECT_EQ(j["epoch"], ++lines);
    for (const char* key :
         {"lr", "train_loss", "train_acc", "val_loss", "val_acc", "seconds"}) {
      EXPECT_TRUE(j.contains(key)) << key;
    }
  }
  EXPECT_EQ(lines, 6);
  std::ifstream summary_file(o.out_dir + "/summary.json");
  const nlohmann::json summary = nlohmann::json::parse(summary_file);
  EXPECT_EQ(summary["test_acc"], 1.0);
  EXPECT_EQ(summary["steps"], 6 * 8);  // 72 training clips, batch 10
  // The resolved config is a valid config equal to what ran.
  EXPECT_TRUE(LoadConfig(o.out_dir + "/config.toml").ok());
}

TEST_F(TrainerTest, SameSeedGivesIdenticalWeights) {
  TrainResult r;
  ASSERT_TRUE(RunTraining(Options("seed_a"), &r).ok());
  ASSERT_TRUE(RunTraining(Options("seed_b"), &r).ok());
  ExpectIdentical(*data_ + "/runs/seed_a/checkpoint.pt",
                  *data_ + "/runs/seed_b/checkpoint.pt");
  TrainOptions other = Options("seed_c");
  other.seed = 7;
  ASSERT_TRUE(RunTraining(other, &r).ok());
  const auto a = Weights(*data_ + "/runs/seed_a/checkpoint.pt");
  const auto c = Weights(*data_ + "/runs/seed_c/checkpoint.pt");
  EXPECT_FALSE(torch::equal(a[0], c[0]));
}

// Interrupt mid-epoch (step 21 of 48) and on an epoch boundary (step 24),
// resume, and compare with the uninterrupted run.
// A sweep item resumed from a folder already at (or past) its stop epoch
// trains nothing more: no metrics line, weights untouched.
TEST_F(TrainerTest, StopAfterEpochIsCheckedBeforeAnEpochToo) {
  TrainOptions first = Options("stop_at_2");
  first.stop_after_epoch = 2;
  TrainResult r;
  ASSERT_TRUE(RunTraining(first, &r).ok());
  ASSERT_TRUE(r.interrupted);
  const auto lines = [&] {
    std::ifstream in(first.out_dir + "/metrics.jsonl");
    int n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
  };
  ASSERT_EQ(lines(), 2);
  const std::vector<torch::Tensor> before =
      Weights(first.out_dir + "/checkpoint.pt");
  TrainOptions again = Options("stop_at_2");
  again.config_path.clear();
  again.resume = true;
  again.stop_after_epoch = 1;
  TrainResult r2;
  ASSERT_TRUE(RunTraining(again, &r2).ok());
  EXPECT_TRUE(r2.interrupted);
  EXPECT_EQ(r2.best_epoch, r.best_epoch);
  EXPECT_EQ(lines(), 2);
  const std::vector<torch::Tensor> after =
      Weights(first.out_dir + "/checkpoint.pt");
  ASSERT_EQ(before.size(), after.size());
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_TRUE(torch::equal(before[i], after[i])) << i;
  }
}

TEST_F(TrainerTest, ResumeEqualsAnUninterruptedRunBitForBit) {
  TrainResult r;
  ASSERT_TRUE(RunTraining(Options("whole"), &r).ok());
  for (int stop : {21, 24}) {
    const std::string name = "resumed" + std::to_string(stop);
    TrainOptions first = Options(name);
    first.stop_after_steps = stop;
    TrainResult partial;
    ASSERT_TRUE(RunTraining(first, &partial).ok());
    EXPECT_TRUE(partial.interrupted);
    EXPECT_FALSE(fs::exists(first.out_dir + "/summary.json"));
    TrainOptions rest = Options(name);
    rest.config_path.clear();  // a resumed run reads its own config
    rest.resume = true;
    TrainResult done;
    const Status status = RunTraining(rest, &done);
    ASSERT_TRUE(status.ok()) << status.message();
    EXPECT_FALSE(done.interrupted);
    ExpectIdentical(*data_ + "/runs/whole/checkpoint.pt",
                    rest.out_dir + "/checkpoint.pt");
    ExpectIdentical(*data_ + "/runs/whole/best.pt", rest.out_dir + "/best.pt");
    std::ifstream a(*data_ + "/runs/whole/metrics.jsonl"),
        b(rest.out_dir + "/metrics.jsonl");
    std::string la, lb;
    int lines = 0;
    while (std::getline(a, la) && std::getline(b, lb)) {
      const auto ja = nlohmann::json::parse(la), jb = nlohmann::json::parse(lb);
      EXPECT_EQ(ja["train_loss"], jb["train_loss"]) << "epoch " << ja["epoch"];
      EXPECT_EQ(ja["val_acc"], jb["val_acc"]);
      ++lines;
    }
    EXPECT_EQ(lines, 6);
  }
}

TEST_F(TrainerTest, RunFolderRules) {
  TrainResult r;
  TrainOptions o = Options("rules");
  ASSERT_TRUE(RunTraining(o, &r).ok());
  Status again = RunTraining(o, &r);
  EXPECT_FALSE(again.ok());
  EXPECT_NE(again.message().find("finished run"), std::string::npos)
      << again.message();
  o.resume = true;
  again = RunTraining(o, &r);
  EXPECT_NE(again.message().find("nothing to resume"), std::string::npos);
  o.resume = false;
  o.force = true;
  EXPECT_TRUE(RunTraining(o, &r).ok());

  // --resume where a killed run wrote nothing yet starts the run, so the
  // original command with --resume always finishes it; a folder of other
  // files is no run to resume.
  TrainOptions fresh = Options("nothing_yet");
  fresh.resume = true;
  EXPECT_TRUE(RunTraining(fresh, &r).ok());
  EXPECT_TRUE(fs::exists(fresh.out_dir + "/summary.json"));
  TrainOptions foreign = Options("foreign");
  fs::create_directories(foreign.out_dir);
  WriteFileAtomically(foreign.out_dir + "/notes.txt", "mine\n");
  foreign.resume = true;
  EXPECT_EQ(RunTraining(foreign, &r).code(), StatusCode::kNotFound);
  EXPECT_TRUE(fs::exists(foreign.out_dir + "/notes.txt"));

  TrainOptions half = Options("half");
  half.stop_after_steps = 5;
  ASSERT_TRUE(RunTraining(half, &r).ok());
  half.stop_after_steps = -1;
  const Status unfinished = RunTraining(half, &r);
  EXPECT_NE(unfinished.message().find("--resume"), std::string::npos);
  half.resume = true;
  half.epochs = 9;
  EXPECT_NE(RunTraining(half, &r).message().find(
                "--epochs differs from the run's (6)"),
            std::string::npos);
  // The original command with --resume works: equal values are accepted.
  half.epochs = 6;
  half.seed = 1;
  EXPECT_TRUE(RunTraining(half, &r).ok());
}

// A folder that holds other things is not taken over without --force; a
// run that fails before its first checkpoint leaves no folder behind; files
// a killed run left half-renamed are cleaned up.
TEST_F(TrainerTest, OutputFoldersAreNotTakenOver) {
  TrainResult r;
  TrainOptions o = Options("users_folder");
  fs::create_directories(o.out_dir);
  WriteFileAtomically(o.out_dir + "/config.toml", "my own notes\n");
  Status s = RunTraining(o, &r);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("holds no run (found 'config.toml')"),
            std::string::npos)
      << s.message();
  EXPECT_EQ(ReadWholeFile(o.out_dir + "/config.toml", 100).value(),
            "my own notes\n");

  TrainOptions failing = Options("fails_early");
  failing.data_dir = *data_ + "/no_such_folder";
  EXPECT_FALSE(RunTraining(failing, &r).ok());
  EXPECT_FALSE(fs::exists(failing.out_dir));

  TrainOptions killed = Options("killed");
  killed.stop_after_steps = 3;
  ASSERT_TRUE(RunTraining(killed, &r).ok());
  WriteFileAtomically(killed.out_dir + "/checkpoint.pt.tmp.4242", "partial");
  WriteFileAtomically(killed.out_dir + "/metrics.jsonl.tmp.AbCdEf", "x");
  killed.stop_after_steps = -1;
  killed.resume = true;
  ASSERT_TRUE(RunTraining(killed, &r).ok());
  EXPECT_FALSE(fs::exists(killed.out_dir + "/checkpoint.pt.tmp.4242"));
  EXPECT_FALSE(fs::exists(killed.out_dir + "/metrics.jsonl.tmp.AbCdEf"));
}

TEST_F(TrainerTest, BadDataIsAClearError) {
  TrainResult r;
  TrainOptions missing = Options("missing_data");
  missing.data_dir = *data_ + "/no_such_folder";
  Status s = RunTraining(missing, &r);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("no_such_folder"), std::string::npos)
      << s.message();

  const std::string config = *data_ + "/labels.toml";
  std::string text = testing::SyntheticConfig();
  text.replace(text.find("\"high\"]"), 7, "\"medium\"]");
  WriteFileAtomically(config, text);
  TrainOptions label = Options("missing_label");
  label.config_path = config;
  s = RunTraining(label, &r);
  EXPECT_NE(s.message().find("medium"), std::string::npos) << s.message();

  // One unreadable clip: an error naming it, or skipped on request.
  const std::string broken = testing::MakeSyntheticData("broken");
  const std::string bad_clip = broken + "/low/spk9_nohash_0.wav";
  WriteFileAtomically(bad_clip, "this is not audio");
  TrainOptions bad = Options("bad_clip");
  bad.data_dir = broken;
  s = RunTraining(bad, &r);
  EXPECT_NE(s.message().find("spk9_nohash_0.wav"), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("--skip-bad-clips"), std::string::npos);
  bad.skip_bad_clips = true;
  bad.force = true;
  s = RunTraining(bad, &r);
  EXPECT_TRUE(s.ok()) << s.message();
  std::ifstream summary_file(bad.out_dir + "/summary.json");
  EXPECT_EQ(nlohmann::json::parse(summary_file)["bad_clips"], 1);
  fs::remove_all(broken);
}

}  // namespace
}  // namespace tinykws::train

namespace tinykws::train {
namespace {

// Weight averaging: learns, and resumes bit for bit (the average is part of
// the checkpoint).
TEST(TrainerAverage, AveragedRunResumesBitForBit) {
  const std::string data = testing::MakeSyntheticData("average");
  const std::string config = data + "/average.toml";
  ASSERT_TRUE(WriteFileAtomically(
                  config, testing::SyntheticConfig("weight_average = 0.9\n"))
                  .ok());
  auto options = [&](const std::string& run) {
    return testing::QuietTrainOptions(config, data, data + "/runs/" + run);
  };
  TrainResult whole;
  ASSERT_TRUE(RunTraining(options("whole"), &whole).ok());
  EXPECT_EQ(whole.best_val_acc, 1.0);
  TrainOptions first = options("resumed");
  first.stop_after_steps = 21;
  TrainResult r;
  ASSERT_TRUE(RunTraining(first, &r).ok());
  TrainOptions rest = options("resumed");
  rest.config_path.clear();
  rest.resume = true;
  ASSERT_TRUE(RunTraining(rest, &r).ok());
  for (const char* file : {"best.pt", "checkpoint.pt"}) {
    testing::ExpectIdenticalWeights(config, data + "/runs/whole/" + file,
                                    data + "/runs/resumed/" + file);
  }
  std::filesystem::remove_all(data);
}

}  // namespace
}  // namespace tinykws::train
