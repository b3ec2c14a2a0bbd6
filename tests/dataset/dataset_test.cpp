// IndexDataset on small synthetic folders: which files count as clips,
// label mapping, skipped folders, noise files, the speaker-hash split and
// every error case.
#include "tinykws/dataset.hpp"

#include <limits>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "dataset_test_util.hpp"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tinykws {
namespace dataset_test {
namespace {

using ::testing::HasSubstr;

using DatasetTest = DataDirTest;

TEST_F(DatasetTest, IndexesAudioFilesOfLabelFolders) {
  Touch("stop/bbb_nohash_0.wav");
  Touch("go/aaa_nohash_1.WAV");  // extensions are case-insensitive
  Touch("go/aaa_nohash_0.flac");
  Touch("go/no_marker.ogg");            // speaker = whole file name
  Touch("go/notes.txt");                // not audio
  Touch("go/._aaa_nohash_2.wav");       // macOS resource fork, hidden
  Touch("go/deeper/ccc_nohash_0.wav");  // not recursed into
  Touch(".git/x_nohash_0.wav");         // hidden folder
  Touch("top_level.wav");               // not in a word folder
  Touch("yes/ddd_nohash_0.wav");

  auto index = Index({"go", "stop"});
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_EQ(index->data_dir, dir_);
  EXPECT_EQ(index->labels, (std::vector<std::string>{"go", "stop"}));
  EXPECT_EQ(
      Relatives(*index),
      (std::vector<std::string>{"go/aaa_nohash_0.flac", "go/aaa_nohash_1.WAV",
                                "go/no_marker.ogg", "stop/bbb_nohash_0.wav"}));
  EXPECT_EQ(index->skipped_folders, (std::vector<std::string>{"yes"}));
  EXPECT_TRUE(index->background_noise_files.empty());
  EXPECT_FALSE(index->split_from_lists);

  const ClipInfo& first = index->clips[0];
  EXPECT_EQ(first.path, dir_ + "/go/aaa_nohash_0.flac");
  EXPECT_EQ(first.folder, "go");
  EXPECT_EQ(first.speaker, "aaa");
  EXPECT_EQ(first.label, 0);
  EXPECT_EQ(index->clips[2].speaker, "no_marker.ogg");
  EXPECT_EQ(index->clips[3].label, 1);
  EXPECT_EQ(index->clips[3].speaker, "bbb");
}

TEST_F(DatasetTest, AcceptsEveryAudioExtension) {
  const std::vector<std::string> names = {"a.aif", "b.AIFF", "c.au", "d.flac",
                                          "e.mp3", "f.ogg",  "g.wav"};
  for (const std::string& name : names) Touch("go/" + name);
  Touch("go/h.npy");
  Touch("go/wav");  // no extension at all
  auto index = Index({"go"});
  ASSERT_TRUE(index.ok()) << index.status().message();
  ASSERT_EQ(index->clips.size(), names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(index->clips[i].relative, "go/" + names[i]);
  }
}

TEST_F(DatasetTest, UnknownLabelCollectsOtherWordFolders) {
  Touch("go/a_nohash_0.wav");
  Touch("go-fast/b_nohash_0.wav");  // sorts before "go/" as a path
  Touch("yes/c_nohash_0.wav");
  Mkdir("empty");  // a folder feeding _unknown_ may be empty
  Touch("_background_noise_/white.wav");

  auto index = Index({"_unknown_", "go"});
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_TRUE(index->skipped_folders.empty());
  EXPECT_EQ(Relatives(*index), (std::vector<std::string>{
                                   "go-fast/b_nohash_0.wav",
                                   "go/a_nohash_0.wav", "yes/c_nohash_0.wav"}));
  EXPECT_EQ(index->clips[0].label, 0);
  EXPECT_EQ(index->clips[0].folder, "go-fast");
  EXPECT_EQ(index->clips[1].label, 1);
  EXPECT_EQ(index->clips[2].label, 0);
  // The noise folder is never a word folder, but its files are listed.
  EXPECT_EQ(index->background_noise_files,
            (std::vector<std::string>{dir_ + "/_background_noise_/white.wav"}));
}

TEST_F(DatasetTest, SkippedFoldersAreSortedNonLabelFolders) {
  Touch("go/a_nohash_0.wav");
  Touch("zebra/a_nohash_0.wav");
  Touch("apple/a_nohash_0.wav");
  Mkdir("empty");
  Touch("_background_noise_/n.wav");
  auto index = Index({"go"});
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_EQ(index->skipped_folders,
            (std::vector<std::string>{"apple", "empty", "zebra"}));
  EXPECT_EQ(index->clips.size(), 1u);
}

TEST_F(DatasetTest, SilenceListsBackgroundNoiseFiles) {
  Touch("go/a_nohash_0.wav");
  Touch("_background_noise_/white_noise.flac");
  Touch("_background_noise_/dishes.wav");
  Touch("_background_noise_/README.md");
  auto index = Index({"go", "_silence_"});
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_EQ(index->background_noise_files,
            (std::vector<std::string>{
                dir_ + "/_background_noise_/dishes.wav",
                dir_ + "/_background_noise_/white_noise.flac"}));
  // _silence_ clips are cut from noise later; none are indexed as files.
  EXPECT_EQ(index->clips.size(), 1u);
}

TEST_F(DatasetTest, SpeechFolderHoldsRecordingsNotAWord) {
  Touch("go/a_nohash_0.wav");
  Touch("other/b_nohash_0.wav");
  Touch("_speech_/speech_0001.wav");
  Touch("_speech_/speech_0000.flac");
  Touch("_speech_/sentences.txt");
  auto index = Index({"go", "_unknown_"});
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_EQ(index->speech_files,
            (std::vector<std::string>{dir_ + "/_speech_/speech_0000.flac",
                                      dir_ + "/_speech_/speech_0001.wav"}));
  EXPECT_EQ(
      Relatives(*index),
      (std::vector<std::string>{"go/a_nohash_0.wav", "other/b_nohash_0.wav"}));
  EXPECT_FALSE(index->training_only);
  EXPECT_FALSE(index->synthetic);
}

TEST_F(DatasetTest, ATrainingOnlyManifestPutsEveryClipInTraining) {
  // Speakers the hash rule would send to validation and testing.
  for (int s = 0; s < 40; ++s) {
    Touch("go/spk" + std::to_string(s) + "_nohash_0.wav");
  }
  Write("testing_list.txt", "go/spk0_nohash_0.wav\n");
  std::set<Split> splits;
  auto plain = Index({"go"});
  ASSERT_TRUE(plain.ok());
  for (const ClipInfo& c : plain->clips) splits.insert(c.split);
  EXPECT_EQ(splits.count(Split::kTesting), 1u);
  Write("tinykws-synth.json", R"({"training_only": true, "synthetic": true})");
  auto index = Index({"go"});
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_TRUE(index->training_only);
  EXPECT_TRUE(index->synthetic);
  for (const ClipInfo& c : index->clips) {
    EXPECT_EQ(c.split, Split::kTraining) << c.relative;
  }
  Write("tinykws-synth.json", "not json");
  auto bad = Index({"go"});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("not a JSON object"));
}

TEST_F(DatasetTest, AnExtraFolderMayHoldSomeLabelsOnly) {
  Touch("apple/a_nohash_0.wav");
  DatasetOptions extra;
  extra.require_every_label = false;
  auto index = Index({"go", "stop", "_unknown_", "_silence_"}, extra);
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_EQ(index->clips.size(), 1u);
  EXPECT_FALSE(Index({"go", "stop", "_unknown_", "_silence_"}).ok());
}

TEST_F(DatasetTest, SilenceWithoutNoiseIsAnError) {
  Touch("go/a_nohash_0.wav");
  auto missing = Index({"go", "_silence_"});
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("'_silence_'"));
  EXPECT_THAT(missing.status().message(),
              HasSubstr(dir_ + "/_background_noise_"));

  Touch("_background_noise_/README.md");  // present but no audio
  auto empty = Index({"go", "_silence_"});
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().message(), HasSubstr("'_silence_'"));
  EXPECT_THAT(empty.status().message(), HasSubstr("has none"));
}

TEST_F(DatasetTest, UnknownWithoutOtherWordsIsAnError) {
  Touch("go/a_nohash_0.wav");
  auto none = Index({"go", "_unknown_"});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message(),
            dir_ +
                ": label '_unknown_' needs word folders that are not "
                "labels, with audio clips; found none");
  Mkdir("other");  // a folder with no clips does not help
  EXPECT_FALSE(Index({"go", "_unknown_"}).ok());
  Touch("other/b_nohash_0.mp3");
  EXPECT_TRUE(Index({"go", "_unknown_"}).ok());
}

TEST_F(DatasetTest, LabelWithoutFolderOrClipsIsAnError) {
  Touch("stop/a_nohash_0.wav");
  auto no_folder = Index({"go", "stop"});
  ASSERT_FALSE(no_folder.ok());
  EXPECT_EQ(no_folder.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(no_folder.status().message(),
            dir_ + ": label 'go' has no folder " + dir_ + "/go");

  Touch("go/readme.txt");
  auto no_clips = Index({"go", "stop"});
  ASSERT_FALSE(no_clips.ok());
  EXPECT_THAT(no_clips.status().message(),
              HasSubstr("label 'go' has no audio clips in " + dir_ + "/go"));
}

TEST_F(DatasetTest, BadLabelListsAreErrors) {
  Touch("go/a_nohash_0.wav");
  Touch("stop/a_nohash_0.wav");
  struct Case {
    std::vector<std::string> labels;
    const char* expected;
  };
  const Case cases[] = {
      {{}, "the label list is empty"},
      {{"go", "stop", "go"}, "labels[2]: 'go' duplicates labels[0]"},
      {{"go", ""}, "labels[1]: empty label"},
      {{"go/x"}, "'go/x' is not a plain"},
      {{".."}, "'..' is not a plain"},
      {{".hidden"}, "'.hidden' is not a plain"},
      {{"_background_noise_"}, "'_background_noise_' is the noise folder"},
  };
  for (const Case& c : cases) {
    auto index = Index(c.labels);
    ASSERT_FALSE(index.ok()) << c.expected;
    EXPECT_EQ(index.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(index.status().message(), HasSubstr(c.expected));
  }
}

TEST_F(DatasetTest, DataDirMustBeAnExistingFolder) {
  auto missing = IndexDataset(dir_ + "/nope", {"go"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            dir_ + "/nope: data folder does not exist");

  Touch("file.wav");
  auto file = IndexDataset(dir_ + "/file.wav", {"go"});
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(file.status().message(), dir_ + "/file.wav: is not a folder");
}

TEST_F(DatasetTest, BadSplitPercentagesAreErrors) {
  Touch("go/a_nohash_0.wav");
  for (const auto& [v, t] : std::vector<std::pair<double, double>>{
           {-1.0, 10.0},
           {10.0, -0.5},
           {60.0, 50.0},
           {std::numeric_limits<double>::quiet_NaN(), 10.0}}) {
    DatasetOptions options;
    options.validation_percent = v;
    options.testing_percent = t;
    auto index = Index({"go"}, options);
    ASSERT_FALSE(index.ok()) << v << " " << t;
    EXPECT_EQ(index.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(index.status().message(), HasSubstr("validation_percent"));
  }
}

// 300 speakers, 1-4 clips each, spread over three words: every clip gets its
// speaker's hash split, so no speaker is in two splits.
TEST_F(DatasetTest, HashSplitKeepsSpeakersApart) {
  const char* words[] = {"go", "stop", "yes"};
  for (int s = 0; s < 300; ++s) {
    const std::string speaker = "spk" + std::to_string(s);
    for (int k = 0; k <= s % 4; ++k) {
      Touch(std::string(words[(s + k) % 3]) + "/" + speaker + "_nohash_" +
            std::to_string(k) + ".wav");
    }
  }
  auto index = Index({"go", "stop", "_unknown_"});
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_FALSE(index->split_from_lists);
  std::map<std::string, std::set<Split>> splits_of;
  for (const ClipInfo& clip : index->clips) {
    EXPECT_EQ(clip.split, SplitBySpeakerHash(clip.speaker, 10.0, 10.0))
        << clip.relative;
    splits_of[clip.speaker].insert(clip.split);
  }
  ASSERT_EQ(splits_of.size(), 300u);
  std::map<Split, int> speakers_per_split;
  for (const auto& [speaker, splits] : splits_of) {
    EXPECT_EQ(splits.size(), 1u) << speaker;
    ++speakers_per_split[*splits.begin()];
  }
  // All three splits are used (about 30 / 30 / 240 speakers).
  EXPECT_GT(speakers_per_split[Split::kValidation], 10);
  EXPECT_GT(speakers_per_split[Split::kTesting], 10);
  EXPECT_GT(speakers_per_split[Split::kTraining], 200);

  // Other percentages are honoured; 0 / 0 trains on everything.
  DatasetOptions all_training;
  all_training.validation_percent = 0.0;
  all_training.testing_percent = 0.0;
  auto trained = Index({"go", "stop", "_unknown_"}, all_training);
  ASSERT_TRUE(trained.ok()) << trained.status().message();
  EXPECT_EQ(CountSplit(*trained, Split::kTraining), trained->clips.size());
}

}  // namespace
}  // namespace dataset_test
}  // namespace tinykws
