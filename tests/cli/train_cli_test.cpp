// kws-train as a user runs it: Ctrl-C writes a checkpoint and exits cleanly,
// --resume finishes the run with the weights of an uninterrupted run.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "../common/run_command.hpp"
#include "../train/synthetic_data.hpp"
#include "common/atomic_file.hpp"

namespace tinykws::testing {
namespace {

namespace fs = std::filesystem;
const std::string kTrain = TINYKWS_TRAIN_BINARY;

TEST(TrainCli, CtrlCCheckpointsAndResumeFinishesTheSameRun) {
  const std::string data = MakeSyntheticData("train_cli");
  const std::string config = data + "/synthetic.toml";
  ASSERT_TRUE(WriteFileAtomically(config, SyntheticConfig()).ok());
  const std::vector<std::string> common = {
      "--config", config,      "--data", data,        "--epochs",
      "60",       "--threads", "1",      "--no-cache"};
  auto train = [&](const std::string& run, std::vector<std::string> extra) {
    std::vector<std::string> argv = {kTrain, "train", "--out",
                                     data + "/" + run};
    argv.insert(argv.end(), common.begin(), common.end());
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  };
  const CommandResult whole = RunCommand(train("whole", {"-q"}));
  ASSERT_EQ(whole.exit_code, 0) << whole.err;

  const std::string run = data + "/interrupted";
  const int pid = SpawnCommand(train("interrupted", {}), data + "/out.txt",
                               data + "/err.txt");
  // Wait for the first epoch's checkpoint, then press Ctrl-C.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!fs::exists(run + "/checkpoint.pt") &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid, SIGINT);
  const int code = WaitCommand(pid);
  ASSERT_EQ(code, 130) << "the run finished before Ctrl-C arrived? stderr:\n"
                       << Slurp(data + "/err.txt");
  EXPECT_NE(Slurp(data + "/err.txt").find("--resume"), std::string::npos);
  EXPECT_TRUE(fs::exists(run + "/checkpoint.pt"));
  EXPECT_FALSE(fs::exists(run + "/summary.json"));
  for (const auto& entry : fs::directory_iterator(run)) {  // no temp files left
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos)
        << entry.path();
  }

  // Exporting the unfinished run works but says so, and the model records it.
  const CommandResult early =
      RunCommand({kTrain, "export", "--run", run, "--data", data, "--out",
                  data + "/early.kws", "--no-detector-calibration", "--threads",
                  "1", "--calibration", "minmax"});
  ASSERT_EQ(early.exit_code, 0) << early.err;
  EXPECT_NE(early.err.find("warning: " + run + " is an unfinished run ("),
            std::string::npos)
      << early.err;
  EXPECT_NE(early.err.find(" of 60 epochs, no summary.json"), std::string::npos)
      << early.err;
  EXPECT_NE(early.out.find("unfinished run: "), std::string::npos) << early.out;
  EXPECT_NE(Slurp(data + "/early.kws").find("unfinished: "), std::string::npos);

  const CommandResult resumed =
      RunCommand({kTrain, "train", "--out", run, "--data", data, "--threads",
                  "1", "--no-cache", "--resume", "-q"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(Slurp(run + "/best.pt").size(),
            Slurp(data + "/whole/best.pt").size());
  // Same metrics to the last digit (the weights themselves are compared bit
  // for bit in tests/train/trainer_test.cpp).
  std::ifstream a(data + "/whole/metrics.jsonl"), b(run + "/metrics.jsonl");
  std::string la, lb;
  int lines = 0;
  while (std::getline(a, la) && std::getline(b, lb)) {
    EXPECT_EQ(la.substr(la.find("\"train_acc\"")),
              lb.substr(lb.find("\"train_acc\"")));
    ++lines;
  }
  EXPECT_EQ(lines, 60);
  fs::remove_all(data);
}

TEST(TrainCli, ExportDetectorFlagsOutsideTheirDomainAreUsageErrors) {
  const std::string run = ::testing::TempDir() + "/no_such_run";
  for (const auto& [flag, value] :
       std::vector<std::pair<std::string, std::string>>{
           {"--target-fa-per-hour", "1e9"},
           {"--target-fa-per-hour", "nan"},
           {"--target-fa-per-hour", "-1"},
           {"--detector-minutes", "-1"},
           {"--detector-minutes", "1e9"},
           {"--detector-minutes", "inf"},
           {"--hop-frames", "0"},
           {"--refractory-ms", "-1"},
           {"--refractory-ms", "nan"},
           {"--threads", "-1"}}) {
    const CommandResult r =
        RunCommand({kTrain, "export", "--run", run, "--data", run, "--out",
                    run + ".kws", flag, value});
    EXPECT_EQ(r.exit_code, 2) << flag << " " << value << ": " << r.err;
    EXPECT_NE(r.err.find(flag), std::string::npos) << r.err;
  }
}

// No default data folder: a long run never starts on data nobody named.
TEST(TrainCli, DataIsRequired) {
  const std::string out = ::testing::TempDir() + "/no_data_run";
  for (const std::vector<std::string>& argv :
       std::vector<std::vector<std::string>>{
           {kTrain, "train", "--config", "configs/go_stop.toml", "--out", out},
           {kTrain, "export", "--run", out, "--out", out + ".kws"},
           {kTrain, "sweep", "--space", "space.toml", "--out", out}}) {
    const CommandResult r = RunCommand(argv);
    EXPECT_EQ(r.exit_code, 2) << argv[1] << ": " << r.err;
    EXPECT_NE(r.err.find("--data"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out)) << argv[1];
  }
}

TEST(TrainCli, MissingConfigIsOneErrorLine) {
  const CommandResult r =
      RunCommand({kTrain, "train", "--config", "/no/such.toml", "--data",
                  ::testing::TempDir(), "--out", ::testing::TempDir() + "/x"});
  EXPECT_EQ(r.exit_code, 1);
  const std::vector<std::string> lines = Lines(r.err);
  ASSERT_EQ(lines.size(), 1u) << r.err;
  EXPECT_NE(lines[0].find("/no/such.toml"), std::string::npos);
}

}  // namespace
}  // namespace tinykws::testing
