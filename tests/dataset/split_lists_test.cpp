// validation_list.txt / testing_list.txt: precedence over the hash rule,
// tolerant line parsing, and errors that name the list file and line.
#include <string>

#include "dataset_test_util.hpp"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tinykws/dataset.hpp"

namespace tinykws {
namespace dataset_test {
namespace {

using ::testing::HasSubstr;

class SplitListsTest : public DataDirTest {
 protected:
  // Speakers chosen by their golden hash buckets (split_hash_test.cpp):
  // spk5 -> validation, spk30 -> testing, abc -> training at 10 / 10.
  void SetUp() override {
    DataDirTest::SetUp();
    Touch("go/spk5_nohash_0.wav");
    Touch("go/spk30_nohash_0.wav");
    Touch("go/abc_nohash_0.wav");
    Touch("stop/spk5_nohash_1.wav");
    Touch("stop/abc_nohash_1.wav");
    Touch("yes/abc_nohash_2.wav");  // skipped folder
  }
};

TEST_F(SplitListsTest, ListsOverrideTheHashRule) {
  // Deliberately the opposite of the hash rule.
  Write("validation_list.txt", "go/abc_nohash_0.wav\n");
  Write("testing_list.txt", "go/spk5_nohash_0.wav\nyes/abc_nohash_2.wav\n");
  auto index = Index({"go", "stop"});
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_TRUE(index->split_from_lists);
  ASSERT_EQ(
      Relatives(*index),
      (std::vector<std::string>{"go/abc_nohash_0.wav", "go/spk30_nohash_0.wav",
                                "go/spk5_nohash_0.wav", "stop/abc_nohash_1.wav",
                                "stop/spk5_nohash_1.wav"}));
  EXPECT_EQ(index->clips[0].split, Split::kValidation);
  EXPECT_EQ(index->clips[1].split, Split::kTraining);  // unlisted
  EXPECT_EQ(index->clips[2].split, Split::kTesting);
  EXPECT_EQ(index->clips[3].split, Split::kTraining);
  EXPECT_EQ(index->clips[4].split, Split::kTraining);  // hash: validation
}

TEST_F(SplitListsTest, OneListAloneIsEnough) {
  Write("testing_list.txt", "stop/abc_nohash_1.wav\n");
  auto index = Index({"go", "stop"});
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_TRUE(index->split_from_lists);
  EXPECT_EQ(CountSplit(*index, Split::kValidation), 0u);
  EXPECT_EQ(CountSplit(*index, Split::kTesting), 1u);
  EXPECT_EQ(CountSplit(*index, Split::kTesting, "stop"), 1u);
  EXPECT_EQ(CountSplit(*index, Split::kTraining), 4u);
}

TEST_F(SplitListsTest, EmptyListStillDisablesTheHashRule) {
  Write("validation_list.txt", "");
  auto index = Index({"go", "stop"});
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_TRUE(index->split_from_lists);
  EXPECT_EQ(CountSplit(*index, Split::kTraining), index->clips.size());
}

TEST_F(SplitListsTest, ToleratesCrlfBlanksBomAndDotPrefix) {
  Write("validation_list.txt",
        "\xEF\xBB\xBFgo/spk5_nohash_0.wav\r\n"
        "\r\n"
        "   \t\r\n"
        "  ./stop/spk5_nohash_1.wav \t\r\n");
  Write("testing_list.txt", "go/spk30_nohash_0.wav\r\n");  // no final LF
  auto index = Index({"go", "stop"});
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_EQ(CountSplit(*index, Split::kValidation, "go"), 1u);
  EXPECT_EQ(CountSplit(*index, Split::kValidation, "stop"), 1u);
  EXPECT_EQ(CountSplit(*index, Split::kTesting, "go"), 1u);
  EXPECT_EQ(CountSplit(*index, Split::kTraining), 2u);
}

TEST_F(SplitListsTest, MissingListedClipNamesListAndLine) {
  Write("testing_list.txt",
        "go/spk30_nohash_0.wav\r\n\r\ngo/ghost_nohash_0.wav\r\n");
  auto index = Index({"go", "stop"});
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(index.status().message(),
            dir_ +
                "/testing_list.txt:3: listed clip 'go/ghost_nohash_0.wav' "
                "does not exist (" +
                dir_ + "/go/ghost_nohash_0.wav)");
}

TEST_F(SplitListsTest, ClipInBothListsIsAnError) {
  Write("validation_list.txt", "go/abc_nohash_0.wav\n");
  Write("testing_list.txt", "go/spk30_nohash_0.wav\ngo/abc_nohash_0.wav\n");
  auto index = Index({"go", "stop"});
  ASSERT_FALSE(index.ok());
  EXPECT_THAT(index.status().message(),
              HasSubstr(dir_ +
                        "/testing_list.txt:2: 'go/abc_nohash_0.wav' "
                        "is also listed in " +
                        dir_ + "/validation_list.txt"));
}

TEST_F(SplitListsTest, AbsoluteOrFolderEntriesAreErrors) {
  Write("validation_list.txt",
        "go/abc_nohash_0.wav\n" + Path("go/x.wav") + "\n");
  auto absolute = Index({"go", "stop"});
  ASSERT_FALSE(absolute.ok());
  EXPECT_THAT(absolute.status().message(),
              HasSubstr(dir_ + "/validation_list.txt:2: "));
  EXPECT_THAT(absolute.status().message(), HasSubstr("is absolute"));

  Write("validation_list.txt", "go\n");
  auto folder = Index({"go", "stop"});
  ASSERT_FALSE(folder.ok());
  EXPECT_THAT(folder.status().message(),
              HasSubstr(dir_ + "/validation_list.txt:1: listed clip 'go' is "
                               "not a file"));
}

TEST_F(SplitListsTest, ListThatIsAFolderIsAnError) {
  Mkdir("testing_list.txt");
  auto index = Index({"go", "stop"});
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().message(),
            dir_ + "/testing_list.txt: is not a regular file");
}

}  // namespace
}  // namespace dataset_test
}  // namespace tinykws
