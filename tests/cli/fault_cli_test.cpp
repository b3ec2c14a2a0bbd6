// kws-train under faults a user's machine produces: kill -9 at every point
// where a file is renamed into place (strace injects SIGKILL at the N-th
// rename), and a full disk (a file-size cap, which fails writes with the
// same error path as ENOSPC). Nothing is lost, nothing half-written stays.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../common/run_command.hpp"
#include "../train/synthetic_data.hpp"
#include "common/atomic_file.hpp"

namespace tinykws::testing {
namespace {

namespace fs = std::filesystem;
const std::string kTrain = TINYKWS_TRAIN_BINARY;
// Every way a file can be renamed into place.
const std::string kRenames = "rename,renameat,renameat2";

// Files a run folder holds that are not its finished files.
std::vector<std::string> Temporaries(const std::string& dir) {
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".tmp.") != std::string::npos) found.push_back(name);
  }
  return found;
}

// metrics.jsonl without the wall-clock field, which differs between runs.
std::vector<std::string> MetricsWithoutTimes(const std::string& path) {
  std::vector<std::string> lines = Lines(Slurp(path));
  for (std::string& line : lines)
    line = line.substr(0, line.find(",\"seconds\""));
  return lines;
}

class FaultCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new std::string(MakeSyntheticData("fault_cli"));
    ASSERT_TRUE(
        WriteFileAtomically(*data_ + "/synthetic.toml", SyntheticConfig())
            .ok());
  }
  static void TearDownTestSuite() {
    fs::remove_all(*data_);
    delete data_;
  }

  // kws-train train into data/<run>, 3 epochs, one thread, no cache.
  static std::vector<std::string> Train(const std::string& run,
                                        bool resume = false) {
    std::vector<std::string> argv = {kTrain,       "train",
                                     "--out",      *data_ + "/" + run,
                                     "--config",   *data_ + "/synthetic.toml",
                                     "--data",     *data_,
                                     "--epochs",   "3",
                                     "--threads",  "1",
                                     "--no-cache", "-q"};
    if (resume) argv.push_back("--resume");
    return argv;
  }

  // argv run under a shell that caps files at `kib` KiB with SIGXFSZ
  // ignored, so writes fail instead of the process being killed.
  static std::vector<std::string> WithFileCap(int kib,
                                              std::vector<std::string> argv) {
    std::string command =
        "trap '' XFSZ; ulimit -f " + std::to_string(kib) + "; exec \"$@\"";
    argv.insert(argv.begin(), {"/bin/sh", "-c", command, "sh"});
    return argv;
  }

  static std::string* data_;
};
std::string* FaultCli::data_ = nullptr;

TEST_F(FaultCli, AKillAtEveryRenameLosesNothingAfterResume) {
  if (!StraceWorks()) {
    GTEST_SKIP() << "strace is missing or cannot trace here (scripts/setup.sh "
                    "installs it)";
  }
  const CommandResult whole = RunCommand(Train("whole"));
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const std::string best = Slurp(*data_ + "/whole/best.pt");
  const std::vector<std::string> metrics =
      MetricsWithoutTimes(*data_ + "/whole/metrics.jsonl");
  ASSERT_EQ(metrics.size(), 3u);

  int kills = 0;
  for (int n = 1; n <= 40; ++n) {
    const std::string run = "killed_at_rename_" + std::to_string(n);
    const CommandResult killed =
        RunCommand(KilledAtCall(n, kRenames, Train(run)));
    if (killed.exit_code == 0) break;  // fewer than n renames: all covered
    ASSERT_EQ(killed.exit_code, -1) << "rename " << n << ": " << killed.err;
    ++kills;
    SCOPED_TRACE("killed before rename " + std::to_string(n));
    // The original command with --resume finishes the run.
    const CommandResult resumed = RunCommand(Train(run, /*resume=*/true));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    const std::string dir = *data_ + "/" + run;
    EXPECT_TRUE(Slurp(dir + "/best.pt") == best)
        << "final weights differ from the uninterrupted run";
    EXPECT_EQ(MetricsWithoutTimes(dir + "/metrics.jsonl"), metrics);
    EXPECT_TRUE(fs::exists(dir + "/summary.json"));
    EXPECT_EQ(Temporaries(dir), std::vector<std::string>{});
    fs::remove_all(dir);
  }
  // config, then per epoch best (when better), metrics and checkpoint, then
  // the summary: at least 3 epochs x 2 + 2.
  EXPECT_GE(kills, 8);

  // Export killed at its rename leaves no model (and no temporary).
  const std::string model = *data_ + "/killed.kws";
  const CommandResult export_killed = RunCommand(KilledAtCall(
      1, kRenames,
      {kTrain, "export", "--run", *data_ + "/whole", "--data", *data_, "--out",
       model, "--no-detector-calibration", "--threads", "1"}));
  EXPECT_EQ(export_killed.exit_code, -1) << export_killed.err;
  EXPECT_FALSE(fs::exists(model));
  EXPECT_EQ(Temporaries(*data_), std::vector<std::string>{});
}

TEST_F(FaultCli, AFullDiskIsAnErrorLineAndLeavesNoPartialFile) {
  // 1 KiB: the run's config.toml does not fit; 4 KiB: best.pt does not;
  // 12 KiB: the first checkpoint does not. Each fails before the first
  // checkpoint, so the run folder is removed again.
  for (const int kib : {1, 4, 12}) {
    SCOPED_TRACE(std::to_string(kib) + " KiB");
    const std::string run = "full_" + std::to_string(kib);
    const CommandResult r = RunCommand(WithFileCap(kib, Train(run)));
    EXPECT_EQ(r.exit_code, 1) << r.err;
    const std::vector<std::string> lines = Lines(r.err);
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_EQ(lines[0].rfind("error: " + *data_ + "/" + run + "/", 0), 0u)
        << lines[0];
    EXPECT_NE(lines[0].find("File too large"), std::string::npos) << lines[0];
    EXPECT_FALSE(fs::exists(*data_ + "/" + run));
  }

  // A feature cache that does not fit is skipped: no partial cache file.
  const std::string cache = *data_ + "/cache";
  std::vector<std::string> cached = Train("full_cache");
  cached.erase(cached.end() - 2);  // --no-cache
  cached.insert(cached.end(), {"--cache-dir", cache, "-v"});
  const CommandResult r = RunCommand(WithFileCap(40, cached));
  EXPECT_NE(r.err.find("feature cache not written"), std::string::npos)
      << r.err;
  EXPECT_EQ(Temporaries(cache), std::vector<std::string>{});
  EXPECT_TRUE(fs::is_empty(cache));

  // Export: no partial model, the error names the file.
  const CommandResult whole = RunCommand(Train("full_export_run"));
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const std::string model = *data_ + "/full.kws";
  const CommandResult exported = RunCommand(WithFileCap(
      1,
      {kTrain, "export", "--run", *data_ + "/full_export_run", "--data", *data_,
       "--out", model, "--no-detector-calibration", "--threads", "1"}));
  EXPECT_EQ(exported.exit_code, 1) << exported.err;
  EXPECT_NE(exported.err.find("error: " + model + ": write failed"),
            std::string::npos)
      << exported.err;
  EXPECT_FALSE(fs::exists(model));
  EXPECT_EQ(Temporaries(*data_), std::vector<std::string>{});
}

}  // namespace
}  // namespace tinykws::testing
