// The shared Speech Commands excerpt (../shared/data/speech_commands): clip
// counts, the published split lists, and that those lists follow the
// speaker-hash rule the data README describes. Skipped when the folder is
// not there (e.g. on a machine without the shared data).
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "dataset/split_hash.hpp"
#include "dataset_test_util.hpp"
#include "gtest/gtest.h"
#include "tinykws/dataset.hpp"

namespace tinykws {
namespace dataset_test {
namespace {

const std::string kDataDir =
    TINYKWS_SOURCE_DIR "/../shared/data/speech_commands";

class RealDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::is_directory(kDataDir)) {
      GTEST_SKIP() << kDataDir << " is absent";
    }
  }
};

TEST_F(RealDataTest, GoStopCountsAndListSplits) {
  auto index = IndexDataset(kDataDir, {"go", "stop"});
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_TRUE(index->split_from_lists);
  size_t go = 0;
  size_t stop = 0;
  for (const ClipInfo& clip : index->clips) {
    (clip.label == 0 ? go : stop) += 1;
  }
  EXPECT_EQ(go, 894u);
  EXPECT_EQ(stop, 894u);
  EXPECT_EQ(CountSplit(*index, Split::kValidation, "go"), 110u);
  EXPECT_EQ(CountSplit(*index, Split::kValidation, "stop"), 96u);
  EXPECT_EQ(CountSplit(*index, Split::kTesting, "go"), 89u);
  EXPECT_EQ(CountSplit(*index, Split::kTesting, "stop"), 85u);
  EXPECT_EQ(
      index->skipped_folders,
      (std::vector<std::string>{"down", "left", "no", "right", "up", "yes"}));
  EXPECT_EQ(index->background_noise_files.size(), 6u);
}

// Every clip, through _unknown_: the lists hold exactly the speakers with
// bucket < 10 (validation) and 20-30 (local test); every other clip is
// training and lies at >= 30 (the official 10-20 test speakers are absent).
TEST_F(RealDataTest, ListsFollowTheSpeakerHashRule) {
  auto index = IndexDataset(kDataDir, {"go", "stop", "_unknown_", "_silence_"});
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_EQ(index->clips.size(), 3921u);
  EXPECT_EQ(CountSplit(*index, Split::kValidation), 865u);
  EXPECT_EQ(CountSplit(*index, Split::kTesting), 697u);
  std::map<std::string, std::set<Split>> splits_of;
  for (const ClipInfo& clip : index->clips) {
    const double percent = dataset::SpeakerHashPercent(clip.speaker);
    switch (clip.split) {
      case Split::kValidation:
        EXPECT_LT(percent, 10.0) << clip.relative;
        break;
      case Split::kTesting:
        EXPECT_GE(percent, 20.0) << clip.relative;
        EXPECT_LT(percent, 30.0) << clip.relative;
        break;
      case Split::kTraining:
        EXPECT_GE(percent, 30.0) << clip.relative;
        break;
    }
    splits_of[clip.speaker].insert(clip.split);
  }
  for (const auto& [speaker, splits] : splits_of) {
    EXPECT_EQ(splits.size(), 1u) << speaker;
  }
}

}  // namespace
}  // namespace dataset_test
}  // namespace tinykws
