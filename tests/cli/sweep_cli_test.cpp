// kws-train sweep and multi-process training as users run them, on
// synthetic data and 127.0.0.1: a tiny sweep finishes, resumes without
// re-running anything and picks; a killed worker's item runs again; two
// data-parallel processes train like one with the combined batch.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "../common/run_command.hpp"
#include "../train/synthetic_data.hpp"
#include "common/atomic_file.hpp"
#include "common/folder_lock.hpp"
#include "sweep/kv_store.hpp"
#include "sweep/sweep_result.hpp"
#include "sweep/work_codec.hpp"
#include "tinykws/config.hpp"

namespace tinykws::testing {
namespace {

namespace fs = std::filesystem;
const std::string kTrain = TINYKWS_TRAIN_BINARY;

// A port that was free a moment ago.
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t n = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
  close(fd);
  return ntohs(a.sin_port);
}

// The local addresses of the TCP sockets process `pid` listens on, as
// /proc/net/tcp{,6} print them (e.g. "0100007F" for 127.0.0.1): what
// `ss -ltnp` shows, read the way ss reads it.
std::vector<std::string> ListeningAddresses(int pid) {
  std::set<std::string> inodes;
  std::error_code ec;
  for (const auto& fd :
       fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    const std::string target = fs::read_symlink(fd.path(), ec).string();
    if (target.rfind("socket:[", 0) == 0) {
      inodes.insert(target.substr(8, target.size() - 9));
    }
  }
  std::vector<std::string> addresses;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid,
          timeout, inode;
      fields >> slot >> local >> remote >> state >> queues >> timer >>
          retransmits >> uid >> timeout >> inode;
      if (state == "0A" && inodes.count(inode)) {
        addresses.push_back(local.substr(0, local.find(':')));
      }
    }
  }
  return addresses;
}

// argv with the multi-process environment in front (through env(1)).
std::vector<std::string> AsRank(int rank, int world, int port,
                                std::vector<std::string> argv) {
  argv.insert(
      argv.begin(),
      {"env", "MASTER_ADDR=127.0.0.1", "MASTER_PORT=" + std::to_string(port),
       "RANK=" + std::to_string(rank), "WORLD_SIZE=" + std::to_string(world)});
  return argv;
}

class SweepCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new std::string(MakeSyntheticData("sweep_cli"));
    ASSERT_TRUE(
        WriteFileAtomically(*data_ + "/synthetic.toml", SyntheticConfig())
            .ok());
    // No batch norm: its statistics are per process, so only without it
    // is a data-parallel step exactly the combined-batch step.
    std::string plain = SyntheticConfig();
    for (size_t at; (at = plain.find("  { type = \"batch_norm\" },\n")) !=
                    std::string::npos;) {
      plain.erase(at, std::string("  { type = \"batch_norm\" },\n").size());
    }
    ASSERT_TRUE(WriteFileAtomically(*data_ + "/plain.toml", plain).ok());
    ASSERT_TRUE(WriteFileAtomically(*data_ + "/space.toml", R"(
base = "synthetic.toml"
[search]
strategy = "grid"
seeds = 2
early_stopping = "halving"
min_epochs = 1
eta = 2
latency_clips = 20
[marks]
reference = "synthetic.toml"
[features]
mel_bins = [10, 20]
[model]
"conv[*].filters" = [4, 8]
)")
                    .ok());
  }
  static void TearDownTestSuite() {
    fs::remove_all(*data_);
    delete data_;
  }

  static std::vector<std::string> Sweep(const std::string& out,
                                        std::vector<std::string> extra) {
    std::vector<std::string> argv = {
        kTrain,     "sweep", "--space",   *data_ + "/space.toml",
        "--data",   *data_,  "--out",     *data_ + "/" + out,
        "--epochs", "4",     "--no-cache"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }

  static sweep::SweepReport Report(const std::string& out) {
    StatusOr<sweep::SweepReport> r = sweep::SweepFromJson(
        nlohmann::json::parse(Slurp(*data_ + "/" + out + "/sweep.json")));
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : sweep::SweepReport{};
  }

  static std::string* data_;
};
std::string* SweepCli::data_ = nullptr;

TEST_F(SweepCli, TinySweepFinishesResumesAndPicks) {
  const CommandResult run = RunCommand(Sweep("tiny", {"--workers", "2"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const sweep::SweepReport r = Report("tiny");
  ASSERT_EQ(r.trials.size(), 5u);  // the mark, then 2 x 2
  EXPECT_EQ(r.trials[0].id, "reference");
  EXPECT_TRUE(r.trials[0].mark);
  EXPECT_EQ(r.rungs, (std::vector<int>{1, 2, 4}));
  EXPECT_EQ(r.world_size, 2);
  int ok = 0, stopped = 0;
  for (const sweep::TrialResult& t : r.trials) {
    SCOPED_TRACE(t.id);
    ASSERT_TRUE(t.status == "ok" || t.status == "stopped") << t.error;
    if (t.status == "stopped") {
      ++stopped;
      continue;
    }
    ++ok;
    EXPECT_EQ(t.epochs, 4);
    EXPECT_EQ(t.val_accuracies.size(), 2u);  // one per seed
    EXPECT_GE(t.val_accuracy, 0.0);
    EXPECT_LE(t.val_accuracy, 1.0);
    EXPECT_GT(t.model_bytes, 0);
    EXPECT_GT(t.macs, 0);
    EXPECT_TRUE(std::isfinite(t.latency_us) && t.latency_us > 0);
    EXPECT_TRUE(
        fs::exists(*data_ + "/tiny/trials/" + t.id + "/seed1/model.kws"));
  }
  // Halving with eta 2 over 4 trials: 2 reach epoch 2, 1 finishes.
  EXPECT_EQ(ok, 2);  // the mark and the winner
  EXPECT_EQ(stopped, 3);
  // The front written is the front of the table.
  std::vector<sweep::TrialResult> again = r.trials;
  sweep::MarkParetoFront(&again);
  for (size_t i = 0; i < again.size(); ++i) {
    EXPECT_EQ(again[i].pareto, r.trials[i].pareto) << again[i].id;
  }
  for (const char* file : {"sweep.md", "sweep.html", "plan.json"}) {
    EXPECT_TRUE(fs::exists(*data_ + "/tiny/" + file)) << file;
  }

  // Resumed: every item is kept, nothing is trained again.
  const CommandResult resumed = RunCommand(Sweep("tiny", {"--resume"}));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(resumed.err.find(" epochs: "), std::string::npos) << resumed.err;
  const sweep::SweepReport r2 = Report("tiny");
  // The wall time is the total over both runs.
  EXPECT_GT(r2.wall_seconds, r.wall_seconds);
  for (size_t i = 0; i < r.trials.size(); ++i) {
    EXPECT_EQ(r2.trials[i].status, r.trials[i].status);
    EXPECT_EQ(r2.trials[i].val_accuracies, r.trials[i].val_accuracies);
  }
  // Not over a finished sweep without --resume; not with another plan.
  CommandResult refused = RunCommand(Sweep("tiny", {}));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("holds a sweep"), std::string::npos);
  refused = RunCommand(Sweep("tiny", {"--resume", "--seeds", "3"}));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("differ from the sweep's"), std::string::npos);

  // --pick writes the best config meeting the constraints.
  const std::string best = *data_ + "/best.toml";
  const std::vector<std::string> pick = {
      kTrain,   "sweep",          "--pick", "size<=100KiB",
      "--from", *data_ + "/tiny", "--out",  best};
  const CommandResult picked = RunCommand(pick);
  ASSERT_EQ(picked.exit_code, 0) << picked.err;
  EXPECT_EQ(Slurp(best).rfind(kResolvedConfigHeader, 0), 0u);
  EXPECT_EQ(RunCommand(pick).exit_code, 1);  // exists: --force needed
  const CommandResult none =
      RunCommand({kTrain, "sweep", "--pick", "size<=10B", "--from",
                  *data_ + "/tiny", "--out", *data_ + "/none.toml"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("no finished trial"), std::string::npos);
}

TEST_F(SweepCli, FlagsOutsideTheirDomainAreUsageErrors) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"--worker-timeout", "0"},    {"--worker-timeout", "-1"},
      {"--worker-timeout", "nan"},  {"--worker-timeout", "inf"},
      {"--worker-timeout", "1e10"}, {"--workers", "65"},
      {"--workers", "-1"},          {"--threads", "-1"}};
  for (const auto& [flag, value] : bad) {
    const CommandResult r = RunCommand(Sweep("never", {flag, value}));
    EXPECT_EQ(r.exit_code, 2) << flag << " " << value << ": " << r.err;
    EXPECT_NE(r.err.find("error: " + flag), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(*data_ + "/never"));
}

TEST_F(SweepCli, ASweepThatNeverBeganLeavesNoFolderBehind) {
  std::vector<std::string> argv = Sweep("never_began", {"--workers", "2"});
  argv[3] = *data_ + "/no_such_space.toml";
  CommandResult r = RunCommand(argv);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_FALSE(fs::exists(*data_ + "/never_began")) << r.err;
  // An empty folder stays empty: the corrected command is not refused.
  fs::create_directories(*data_ + "/empty_before");
  argv = Sweep("empty_before", {});
  argv[3] = *data_ + "/no_such_space.toml";
  r = RunCommand(argv);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(fs::is_empty(*data_ + "/empty_before"));
}

TEST_F(SweepCli, ASecondWriterOfASweepOrRunFolderIsRefusedNamingThePid) {
  const std::string pid = "process " + std::to_string(getpid());
  StatusOr<FolderLock> sweep_lock =
      FolderLock::Acquire(*data_ + "/locked_sweep", "test");
  StatusOr<FolderLock> run_lock =
      FolderLock::Acquire(*data_ + "/locked_run", "test");
  ASSERT_TRUE(sweep_lock.ok() && run_lock.ok());
  // As a --resume started while the sweep runs would be.
  CommandResult r = RunCommand(Sweep("locked_sweep", {"--resume"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("another sweep is writing this folder (" + pid),
            std::string::npos)
      << r.err;
  r = RunCommand({kTrain, "train", "--config", *data_ + "/synthetic.toml",
                  "--data", *data_, "--out", *data_ + "/locked_run", "--epochs",
                  "1", "--no-cache"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("another training run is writing this folder (" + pid),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(*data_ + "/locked_run/checkpoint.pt"));
}

TEST_F(SweepCli, ASweepWithAFailedTrialSaysSoAndExitsFour) {
  ASSERT_TRUE(WriteFileAtomically(*data_ + "/failing.toml", R"(
base = "synthetic.toml"
[search]
strategy = "grid"
seeds = 1
latency_clips = 5
[features]
mel_bins = [20, 12]
num_mfcc = [10, 13]
)")
                  .ok());
  // 12 mel bins cannot give 13 coefficients: that one trial fails.
  std::vector<std::string> argv = Sweep("failing", {"--workers", "1"});
  argv[3] = *data_ + "/failing.toml";
  const CommandResult r = RunCommand(argv);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.out.find("1 trial failed"), std::string::npos) << r.out;
  const sweep::SweepReport report = Report("failing");
  int failed = 0, ok = 0;
  for (const sweep::TrialResult& t : report.trials) {
    failed += t.status == "failed";
    ok += t.status == "ok";
  }
  EXPECT_EQ(failed, 1);
  EXPECT_EQ(ok, 3);
}

TEST_F(SweepCli, AStoreTheWorkerCannotUseEndsTheSweepNonZero) {
  // Rank 0 of one process, with a token the test knows: the test is a
  // holder of the token breaking the store's ticket counter mid-sweep.
  const int port = FreePort();
  const std::string token = "0123456789abcdef0123456789abcdef";
  std::vector<std::string> argv =
      AsRank(0, 1, port, Sweep("broken", {"--worker-timeout", "5"}));
  argv.insert(argv.begin() + 1, "TINYKWS_TOKEN=" + token);
  const int pid =
      SpawnCommand(argv, *data_ + "/broken.out", *data_ + "/broken.err");
  StatusOr<std::unique_ptr<sweep::KvClient>> client =
      sweep::KvClient::Connect("127.0.0.1", port, token, 20000);
  ASSERT_TRUE(client.ok()) << client.status().message();
  ASSERT_TRUE((*client)->Set(sweep::keys::kTicket, "not a number").ok());
  const int code = WaitCommand(pid);  // returns: the sweep does not hang
  const std::string err = Slurp(*data_ + "/broken.err");
  EXPECT_EQ(code, 1) << err;
  const std::vector<std::string> lines = Lines(err);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back().rfind("error: ", 0), 0u) << err;
  EXPECT_NE(lines.back().find("ticket"), std::string::npos) << err;
}

TEST_F(SweepCli, AOneMachineSweepListensOnLoopbackOnly) {
  const int pid =
      SpawnCommand(Sweep("loopback", {"--workers", "2"}),
                   *data_ + "/loopback.out", *data_ + "/loopback.err");
  std::vector<std::string> listening;
  for (int i = 0; i < 400 && listening.empty(); ++i) {
    listening = ListeningAddresses(pid);
    if (listening.empty()) usleep(50 * 1000);
  }
  const int code = WaitCommand(pid);
  EXPECT_EQ(code, 0) << Slurp(*data_ + "/loopback.err");
  ASSERT_FALSE(listening.empty()) << "rank 0 was never seen listening";
  for (const std::string& address : listening) {
    EXPECT_EQ(address, "0100007F") << "rank 0 listens on " << address;
  }
}

TEST_F(SweepCli, AKilledWorkersItemRunsAgain) {
  if (!StraceWorks()) GTEST_SKIP() << "strace cannot trace here";
  const int port = FreePort();
  // Rank 0 only coordinates; rank 1 dies at its first file write of an
  // item; rank 2 runs everything, including rank 1's item once its
  // heartbeat has been silent for 2 s.
  const int coordinator = SpawnCommand(
      AsRank(0, 3, port,
             Sweep("killed", {"--workers", "0", "--worker-timeout", "2"})),
      *data_ + "/r0.out", *data_ + "/r0.err");
  const std::vector<std::string> worker = {
      kTrain, "sweep", "--data", *data_, "--out", *data_ + "/w1", "--no-cache"};
  EXPECT_EQ(  // killed
      RunCommand(KilledAtCall(1, "rename", AsRank(1, 3, port, worker)))
          .exit_code,
      -1);
  std::vector<std::string> rank2 = AsRank(2, 3, port, worker);
  rank2[rank2.size() - 2] = *data_ + "/w2";
  const CommandResult survivor = RunCommand(rank2);
  EXPECT_EQ(survivor.exit_code, 0) << survivor.err;
  ASSERT_EQ(WaitCommand(coordinator), 0) << Slurp(*data_ + "/r0.err");
  EXPECT_NE(Slurp(*data_ + "/r0.err")
                .find("lost its process; running it "
                      "again"),
            std::string::npos);
  const sweep::SweepReport r = Report("killed");
  ASSERT_EQ(r.trials.size(), 5u);
  for (const sweep::TrialResult& t : r.trials) {
    EXPECT_NE(t.status, "failed") << t.id << ": " << t.error;
    EXPECT_EQ(t.rank, 2) << t.id;
  }
}

// metrics.jsonl lines as JSON objects.
std::vector<nlohmann::json> Metrics(const std::string& run) {
  std::vector<nlohmann::json> out;
  for (const std::string& line : Lines(Slurp(run + "/metrics.jsonl"))) {
    out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

TEST_F(SweepCli, DataParallelTrainsLikeOneProcessWithTheCombinedBatch) {
  auto train = [&](const std::string& out, const std::string& batch,
                   std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {
        kTrain,      "train", "--config",     *data_ + "/plain.toml",
        "--data",    *data_,  "--out",        *data_ + "/" + out,
        "--epochs",  "4",     "--batch-size", batch,
        "--threads", "1",     "--no-cache",   "-q"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  };
  // Two processes, each batch 5, and the same with a stop after 7 steps
  // and --resume.
  auto parallel = [&](const std::string& out,
                      std::vector<std::string> extra = {}) {
    const int port = FreePort();
    const int other =
        SpawnCommand(AsRank(1, 2, port, train(out + "_rank1", "5", extra)),
                     *data_ + "/dp.out", *data_ + "/dp.err");
    const CommandResult zero =
        RunCommand(AsRank(0, 2, port, train(out, "5", extra)));
    return std::make_pair(zero.exit_code, WaitCommand(other));
  };
  ASSERT_EQ(RunCommand(train("one", "10")).exit_code, 0);
  ASSERT_EQ(parallel("two"), std::make_pair(0, 0)) << Slurp(*data_ + "/dp.err");
  EXPECT_FALSE(fs::exists(*data_ + "/two_rank1"));  // rank 0 writes the run
  const std::vector<nlohmann::json> one = Metrics(*data_ + "/one");
  const std::vector<nlohmann::json> two = Metrics(*data_ + "/two");
  ASSERT_EQ(one.size(), 4u);
  ASSERT_EQ(two.size(), 4u);
  for (size_t e = 0; e < one.size(); ++e) {
    EXPECT_EQ(one[e]["lr"], two[e]["lr"]);  // same steps
    EXPECT_NEAR(one[e]["train_loss"].get<double>(),
                two[e]["train_loss"].get<double>(), 1e-5);
    EXPECT_NEAR(one[e]["val_loss"].get<double>(),
                two[e]["val_loss"].get<double>(), 1e-5);
    EXPECT_EQ(one[e]["train_acc"], two[e]["train_acc"]);
  }
  // The same result twice, and after a stop and --resume.
  ASSERT_EQ(parallel("again"), std::make_pair(0, 0));
  EXPECT_TRUE(Slurp(*data_ + "/again/best.pt") ==
              Slurp(*data_ + "/two/best.pt"));
  EXPECT_EQ(parallel("stopped", {"--stop-after-steps", "7"}),
            std::make_pair(130, 130));
  ASSERT_EQ(parallel("stopped", {"--resume"}), std::make_pair(0, 0))
      << Slurp(*data_ + "/dp.err");
  EXPECT_TRUE(Slurp(*data_ + "/stopped/best.pt") ==
              Slurp(*data_ + "/two/best.pt"));
  EXPECT_EQ(Metrics(*data_ + "/stopped").size(), 4u);
}

}  // namespace
}  // namespace tinykws::testing
