// Results that cannot be written are an error (issue 18): every command
// with standard output on a full disk (/dev/full) or closed exits 1 with
// one "error: writing standard output: <reason>" line, and kws spot stops
// at the first detection it cannot print instead of running to the end.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "../common/run_command.hpp"
#include "../common/tone_data.hpp"
#include "../common/tone_model.hpp"

namespace tinykws::testing {
namespace {

const std::string kKws = TINYKWS_KWS_BINARY;
const std::string kToneModel = TINYKWS_TONE_MODEL;

// argv with its standard output redirected by `redirect` (a shell
// redirection: ">/dev/full", ">&-").
CommandResult RunWithStdout(const std::string& redirect,
                            const std::vector<std::string>& argv) {
  std::vector<std::string> shell = {"/bin/sh", "-c", "exec \"$@\" " + redirect,
                                    "sh"};
  shell.insert(shell.end(), argv.begin(), argv.end());
  return RunCommand(shell);
}

void ExpectOutputError(const CommandResult& r, const std::string& reason,
                       const std::string& what) {
  EXPECT_EQ(r.exit_code, 1) << what << ": " << r.err;
  int errors = 0;
  for (const std::string& line : Lines(r.err)) {
    if (line.rfind("error: ", 0) != 0) continue;
    ++errors;
    EXPECT_EQ(line, "error: writing standard output: " + reason) << what;
  }
  EXPECT_EQ(errors, 1) << what << ": " << r.err;
}

class StdoutCli : public ToneDataTest {
 protected:
  void SetUp() override {
    ToneDataTest::SetUp();
    if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
    // 12 s: low at 1 s, high at 4 s, low at 8 s; as WAV and raw PCM.
    const std::vector<int16_t> pcm = ToneStream(
        {{1.0, 0.5, false}, {4.0, 0.6, true}, {8.0, 0.5, false}}, 12.0);
    ASSERT_TRUE(
        WriteWav(Path("stream.wav"), pcm.data(), pcm.size(), 16000).ok());
    std::ofstream raw(Path("stream.raw"), std::ios::binary);
    raw.write(reinterpret_cast<const char*>(pcm.data()),
              static_cast<std::streamsize>(pcm.size() * 2));
  }
};

TEST_F(StdoutCli, EveryKwsCommandFailsOnAFullDisk) {
  const std::string wav = Path("stream.wav");
  const std::vector<std::vector<std::string>> commands = {
      {kKws, "--version"},
      {kKws, "--help"},
      {kKws, "features", "--model", kToneModel, wav},
      {kKws, "features", "--model", kToneModel, wav, "--format", "npy"},
      {kKws, "predict", "--model", kToneModel, wav},
      {kKws, "bench", "--model", kToneModel, "--clips", "20", "--warmup", "2"},
      {kKws, "bench", "--model", kToneModel, "--clips", "20", "--warmup", "2",
       "--json"},
      {kKws, "spot", "--model", kToneModel, wav, "--json"},
      {kKws, "eval", "--model", kToneModel, "--data", dir_, "--split", "all",
       "--latency-clips", "5"},
      {kKws, "spot-eval", "--model", kToneModel, "--data", dir_, "--split",
       "all", "--keyword-free-minutes", "0.5", "--threads", "2"},
      {kKws, "calibrate", "--model", kToneModel, "--positives", dir_,
       "--negatives", wav, "--out", Path("calibrated.kws"), "--threads", "2"},
      {kKws, "convert", "--model", kToneModel, "--out", Path("model.c")},
      {kKws, "synth", "--list-voices"},
  };
  for (const std::vector<std::string>& argv : commands) {
    ExpectOutputError(RunWithStdout(">/dev/full", argv),
                      "No space left on device", argv[1]);
  }
}

TEST_F(StdoutCli, AClosedStandardOutputIsAnErrorToo) {
  // A closed descriptor: writes fail with EBADF (not a pipe: no SIGPIPE),
  // and files the command opens never take its place.
  for (const std::vector<std::string>& argv :
       {std::vector<std::string>{kKws, "predict", "--model", kToneModel,
                                 Path("stream.wav")},
        {kKws, "spot", "--model", kToneModel, Path("stream.wav")},
        {kKws, "--version"}}) {
    ExpectOutputError(RunWithStdout(">&-", argv), "Bad file descriptor",
                      argv[1]);
  }
  // kws convert opens the model and its output while stdout is closed: the
  // C file gets only the C source.
  const CommandResult r = RunWithStdout(
      ">&-",
      {kKws, "convert", "--model", kToneModel, "--out", Path("closed.c")});
  ExpectOutputError(r, "Bad file descriptor", "convert");
  EXPECT_EQ(Slurp(Path("closed.c")).find("wrote "), std::string::npos);
}

TEST_F(StdoutCli, SpotStopsAtTheFirstDetectionItCannotPrint) {
  // A recording: nothing after the failed line (no summary on stderr).
  const CommandResult file = RunWithStdout(
      ">/dev/full", {kKws, "spot", "--model", kToneModel, Path("stream.wav")});
  ExpectOutputError(file, "No space left on device", "spot");
  EXPECT_EQ(file.err.find("spotted"), std::string::npos) << file.err;
  // A live stream that never ends stops too (it used to run until killed).
  const CommandResult live = RunCommand(
      {"/bin/sh", "-c",
       "(while cat \"$1\"; do :; done) | timeout 60 \"$2\" spot --model "
       "\"$3\" - >/dev/full",
       "sh", Path("stream.raw"), kKws, kToneModel});
  ExpectOutputError(live, "No space left on device", "spot -");
}

}  // namespace
}  // namespace tinykws::testing
