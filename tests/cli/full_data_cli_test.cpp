// The real-size path: scripts/get_data.sh --full on a tiny archive of Speech
// Commands v0.02's shape (35 word folders at the top level, split lists,
// _background_noise_), then the default config trained, exported, evaluated
// and spotted on it unchanged: go and stop are keywords, the 33 other words
// are _unknown_.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "../common/run_command.hpp"
#include "tinykws/audio.hpp"

namespace tinykws::testing {
namespace {

namespace fs = std::filesystem;

const char* const kWords[] = {
    "backward", "bed",    "bird",    "cat",    "dog", "down",  "eight",
    "five",     "follow", "forward", "four",   "go",  "happy", "house",
    "learn",    "left",   "marvin",  "nine",   "no",  "off",   "on",
    "one",      "right",  "seven",   "sheila", "six", "stop",  "three",
    "tree",     "two",    "up",      "visual", "wow", "yes",   "zero"};

// Writes the release's layout under root: per word 4 speakers x 1 clip (a
// tone of the word's own pitch), speaker 0 in validation, 1 in testing.
void WriteFakeRelease(const fs::path& root) {
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0.0f, 300.0f);
  std::ofstream validation(root / "validation_list.txt");
  std::ofstream testing(root / "testing_list.txt");
  int w = 0;
  for (const char* word : kWords) {
    fs::create_directories(root / word);
    const float hz = 200.0f + 100.0f * w++;
    for (int s = 0; s < 4; ++s) {
      const std::string file =
          "0a" + std::to_string(w) + "b" + std::to_string(s) + "_nohash_0.wav";
      std::vector<int16_t> pcm(16000);
      for (int i = 0; i < 16000; ++i) {
        float v = noise(rng);
        if (i > 3000 && i < 11000)
          v += 5000.0f * std::sin(6.2831853f * hz * i / 16000);
        pcm[i] = static_cast<int16_t>(std::lround(v));
      }
      ASSERT_TRUE(
          WriteWav((root / word / file).string(), pcm.data(), pcm.size(), 16000)
              .ok());
      if (s == 0) validation << word << "/" << file << "\n";
      if (s == 1) testing << word << "/" << file << "\n";
    }
  }
  fs::create_directories(root / "_background_noise_");
  std::vector<int16_t> bed(16000 * 20);
  for (int16_t& v : bed) v = static_cast<int16_t>(std::lround(noise(rng)));
  ASSERT_TRUE(
      WriteWav((root / "_background_noise_" / "white_noise.wav").string(),
               bed.data(), bed.size(), 16000)
          .ok());
  std::ofstream(root / "LICENSE") << "CC BY 4.0 (test stand-in)\n";
}

TEST(FullDataCli, GetDataFullThenTheDefaultConfigRunsUnchanged) {
  const fs::path dir = fs::temp_directory_path() /
                       ("tinykws_full_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "release");
  WriteFakeRelease(dir / "release");
  const std::string archive = (dir / "speech_commands_v0.02.tar.gz").string();
  ASSERT_EQ(RunCommand(
                {"tar", "-czf", archive, "-C", (dir / "release").string(), "."})
                .exit_code,
            0);
  const std::string data = (dir / "speech_commands").string();
  const std::string script =
      std::string(TINYKWS_SOURCE_DIR) + "/scripts/get_data.sh";
  const CommandResult got =
      RunCommand({"env", "TINYKWS_DATA_URL=file://" + archive, "bash", script,
                  "--full", data});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  EXPECT_NE(got.err.find("35 words, 140 clips"), std::string::npos) << got.err;
  EXPECT_TRUE(fs::exists(data + "/_background_noise_/white_noise.wav"));
  // A second download into the same folder is refused, not merged.
  EXPECT_EQ(RunCommand({"env", "TINYKWS_DATA_URL=file://" + archive, "bash",
                        script, "--full", data})
                .exit_code,
            1);
  // An archive without the release's words is not taken for it.
  fs::remove_all(dir / "release" / "marvin");
  ASSERT_EQ(RunCommand(
                {"tar", "-czf", archive, "-C", (dir / "release").string(), "."})
                .exit_code,
            0);
  const CommandResult wrong =
      RunCommand({"env", "TINYKWS_DATA_URL=file://" + archive, "bash", script,
                  "--full", (dir / "other").string()});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("no 'marvin' folder"), std::string::npos)
      << wrong.err;
  EXPECT_FALSE(fs::exists(dir / "other"));

  // The default detector's config, as shipped.
  const std::string config =
      std::string(TINYKWS_SOURCE_DIR) + "/configs/go_stop_4class.toml";
  const std::string run = (dir / "run").string();
  const CommandResult train = RunCommand(
      {TINYKWS_TRAIN_BINARY, "train", "--config", config, "--data", data,
       "--out", run, "--epochs", "2", "--threads", "2", "--no-cache", "-q"});
  ASSERT_EQ(train.exit_code, 0) << train.err;
  const std::string model = run + "/m.kws";
  const CommandResult exported =
      RunCommand({TINYKWS_TRAIN_BINARY, "export", "--run", run, "--data", data,
                  "--out", model, "--detector-minutes", "2", "--threads", "2"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const CommandResult eval =
      RunCommand({TINYKWS_KWS_BINARY_FOR_DATA, "eval", "--model", model,
                  "--data", data, "--split", "testing"});
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  // 1 go + 1 stop + the 33 other words' testing clips as _unknown_ (a
  // sample of them at the config's share) + silence crops.
  EXPECT_NE(eval.out.find("accuracy: "), std::string::npos) << eval.out;
  const CommandResult spot = RunCommand(
      {TINYKWS_KWS_BINARY_FOR_DATA, "spot-eval", "--model", model, "--data",
       data, "--split", "testing", "--keyword-free-minutes", "1"});
  ASSERT_EQ(spot.exit_code, 0) << spot.err;
  // Both testing keywords are placed in the stream (found or not: two
  // epochs of tones train nothing worth measuring).
  EXPECT_NE(spot.out.find("/2 keywords)"), std::string::npos) << spot.out;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tinykws::testing
