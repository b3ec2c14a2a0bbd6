// kws-train mine as a user runs it: the tone model's detector over a
// keyword-free recording that holds a few "low" tones; the mined folder
// holds those windows, is training-only, and says whether its source was
// synthetic.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../common/run_command.hpp"
#include "../common/tone_model.hpp"
#include "tinykws/audio.hpp"

namespace tinykws::testing {
namespace {

namespace fs = std::filesystem;

TEST(MineCli, KeepsTheWindowsWhereAKeywordScoredAndWritesAFolder) {
  const fs::path dir = fs::temp_directory_path() /
                       ("tinykws_mine_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "synth" / "_speech_");
  // Three low tones 3 s apart in 12 s.
  const std::vector<int16_t> pcm = ToneStream(
      {{1.0, 0.4, false}, {4.0, 0.4, false}, {7.0, 0.4, false}}, 12.0);
  const std::string room = (dir / "room.wav").string();
  ASSERT_TRUE(WriteWav(room, pcm.data(), pcm.size(), 16000).ok());
  const std::string out = (dir / "mined").string();
  const CommandResult r =
      RunCommand({TINYKWS_TRAIN_BINARY, "mine", "--model", TINYKWS_TONE_MODEL,
                  "--negatives", room, "--out", out, "--min-score", "0.5",
                  "--min-gap-ms", "2000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("mined 3 windows (low: 3)"), std::string::npos) << r.out;
  std::ifstream in(out + "/tinykws-synth.json");
  const nlohmann::json m = nlohmann::json::parse(in);
  EXPECT_TRUE(m["training_only"].get<bool>());
  EXPECT_FALSE(m["synthetic"].get<bool>());
  ASSERT_EQ(m["windows"].size(), 3u);
  std::vector<double> ends;
  for (const nlohmann::json& w : m["windows"]) {
    EXPECT_EQ(w["keyword"], "low");
    EXPECT_GE(w["score"].get<double>(), 0.5);
    ends.push_back(w["end_s"].get<double>());
    // Each clip is one second of the recording, the tone inside it.
    StatusOr<AudioClip> clip =
        ReadAudio(out + "/" + w["clip"].get<std::string>(), 16000);
    ASSERT_TRUE(clip.ok()) << clip.status().message();
    ASSERT_EQ(clip->samples.size(), 16000u);
    const size_t first =
        static_cast<size_t>(std::llround(w["end_s"].get<double>() * 16000)) -
        16000;
    for (size_t i = 0; i < 16000; i += 997) {
      EXPECT_EQ(clip->samples[i], pcm[first + i]) << i;
    }
  }
  std::sort(ends.begin(), ends.end());
  for (int t = 0; t < 3; ++t) {  // a window per tone: it ends after its start
    EXPECT_GT(ends[t], 1.0 + 3 * t);
    EXPECT_LT(ends[t], 1.0 + 3 * t + 2.0);
  }
  // Not replaced without --force; recordings of a synthetic folder make a
  // synthetic mined folder.
  EXPECT_EQ(RunCommand({TINYKWS_TRAIN_BINARY, "mine", "--model",
                        TINYKWS_TONE_MODEL, "--negatives", room, "--out", out})
                .exit_code,
            1);
  std::ofstream(dir / "synth" / "tinykws-synth.json")
      << R"({"training_only": true, "synthetic": true})";
  fs::copy_file(room, dir / "synth" / "_speech_" / "talk.wav");
  const CommandResult synthetic =
      RunCommand({TINYKWS_TRAIN_BINARY, "mine", "--model", TINYKWS_TONE_MODEL,
                  "--negatives", (dir / "synth" / "_speech_").string(), "--out",
                  out, "--force"});
  ASSERT_EQ(synthetic.exit_code, 0) << synthetic.err;
  std::ifstream again(out + "/tinykws-synth.json");
  EXPECT_TRUE(nlohmann::json::parse(again)["synthetic"].get<bool>());
  // Real and synthetic recordings go to separate folders.
  const CommandResult mixed =
      RunCommand({TINYKWS_TRAIN_BINARY, "mine", "--model", TINYKWS_TONE_MODEL,
                  "--negatives", room, (dir / "synth" / "_speech_").string(),
                  "--out", (dir / "mixed").string()});
  EXPECT_EQ(mixed.exit_code, 1);
  EXPECT_NE(mixed.err.find("mixes synthetic recordings"), std::string::npos)
      << mixed.err;
  EXPECT_FALSE(fs::exists(dir / "mixed"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tinykws::testing
