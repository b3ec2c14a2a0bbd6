#include "train/sweep_runner.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <thread>

#include "common/atomic_file.hpp"
#include "common/folder_lock.hpp"
#include "common/parallel.hpp"
#include "sweep/auth.hpp"
#include "sweep/plan.hpp"
#include "sweep/run_files.hpp"
#include "sweep/space.hpp"
#include "train/sweep_coordinator.hpp"
#include "train/sweep_output.hpp"
#include "train/sweep_worker.hpp"

namespace tinykws::train {

namespace {

namespace fs = std::filesystem;
namespace keys = sweep::keys;
using Clock = std::chrono::steady_clock;
constexpr auto kPoll = std::chrono::milliseconds(100);
constexpr auto kStoreTimeout = std::chrono::minutes(5);
// Threads a sweep process started by --workers uses (set by the parent).
constexpr const char* kThreadsVariable = "TINYKWS_SWEEP_THREADS";

// Starts ranks 1 .. workers - 1 of a one-machine sweep as copies of this
// program with the multi-process environment set, and the threads each
// process may use (kThreadsVariable). Arguments and environment are built
// before fork: the child only calls execve.
std::vector<pid_t> StartLocalWorkers(const SweepOptions& o, int port,
                                     int threads, const std::string& secret) {
  std::vector<pid_t> pids;
  std::vector<char*> argv;
  for (const std::string& a : o.argv)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (int rank = 1; rank < o.workers; ++rank) {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string entry = *e;
      const std::string name = entry.substr(0, entry.find('='));
      if (name != "MASTER_ADDR" && name != "MASTER_PORT" && name != "RANK" &&
          name != "WORLD_SIZE" && name != kThreadsVariable &&
          name != sweep::kTokenVariable && name != sweep::kTokenFileVariable) {
        env.push_back(entry);
      }
    }
    env.push_back("MASTER_ADDR=127.0.0.1");
    // The one-machine store's secret, readable only by this user
    // (/proc/PID/environ); it replaces any the user's environment holds.
    env.push_back(std::string(sweep::kTokenVariable) + "=" + secret);
    env.push_back("MASTER_PORT=" + std::to_string(port));
    env.push_back("RANK=" + std::to_string(rank));
    env.push_back("WORLD_SIZE=" + std::to_string(o.workers));
    env.push_back(std::string(kThreadsVariable) + "=" +
                  std::to_string(threads));
    std::vector<char*> envp;
    for (std::string& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {
      execve("/proc/self/exe", argv.data(), envp.data());
      _exit(127);
    }
    if (pid > 0) pids.push_back(pid);
  }
  return pids;
}

// Tells the workers there is nothing more and waits until `expected` of
// them (remote ranks, and rank 0's own worker thread) have said they left;
// processes of this machine still running at the deadline are terminated.
void StopWorkers(Store& store, int expected, std::vector<pid_t>& pids,
                 bool kill_them, double timeout_s) {
  store.Set(keys::kDone, "1");
  const auto deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(timeout_s));
  bool all_left = false;
  while (!kill_them && Clock::now() < deadline) {
    StatusOr<int64_t> left = store.Add(keys::kLeft, 0);
    if (!left.ok()) break;
    if (*left >= expected) {
      all_left = true;
      break;
    }
    std::this_thread::sleep_for(kPoll);
  }
  for (pid_t pid : pids) {
    if (kill_them || !all_left) kill(pid, SIGTERM);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  pids.clear();
}

Status RunCoordinator(const SweepOptions& o, const ClusterEnv& env,
                      Store& store, std::vector<pid_t>& children,
                      const ItemContext& context, sweep::SweepReport* report) {
  StatusOr<sweep::SweepSpace> space = sweep::LoadSpace(o.space_path);
  if (!space.ok()) return space.status();
  if (o.seeds > 0) space->seeds = o.seeds;
  StatusOr<std::vector<sweep::PlannedTrial>> trials =
      sweep::PlanTrials(*space, o.trials, o.epochs);
  if (!trials.ok()) return trials.status();
  StatusOr<KwsConfig> base = ParseConfig(space->base_toml, o.space_path);
  if (!base.ok()) return base.status();
  const int epochs = o.epochs > 0 ? o.epochs : base->training.epochs;
  std::vector<int64_t> seeds;
  for (int s = 0; s < space->seeds; ++s)
    seeds.push_back(base->training.seed + s);
  sweep::Schedule schedule(*trials, space->seeds,
                           sweep::Rungs(epochs, space->min_epochs, space->eta,
                                        space->early_stopping == "halving"),
                           space->eta);
  SweepFolder folder(o, *space, env.world_size, epochs);
  TINYKWS_RETURN_IF_ERROR(folder.Open(*trials, seeds, schedule.rungs()));

  // Rank 0 runs items too, in a thread, unless --workers 0. Its status is
  // joined: a failed worker thread ends the sweep with its message.
  std::thread worker_thread;
  Status worker_status;
  std::atomic<bool> worker_failed{false};
  {
    Heartbeat heartbeat(store, 0);
    if (o.workers > 0) {
      worker_thread = std::thread([&] {
        worker_status = RunSweepWorker(store, context);
        if (!worker_status.ok()) worker_failed = true;
      });
    }
    Coordinator coordinator(store, o, folder, *trials, seeds, schedule,
                            worker_failed);
    Status run = coordinator.Run();
    StopWorkers(store, env.world_size - 1 + (o.workers > 0 ? 1 : 0), children,
                !run.ok(), o.worker_timeout_s);
    if (worker_thread.joinable()) worker_thread.join();
    if (!worker_status.ok()) {
      return worker_status.WithPrefix("rank 0's worker");
    }
    TINYKWS_RETURN_IF_ERROR(run);
  }
  return folder.Finish(schedule, *trials, seeds, report);
}

// The sweep once its folders are locked: the store, then rank 0's
// coordinator (and local workers) or another rank's worker.
Status RunLocked(const SweepOptions& o, const ClusterEnv& env, int threads,
                 const ItemContext& context, sweep::SweepReport* report) {
  StatusOr<std::unique_ptr<Store>> store = Store::Connect(env, kStoreTimeout);
  if (!store.ok()) return store.status();
  if (env.rank != 0) {
    Heartbeat heartbeat(**store, env.rank);
    return RunSweepWorker(**store, context);
  }
  std::vector<pid_t> children;
  if (!env.from_environment) {
    children = StartLocalWorkers(o, (*store)->port(), threads, env.secret);
  }
  const Status s = RunCoordinator(o, env, **store, children, context, report);
  if (!children.empty()) StopWorkers(**store, 0, children, true, 0);
  return s;
}

}  // namespace

Status RunSweep(const SweepOptions& o, sweep::SweepReport* report) {
  if (!(o.worker_timeout_s > 0) ||
      !(o.worker_timeout_s <= kMaxWorkerTimeoutSeconds)) {
    return InvalidArgument(
        "--worker-timeout must be a number of seconds in (0, 1e6]");
  }
  if (o.workers < 0 || o.workers > kMaxLocalWorkers) {
    return InvalidArgument("--workers must be 0.." +
                           std::to_string(kMaxLocalWorkers));
  }
  StatusOr<ClusterEnv> env = ClusterFromEnvironment(o.token_file);
  if (!env.ok()) return env.status();
  // Local workers this process started inherit --workers: only rank 0
  // reads it.
  if (env->from_environment && env->rank == 0 && o.workers > 1) {
    return InvalidArgument(
        "--workers starts processes on this machine; with "
        "RANK/WORLD_SIZE set, start each process yourself");
  }
  if (!env->from_environment && o.workers < 1) {
    return InvalidArgument(
        "--workers 0 (only coordinate) needs processes "
        "started with RANK/WORLD_SIZE to run the trials");
  }
  if (!env->from_environment) {
    // One machine: the store listens on loopback only, and admits only the
    // processes this one starts (a fresh secret, unless one was given).
    env->world_size = o.workers;
    env->master_addr = "127.0.0.1";
    if (env->secret.empty()) {
      StatusOr<std::string> secret = sweep::RandomToken();
      if (!secret.ok()) return secret.status();
      env->secret = *secret;
    }
  }
  // Threads per process: --threads, else what the process that started
  // this one chose (--workers), else the cores shared by the local ones.
  const int local = env->from_environment ? 1 : o.workers;
  int threads =
      o.threads > 0 ? o.threads : std::max(1, HardwareThreads() / local);
  if (const char* given = std::getenv(kThreadsVariable);
      o.threads == 0 && env->from_environment && given != nullptr) {
    threads = std::max(1, std::atoi(given));
  }
  ItemContext context;
  context.data_dir = o.data_dir;
  context.cache_dir = o.cache_dir;
  context.rank = env->rank;
  context.threads = threads;
  context.scratch_dir = o.out_dir + "/work/rank" + std::to_string(env->rank);
  // Locks for the whole run: the sweep folder (rank 0), and each process's
  // scratch, so a second sweep (say --resume while this one runs) is
  // refused instead of training the same items into the same folders.
  std::error_code ec;
  const bool existed = fs::exists(o.out_dir, ec);
  FolderLock sweep_lock, scratch_lock;
  if (env->rank == 0) {
    if (o.out_dir.empty()) return InvalidArgument("--out is required");
    StatusOr<FolderLock> lock = FolderLock::Acquire(o.out_dir, "sweep");
    if (!lock.ok()) return lock.status();
    sweep_lock = std::move(*lock);
    const Status checked = CheckSweepFolder(o);
    if (!checked.ok()) {
      sweep_lock.ReleaseAndRemove();
      if (!existed) fs::remove(o.out_dir, ec);
      return checked;
    }
  }
  {
    StatusOr<FolderLock> lock =
        FolderLock::Acquire(context.scratch_dir, "sweep process");
    if (!lock.ok()) return lock.status();
    scratch_lock = std::move(*lock);
  }
  const Status s = RunLocked(o, *env, threads, context, report);
  if (!s.ok() && env->rank == 0 && !fs::exists(o.out_dir + "/plan.json", ec)) {
    // No sweep began (a bad space, an unreachable port): leave the folder
    // as it was, so the corrected command is not refused.
    scratch_lock.ReleaseAndRemove();
    fs::remove_all(o.out_dir + "/work", ec);
    sweep_lock.ReleaseAndRemove();
    if (!existed) fs::remove(o.out_dir, ec);
  }
  return s;
}

}  // namespace tinykws::train
