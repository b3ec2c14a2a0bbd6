#include "train/sweep_runner.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <thread>

#include "common/atomic_file.hpp"
#include "common/parallel.hpp"
#include "sweep/plan.hpp"
#include "sweep/run_files.hpp"
#include "sweep/space.hpp"
#include "train/sweep_output.hpp"
#include "train/sweep_worker.hpp"

namespace tinykws::train {

namespace {

namespace fs = std::filesystem;
namespace keys = sweep_keys;
using Clock = std::chrono::steady_clock;
constexpr auto kPoll = std::chrono::milliseconds(100);
constexpr auto kStoreTimeout = std::chrono::minutes(5);
// Threads a sweep process started by --workers uses (set by the parent).
constexpr const char* kThreadsVariable = "TINYKWS_SWEEP_THREADS";

// Hands out the schedule's items through the store and collects results.
class Coordinator {
 public:
  Coordinator(Store& store, const SweepOptions& o, SweepFolder& folder,
              const std::vector<sweep::PlannedTrial>& trials,
              const std::vector<int64_t>& seeds, sweep::Schedule& schedule)
      : store_(store),
        o_(o),
        folder_(folder),
        trials_(trials),
        seeds_(seeds),
        schedule_(schedule) {}

  Status Run() {
    while (!schedule_.Finished() || !pending_.empty()) {
      for (const sweep::WorkItem& item : schedule_.TakeReady()) {
        TINYKWS_RETURN_IF_ERROR(Start(item, 1));
      }
      TINYKWS_RETURN_IF_ERROR(Collect());
      TINYKWS_RETURN_IF_ERROR(Reassign());
      if (!pending_.empty()) std::this_thread::sleep_for(kPoll);
    }
    return Status::Ok();
  }

 private:
  struct Pending {
    sweep::WorkItem item;
    int attempt = 1;
    Clock::time_point published;
    // When the coordinator first saw its ticket drawn but the item not yet
    // taken (a worker is between the two steps, or died there).
    std::optional<Clock::time_point> drawn_seen;
  };

  // An item already done in an earlier session completes from disk;
  // others are published.
  Status Start(const sweep::WorkItem& item, int attempt) {
    const sweep::PlannedTrial& trial = trials_[static_cast<size_t>(item.trial)];
    StatusOr<sweep::ItemResult> kept = folder_.KeptResult(trial.id, item);
    if (kept.ok()) {
      schedule_.Complete(item, *kept);
      return Status::Ok();
    }
    sweep::ItemMessage m;
    m.index = next_index_++;
    m.item = item;
    m.trial_id = trial.id;
    m.seed = seeds_[static_cast<size_t>(item.seed_index)];
    m.config_toml = trial.config_toml;
    m.attempt = attempt;
    if (item.epochs > schedule_.rungs().front() && !trial.mark) {
      StatusOr<std::string> run = folder_.RunFiles(trial.id, item.seed_index);
      if (!run.ok()) return run.status();
      m.run_files = std::move(*run);
    }
    TINYKWS_RETURN_IF_ERROR(store_.Set(keys::Item(m.index), sweep::Encode(m)));
    Pending p;
    p.item = item;
    p.attempt = attempt;
    p.published = Clock::now();
    pending_[m.index] = p;
    return Status::Ok();
  }

  Status Collect() {
    for (auto it = pending_.begin(); it != pending_.end();) {
      StatusOr<bool> ready = store_.Exists(keys::Result(it->first));
      if (!ready.ok()) return ready.status();
      if (!*ready) {
        ++it;
        continue;
      }
      StatusOr<std::string> bytes = store_.Get(keys::Result(it->first));
      if (!bytes.ok()) return bytes.status();
      sweep::ResultMessage r;
      TINYKWS_RETURN_IF_ERROR(sweep::Decode(*bytes, &r));
      const sweep::WorkItem item = it->second.item;
      const std::string& id = trials_[static_cast<size_t>(item.trial)].id;
      TINYKWS_RETURN_IF_ERROR(folder_.Keep(id, item, r));
      schedule_.Complete(item, r.result);
      ++completed_;
      if (!o_.quiet) {
        char outcome[64];
        std::snprintf(outcome, sizeof outcome, "%s %.4f",
                      item.final ? "int8 validation" : "fp32 validation",
                      item.final ? r.result.val_int8 : r.result.best_val_fp32);
        std::fprintf(stderr,
                     "[%d] %s seed %d, %d epochs: %s (rank %d, %.1f s)\n",
                     completed_, id.c_str(), item.seed_index, item.epochs,
                     r.result.ok ? outcome : r.result.error.c_str(),
                     r.result.rank, r.result.train_seconds);
      }
      TINYKWS_RETURN_IF_ERROR(
          folder_.WriteProgress(schedule_, trials_, seeds_));
      // Stored on disk now: the store (rank 0's memory) need not keep the
      // run files of every item of the sweep.
      TINYKWS_RETURN_IF_ERROR(store_.Delete(keys::Result(it->first)));
      TINYKWS_RETURN_IF_ERROR(store_.Delete(keys::Item(it->first)));
      it = pending_.erase(it);
    }
    return Status::Ok();
  }

  // An item taken by a process whose heartbeat stopped, or whose ticket
  // was drawn but never taken, is published again.
  Status Reassign() {
    const auto timeout = std::chrono::duration<double>(o_.worker_timeout_s);
    StatusOr<int64_t> tickets = store_.Add(keys::kTicket, 0);
    if (!tickets.ok()) return tickets.status();
    std::vector<int> lost;
    const Clock::time_point now = Clock::now();
    for (auto& [index, p] : pending_) {
      StatusOr<bool> taken = store_.Exists(keys::Taken(index));
      if (!taken.ok()) return taken.status();
      if (!*taken) {
        if (*tickets > index) {
          if (!p.drawn_seen) {
            p.drawn_seen = now;
          } else if (now - *p.drawn_seen > timeout) {
            lost.push_back(index);
          }
        }
        continue;
      }
      StatusOr<std::string> rank = store_.Get(keys::Taken(index));
      if (!rank.ok()) return rank.status();
      StatusOr<int64_t> beats = store_.Add(keys::Alive(std::stoi(*rank)), 0);
      if (!beats.ok()) return beats.status();
      // The clock starts when the coordinator first sees the rank.
      auto& seen = alive_.try_emplace(*rank, *beats, now).first->second;
      if (seen.first != *beats) seen = {*beats, now};
      if (now - seen.second > timeout) lost.push_back(index);
    }
    for (int index : lost) {
      const Pending p = pending_[index];
      pending_.erase(index);
      if (!o_.quiet) {
        std::fprintf(stderr,
                     "item %d (%s seed %d) lost its process; running "
                     "it again\n",
                     index,
                     trials_[static_cast<size_t>(p.item.trial)].id.c_str(),
                     p.item.seed_index);
      }
      TINYKWS_RETURN_IF_ERROR(Start(p.item, p.attempt + 1));
    }
    return Status::Ok();
  }

  Store& store_;
  const SweepOptions& o_;
  SweepFolder& folder_;
  const std::vector<sweep::PlannedTrial>& trials_;
  const std::vector<int64_t>& seeds_;
  sweep::Schedule& schedule_;
  std::map<int, Pending> pending_;
  std::map<std::string, std::pair<int64_t, Clock::time_point>> alive_;
  int next_index_ = 0;
  int completed_ = 0;
};

// Starts ranks 1 .. workers - 1 of a one-machine sweep as copies of this
// program with the multi-process environment set, and the threads each
// process may use (kThreadsVariable). Arguments and environment are built
// before fork: the child only calls execve.
std::vector<pid_t> StartLocalWorkers(const SweepOptions& o, int port,
                                     int threads) {
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
          name != "WORLD_SIZE" && name != kThreadsVariable) {
        env.push_back(entry);
      }
    }
    env.push_back("MASTER_ADDR=127.0.0.1");
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

  // Rank 0 runs items too, in a thread, unless --workers 0.
  std::thread worker_thread;
  {
    Heartbeat heartbeat(store, 0);
    if (o.workers > 0) {
      worker_thread = std::thread([&] { RunSweepWorker(store, context); });
    }
    Coordinator coordinator(store, o, folder, *trials, seeds, schedule);
    const Status run = coordinator.Run();
    StopWorkers(store, env.world_size - 1 + (o.workers > 0 ? 1 : 0), children,
                !run.ok(), o.worker_timeout_s);
    if (worker_thread.joinable()) worker_thread.join();
    TINYKWS_RETURN_IF_ERROR(run);
  }
  return folder.Finish(schedule, *trials, seeds, report);
}

}  // namespace

Status RunSweep(const SweepOptions& o, sweep::SweepReport* report) {
  StatusOr<ClusterEnv> env = ClusterFromEnvironment();
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
  if (!env->from_environment) env->world_size = o.workers;
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
  if (env->rank == 0) TINYKWS_RETURN_IF_ERROR(CheckSweepFolder(o));

  StatusOr<std::unique_ptr<Store>> store = Store::Connect(*env, kStoreTimeout);
  if (!store.ok()) return store.status();
  if (env->rank != 0) {
    Heartbeat heartbeat(**store, env->rank);
    return RunSweepWorker(**store, context);
  }
  std::vector<pid_t> children;
  if (!env->from_environment) {
    children = StartLocalWorkers(o, (*store)->port(), threads);
  }
  const Status s = RunCoordinator(o, *env, **store, children, context, report);
  if (!children.empty()) StopWorkers(**store, 0, children, true, 0);
  return s;
}

}  // namespace tinykws::train
