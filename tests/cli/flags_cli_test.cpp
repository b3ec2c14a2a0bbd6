// Flag domains of kws spot, spot-eval and calibrate (issue 18, docs/cli.md):
// a value outside its domain is a usage error, exit 2, with one "error: "
// line naming the flag, found before any work; 0 and -1 no longer stand in
// silently for "the model's value".
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "../common/run_command.hpp"
#include "../common/tone_data.hpp"
#include "../common/tone_model.hpp"

namespace tinykws::testing {
namespace {

const std::string kKws = TINYKWS_KWS_BINARY;
const std::string kToneModel = TINYKWS_TONE_MODEL;

class FlagsCli : public ToneDataTest {
 protected:
  void SetUp() override {
    ToneDataTest::SetUp();
    const std::vector<int16_t> pcm = ToneStream({{1.0, 0.5, false}}, 3.0);
    ASSERT_TRUE(WriteWav(Path("a.wav"), pcm.data(), pcm.size(), 16000).ok());
  }

  // Runs `base` + `bad` and expects a usage error naming `flag`.
  void ExpectUsageError(const std::vector<std::string>& base,
                        const std::vector<std::string>& bad,
                        const std::string& flag) {
    std::vector<std::string> argv = base;
    argv.insert(argv.end(), bad.begin(), bad.end());
    const CommandResult r = RunCommand(argv);
    const std::string what = base[1] + " " + bad[0] + " " + bad.back();
    EXPECT_EQ(r.exit_code, 2) << what << ": " << r.err;
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << what << ": " << r.err;
    EXPECT_EQ(Lines(r.err).size(), 1u) << what << ": " << r.err;
    EXPECT_NE(r.err.find(flag), std::string::npos) << what << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << what << ": " << r.out;
  }
};

TEST_F(FlagsCli, SpotFlagsOutsideTheirDomainAreUsageErrors) {
  const std::vector<std::string> spot = {kKws, "spot", "--model", kToneModel,
                                         Path("a.wav")};
  for (const std::vector<std::string>& bad :
       std::vector<std::vector<std::string>>{
           {"--hop-frames", "0"},
           {"--hop-frames", "-2"},
           {"--hop-frames", "35"},  // 34 frames
           {"--smoothing", "0"},
           {"--smoothing", "65"},
           {"--refractory-ms", "-1"},
           {"--refractory-ms", "nan"},
           {"--refractory-ms", "inf"},
           {"--refractory-ms", "60001"}}) {
    ExpectUsageError(spot, bad, bad[0]);
  }
  for (const char* bad : {"low=0", "low=-0.5", "low=1.5", "low=nan", "low=inf",
                          "low=x", "low", "nope=0.5", "_silence_=0.5"}) {
    ExpectUsageError(spot, {"--threshold", bad}, "--threshold");
  }
  // --rate: in range, a ratio the converter can do, for stdin only.
  const std::vector<std::string> stdin_spot = {kKws, "spot", "--model",
                                               kToneModel, "-"};
  for (const char* rate : {"0", "-16000", "999", "384001", "16001"}) {
    ExpectUsageError(stdin_spot, {"--rate", rate}, "--rate");
  }
  ExpectUsageError(spot, {"--rate", "48000"}, "--rate");
  // In the domain: fine.
  const CommandResult ok =
      RunCommand({kKws, "spot", "--model", kToneModel, Path("a.wav"),
                  "--threshold", "low=1", "--hop-frames", "34", "--smoothing",
                  "64", "--refractory-ms", "0"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

TEST_F(FlagsCli, SpotEvalFlagsOutsideTheirDomainAreUsageErrors) {
  const std::vector<std::string> eval = {kKws,       "spot-eval", "--model",
                                         kToneModel, "--data",    dir_};
  for (const std::vector<std::string>& bad :
       std::vector<std::vector<std::string>>{{"--minutes", "-1"},
                                             {"--minutes", "nan"},
                                             {"--minutes", "1e9"},
                                             {"--keyword-free-minutes", "-1"},
                                             {"--keyword-free-minutes", "nan"},
                                             {"--keyword-free-minutes", "6001"},
                                             {"--threads", "-1"},
                                             {"--hop-frames", "0"},
                                             {"--smoothing", "0"},
                                             {"--refractory-ms", "-1"}}) {
    ExpectUsageError(eval, bad, bad[0]);
  }
  ExpectUsageError(eval, {"--threshold", "high=2"}, "--threshold");
}

TEST_F(FlagsCli, CalibrateFlagsOutsideTheirDomainAreUsageErrors) {
  const std::vector<std::string> calibrate = {
      kKws, "calibrate",   "--model",     kToneModel, "--positives",
      dir_, "--negatives", Path("a.wav"), "--out",    Path("out.kws")};
  for (const std::vector<std::string>& bad :
       std::vector<std::vector<std::string>>{{"--keyword-free-minutes", "-1"},
                                             {"--keyword-free-minutes", "nan"},
                                             {"--keyword-free-minutes", "1e9"},
                                             {"--target-fa-per-hour", "-1"},
                                             {"--target-fa-per-hour", "nan"},
                                             {"--target-fa-per-hour", "1e300"},
                                             {"--target-fa-per-hour", "1001"},
                                             {"--hop-frames", "0"},
                                             {"--hop-frames", "35"},
                                             {"--refractory-ms", "-1"},
                                             {"--threads", "-4"}}) {
    ExpectUsageError(calibrate, bad, bad[0]);
    EXPECT_FALSE(std::filesystem::exists(Path("out.kws"))) << bad[0];
  }
}

// A saved stream longer than a WAV file holds is refused before anything is
// built (it used to be built in memory first: std::bad_alloc, exit 3).
TEST_F(FlagsCli, SpotEvalRefusesAStreamTooLongForAWavFile) {
  const auto start = std::chrono::steady_clock::now();
  const CommandResult r =
      RunCommand({kKws, "spot-eval", "--model", kToneModel, "--data", dir_,
                  "--save-stream", Path("s.wav"), "--minutes", "3000"});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(Lines(r.err).size(), 1u) << r.err;
  EXPECT_NE(r.err.find("--save-stream"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("at most 2237.0 minutes at 16000 Hz: 4 GiB"),
            std::string::npos)
      << r.err;
  EXPECT_LT(seconds, 10.0);
  for (const auto& e : std::filesystem::directory_iterator(dir_)) {
    EXPECT_EQ(e.path().filename().string().rfind("s.wav", 0), std::string::npos)
        << e.path();
  }
}

}  // namespace
}  // namespace tinykws::testing
