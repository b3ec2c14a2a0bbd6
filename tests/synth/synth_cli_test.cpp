// kws synth's command line: usage errors exit 2 with one line, a real run
// exits 0 and records its command line.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "../common/run_command.hpp"
#include "../common/temp_dir_test.hpp"

namespace tinykws {
namespace {

using testing::Lines;
using testing::RunCommand;

class SynthCli : public testing::TempDirTest {
 protected:
  testing::CommandResult Synth(std::vector<std::string> args) {
    args.insert(args.begin(), {TINYKWS_KWS_BINARY, "synth"});
    return RunCommand(args);
  }
};

TEST_F(SynthCli, ListsBothVoiceSets) {
  const testing::CommandResult r = Synth({"--list-voices"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("training:"), std::string::npos);
  EXPECT_NE(r.out.find("evaluation:"), std::string::npos);
  EXPECT_NE(r.out.find("en-us-nyc"), std::string::npos);
  EXPECT_NE(r.out.find("slt"), std::string::npos);
}

TEST_F(SynthCli, UsageErrorsExitTwoWithOneLine) {
  const std::string out = Path("out");
  const std::vector<std::vector<std::string>> cases = {
      {"--keyword", "go"},                                    // no --out
      {"--out", out},                                         // nothing
      {"--out", out, "--keyword", "go", "--voices", "nope"},  // voice
      {"--out", out, "--keyword", "g0"},                      // unsayable
      {"--out", out, "--keyword", "go", "--words", "2", "--word-list",
       Path("missing.txt")},
      {"--out", out, "--sentences", Path("x.txt"), "--hours", "-1"},
      {"--out", out, "--keyword", "go", "--keyword-clips", "x"},
  };
  for (const auto& args : cases) {
    const testing::CommandResult r = Synth(args);
    EXPECT_EQ(r.exit_code, 2) << ::testing::PrintToString(args) << r.err;
    EXPECT_EQ(Lines(r.err).size(), 1u) << r.err;
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST_F(SynthCli, MakesAFolder) {
  const std::string out = Path("out");
  const testing::CommandResult r =
      Synth({"--out", out, "--keyword", "go", "--keyword-clips", "3", "--jobs",
             "2", "--seed", "9", "--voices", "evaluation"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("wrote " + out + ": 3 clips"), std::string::npos)
      << r.out;
  const nlohmann::json j =
      nlohmann::json::parse(testing::Slurp(out + "/tinykws-synth.json"));
  EXPECT_EQ(j["voice_set"], "evaluation");
  EXPECT_NE(j["command_line"].get<std::string>().find("--keyword go"),
            std::string::npos);
  size_t clips = 0;
  for (const auto& e : std::filesystem::directory_iterator(out + "/go")) {
    const std::string name = e.path().filename().string();
    EXPECT_TRUE(name.rfind("espeak-en-029", 0) == 0 ||
                name.rfind("espeak-en-us-nyc", 0) == 0 ||
                name.rfind("flite-slt", 0) == 0 ||
                name.rfind("flite-rms", 0) == 0)
        << name;
    ++clips;
  }
  EXPECT_EQ(clips, 3u);
  // Again without --force: refused, the folder untouched.
  EXPECT_EQ(Synth({"--out", out, "--keyword", "go"}).exit_code, 2);
}

}  // namespace
}  // namespace tinykws
