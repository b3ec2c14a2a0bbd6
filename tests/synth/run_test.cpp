// Whole runs: determinism, atomic output, the manifest, continuous speech,
// and the errors raised before any work.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "../common/temp_dir_test.hpp"
#include "synth/synth.hpp"
#include "synth_test_util.hpp"
#include "tinykws/audio.hpp"

namespace tinykws::synth {
namespace {

namespace fs = std::filesystem;
using testing::DataPath;
using testing::FolderContents;
using testing::SmallRun;

class SynthRun : public tinykws::testing::TempDirTest {
 protected:
  // Prepares and executes; returns the error message or "".
  std::string Run(const SynthOptions& o) {
    StatusOr<PreparedRun> run = PrepareRun(o);
    if (!run.ok()) return "prepare: " + run.status().message();
    StatusOr<SynthSummary> summary = ExecuteRun(*run);
    if (!summary.ok()) return "execute: " + summary.status().message();
    return "";
  }
  std::string PrepareError(const SynthOptions& o) {
    StatusOr<PreparedRun> run = PrepareRun(o);
    return run.ok() ? "" : run.status().message();
  }
  bool NoTemporaries() const {
    for (const auto& e : fs::directory_iterator(dir_)) {
      if (e.path().filename().string().find(".tmp-") != std::string::npos) {
        return false;
      }
    }
    return true;
  }
};

TEST_F(SynthRun, SameSeedSameBytesWhateverTheJobs) {
  SynthOptions a = SmallRun(Path("a"));
  a.sentence_files = {DataPath("tiny.txt")};
  a.hours = 10.0 / 3600.0;
  ASSERT_EQ(Run(a), "");
  SynthOptions b = a;
  b.out_dir = Path("b");
  b.jobs = 1;
  ASSERT_EQ(Run(b), "");
  const auto fa = FolderContents(Path("a")), fb = FolderContents(Path("b"));
  ASSERT_EQ(fa.size(), fb.size());
  EXPECT_EQ(fa.size(), 4u + 3u + 2u + 1u);  // clips, speech + log, manifest
  for (const auto& [name, bytes] : fa) {
    ASSERT_EQ(fb.count(name), 1u) << name;
    EXPECT_TRUE(fb.at(name) == bytes) << name;
  }
  SynthOptions c = a;
  c.out_dir = Path("c");
  c.seed = 6;
  ASSERT_EQ(Run(c), "");
  const auto fc = FolderContents(Path("c"));
  size_t same = 0;
  for (const auto& [name, bytes] : fc) {
    if (name.size() > 4 && name.substr(name.size() - 4) == ".wav") {
      same += fa.count(name) && fa.at(name) == bytes;
    }
  }
  EXPECT_EQ(same, 0u);
}

TEST_F(SynthRun, ClipsAreOneSecondSixteenKilohertzMono) {
  ASSERT_EQ(Run(SmallRun(Path("out"))), "");
  size_t clips = 0;
  for (const auto& e : fs::recursive_directory_iterator(Path("out"))) {
    if (e.path().extension() != ".wav") continue;
    ++clips;
    StatusOr<AudioClip> clip = ReadAudio(e.path().string(), 16000);
    ASSERT_TRUE(clip.ok()) << clip.status().message();
    EXPECT_EQ(clip->samples.size(), 16000u);
    EXPECT_EQ(clip->source_sample_rate, 16000);
    EXPECT_EQ(clip->source_channels, 1);
    const std::string name = e.path().filename().string();
    EXPECT_NE(name.find("_nohash_"), std::string::npos);
    EXPECT_EQ(name.find("_nohash_"), name.rfind("_nohash_"));
  }
  EXPECT_EQ(clips, 7u);
  EXPECT_TRUE(NoTemporaries());
}

TEST_F(SynthRun, ManifestDescribesTheFolder) {
  SynthOptions o = SmallRun(Path("out"));
  o.keywords = {"go", "stop"};
  o.neighbours = 2;
  o.command_line = "kws synth --test";
  o.word_list = DataPath("tiny_words.txt");
  ASSERT_EQ(Run(o), "");
  const nlohmann::json j =
      nlohmann::json::parse(testing::ReadBytes(Path("out/tinykws-synth.json")));
  EXPECT_EQ(j["training_only"], true);
  EXPECT_EQ(j["synthetic"], true);
  EXPECT_EQ(j["tinykws_version"], TINYKWS_VERSION);
  EXPECT_EQ(j["command_line"], "kws synth --test");
  EXPECT_EQ(j["seed"], 5);
  EXPECT_EQ(j["voice_set"], "training");
  EXPECT_EQ(j["folders"]["go"]["kind"], "keyword");
  EXPECT_EQ(j["folders"]["go"]["clips"], 4);
  EXPECT_EQ(j["counts"]["keyword_clips"], 8);
  EXPECT_EQ(j["counts"]["word_clips"], 3);
  EXPECT_EQ(j["counts"]["neighbour_clips"], 4);
  EXPECT_EQ(j["counts"]["clips"], 15);
  EXPECT_EQ(j["keywords"][0]["phonemes"], "g oU");
  size_t words = 0, neighbours = 0;
  for (const auto& [name, folder] : j["folders"].items()) {
    EXPECT_TRUE(fs::is_directory(Path("out/" + name))) << name;
    if (folder["kind"] == "word") {
      ++words;
      EXPECT_NE(name, "cargo");  // go's sounds
      EXPECT_NE(name, "ago");
    }
    if (folder["kind"] == "neighbour") {
      ++neighbours;
      EXPECT_TRUE(folder["neighbour_of"] == "go" ||
                  folder["neighbour_of"] == "stop");
    }
  }
  EXPECT_EQ(words, 3u);
  EXPECT_EQ(neighbours, 4u);
  EXPECT_FALSE(fs::exists(Path("out/validation_list.txt")));
  EXPECT_FALSE(fs::exists(Path("out/testing_list.txt")));
}

TEST_F(SynthRun, ContinuousSpeechWithoutKeywords) {
  SynthOptions o = SmallRun(Path("out"));
  o.words = 0;
  o.keyword_clips = 2;
  o.sentence_files = {DataPath("tiny.txt")};
  o.hours = 1.0;  // far more than the text holds
  StatusOr<PreparedRun> run = PrepareRun(o);
  ASSERT_TRUE(run.ok()) << run.status().message();
  ASSERT_TRUE(run->plan.text_ran_out);
  ASSERT_FALSE(run->notes.empty());
  EXPECT_NE(run->notes.back().find("never repeated"), std::string::npos);
  ASSERT_EQ(run->texts.size(), 1u);
  EXPECT_EQ(run->texts[0].kept, 8u);  // 13 usable, 4 with go's sounds, 1 twice
  StatusOr<SynthSummary> summary = ExecuteRun(*run);
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_EQ(summary->sentences, 8u);
  EXPECT_EQ(summary->speech_files, 1u);
  StatusOr<AudioClip> speech =
      ReadAudio(Path("out/_speech_/speech_0000.wav"), 16000);
  ASSERT_TRUE(speech.ok()) << speech.status().message();
  EXPECT_NEAR(speech->samples.size() / 16000.0, summary->speech_seconds, 1e-3);
  EXPECT_GT(summary->speech_seconds, 8 * 1.0);
  const std::vector<std::string> log = [&] {
    std::vector<std::string> lines;
    std::ifstream in(Path("out/_speech_/sentences.txt"));
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }();
  ASSERT_EQ(log.size(), 9u);  // a header and 8 sentences
  double last_start = -1.0;
  for (size_t i = 1; i < log.size(); ++i) {
    EXPECT_EQ(log[i].rfind("speech_0000.wav\t", 0), 0u) << log[i];
    const double start = std::stod(log[i].substr(16));
    EXPECT_GT(start, last_start);
    last_start = start;
    EXPECT_EQ(log[i].find(" go"), std::string::npos) << log[i];
    EXPECT_EQ(log[i].find("ago"), std::string::npos) << log[i];
    EXPECT_EQ(log[i].find("going"), std::string::npos) << log[i];
  }
  EXPECT_TRUE(fs::exists(Path("out/tinykws-synth.json")));
}

TEST_F(SynthRun, FailedRunLeavesNoOutput) {
  SynthOptions o = SmallRun(Path("out"));
  o.fail_at_clip = 3;
  const std::string error = Run(o);
  EXPECT_NE(error.find("clip 3"), std::string::npos) << error;
  EXPECT_FALSE(fs::exists(Path("out")));
  EXPECT_TRUE(NoTemporaries());
  // With --force, a failure keeps the old folder as it was.
  fs::create_directory(Path("out"));
  std::ofstream(Path("out/old.txt")) << "old";
  o.force = true;
  EXPECT_NE(Run(o), "");
  EXPECT_TRUE(fs::exists(Path("out/old.txt")));
  EXPECT_TRUE(NoTemporaries());
}

TEST_F(SynthRun, ExistingOutputNeedsForce) {
  fs::create_directory(Path("out"));
  std::ofstream(Path("out/old.txt")) << "old";
  SynthOptions o = SmallRun(Path("out"));
  EXPECT_NE(PrepareError(o).find("exists (use --force"), std::string::npos);
  o.force = true;
  ASSERT_EQ(Run(o), "");
  EXPECT_FALSE(fs::exists(Path("out/old.txt")));
  EXPECT_TRUE(fs::exists(Path("out/go")));
  EXPECT_TRUE(NoTemporaries());
}

TEST_F(SynthRun, ErrorsBeforeAnyWork) {
  const SynthOptions base = SmallRun(Path("out"));
  auto error_of = [&](auto change) {
    SynthOptions o = base;
    change(o);
    return PrepareError(o);
  };
  auto has = [](const std::string& error, const char* part) {
    return error.find(part) != std::string::npos;
  };
  EXPECT_TRUE(has(error_of([](SynthOptions& o) { o.voices = "espeak-xx"; }),
                  "unknown voice 'espeak-xx'"));
  const std::string empty_list = Path("empty.txt");
  std::ofstream(empty_list) << "UPPER\n1234\n";
  EXPECT_TRUE(has(error_of([&](SynthOptions& o) { o.word_list = empty_list; }),
                  "no usable word"));
  EXPECT_TRUE(
      has(error_of([](SynthOptions& o) { o.keywords = {"go2"}; }), "letters"));
  EXPECT_TRUE(has(error_of([](SynthOptions& o) {
                    o.keywords.clear();
                    o.words = 0;
                  }),
                  "nothing to make"));
  // Keywords without clips only steer the filter: alone, nothing to make.
  EXPECT_TRUE(has(error_of([](SynthOptions& o) {
                    o.keyword_clips = 0;
                    o.words = 0;
                    o.neighbours = 0;
                  }),
                  "nothing to make"));
  EXPECT_TRUE(has(error_of([](SynthOptions& o) { o.keyword_clips = -1; }),
                  "must not be negative"));
  for (double hours : {0.0, -1.0, std::numeric_limits<double>::infinity(),
                       std::numeric_limits<double>::quiet_NaN()}) {
    EXPECT_TRUE(has(error_of([&](SynthOptions& o) {
                      o.sentence_files = {DataPath("tiny.txt")};
                      o.hours = hours;
                    }),
                    "--hours must be a positive, finite number"))
        << hours;
  }
  const std::string numbers = Path("numbers.txt");
  std::ofstream(numbers) << "1 2 3.\n4 5 6.\nShort.\nWe go there now.\n";
  EXPECT_TRUE(has(error_of([&](SynthOptions& o) {
                    o.sentence_files = {numbers};
                    o.hours = 0.01;
                  }),
                  "no usable sentence"));
  EXPECT_TRUE(
      has(error_of([](SynthOptions& o) { o.words = 1000; }), "has only"));
  EXPECT_TRUE(has(error_of([](SynthOptions& o) {
                    o.keywords = {"go", "Go"};
                  }),
                  "given twice"));
  EXPECT_TRUE(has(error_of([](SynthOptions& o) { o.noise_dir = "/no/such"; }),
                  "--noise"));
  EXPECT_FALSE(fs::exists(Path("out")));
  EXPECT_TRUE(NoTemporaries());
}

}  // namespace
}  // namespace tinykws::synth
