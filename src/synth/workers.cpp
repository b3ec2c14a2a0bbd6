#include "synth/workers.hpp"

#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <vector>

#include "synth/progress.hpp"

namespace tinykws::synth {

namespace {

constexpr int kMaxJobs = 256;
constexpr size_t kMessageBytes = 1024;

struct Shared {
  WorkCounters counters;
  char messages[kMaxJobs][kMessageBytes];
};

volatile sig_atomic_t g_interrupted = 0;

void OnSignal(int) { g_interrupted = 1; }

struct Slot {
  pid_t pid = -1;
  size_t batch = 0;
};

// Installs the parent's SIGINT/SIGTERM handlers and the default SIGCHLD;
// restores the old ones.
class SignalGuard {
 public:
  SignalGuard() {
    g_interrupted = 0;
    struct sigaction sa = {};
    sa.sa_handler = OnSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
    // Children must stay waitable (SIGCHLD ignored would reap them).
    struct sigaction dfl = {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGCHLD, &dfl, &old_chld_);
  }
  ~SignalGuard() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
    sigaction(SIGCHLD, &old_chld_, nullptr);
  }

 private:
  struct sigaction old_int_ = {};
  struct sigaction old_term_ = {};
  struct sigaction old_chld_ = {};
};

[[noreturn]] void RunChild(const BatchFn& fn, size_t batch, Shared* shared,
                           int slot, pid_t parent) {
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  // Die with the parent (killed outright, it cannot stop its children).
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (::getppid() != parent) _exit(1);
  // Nothing may unwind out of the child into the parent's code (it would
  // go on as a second parent).
  Status s;
  try {
    s = fn(batch, shared->counters);
  } catch (const std::exception& e) {
    s = InternalError(std::string("worker: ") + e.what());
  } catch (...) {
    s = InternalError("worker: unknown exception");
  }
  std::fflush(nullptr);
  if (!s.ok()) {
    std::snprintf(shared->messages[slot], kMessageBytes, "%s",
                  s.message().c_str());
    _exit(1);
  }
  _exit(0);
}

void StopAll(std::vector<Slot>& slots) {
  for (Slot& s : slots) {
    if (s.pid > 0) ::kill(s.pid, SIGTERM);
  }
  for (Slot& s : slots) {
    if (s.pid > 0) {
      while (::waitpid(s.pid, nullptr, 0) < 0 && errno == EINTR) {
      }
      s.pid = -1;
    }
  }
}

std::string Describe(int wstatus) {
  if (WIFEXITED(wstatus)) {
    return "exit status " + std::to_string(WEXITSTATUS(wstatus));
  }
  if (WIFSIGNALED(wstatus)) {
    return std::string("killed by signal ") +
           std::to_string(WTERMSIG(wstatus)) + " (" +
           strsignal(WTERMSIG(wstatus)) + ")";
  }
  return "status " + std::to_string(wstatus);
}

}  // namespace

StatusOr<WorkerTotals> RunBatches(size_t num_batches, const BatchFn& batch,
                                  const WorkerOptions& options) {
  const int jobs = std::clamp(options.jobs, 1, kMaxJobs);
  void* memory = ::mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) {
    return IoError(std::string("workers: mmap: ") + std::strerror(errno));
  }
  Shared* shared = new (memory) Shared();
  struct Unmap {
    Shared* s;
    ~Unmap() {
      s->~Shared();
      ::munmap(s, sizeof(Shared));
    }
  } unmap{shared};

  SignalGuard signals;
  ProgressLine progress(options.total_items, options.progress);
  std::vector<Slot> slots(static_cast<size_t>(jobs));
  size_t next = 0;
  size_t running = 0;
  Status failure;
  while (next < num_batches || running > 0) {
    // Start batches in free slots.
    for (size_t i = 0; i < slots.size() && next < num_batches && failure.ok();
         ++i) {
      if (slots[i].pid > 0) continue;
      shared->messages[i][0] = '\0';
      std::fflush(nullptr);
      const pid_t parent = ::getpid();
      const pid_t pid = ::fork();
      if (pid < 0) {
        failure =
            IoError(std::string("workers: fork: ") + std::strerror(errno));
        break;
      }
      if (pid == 0) RunChild(batch, next, shared, static_cast<int>(i), parent);
      slots[i].pid = pid;
      slots[i].batch = next++;
      ++running;
    }
    if (!failure.ok() || g_interrupted) break;
    // Collect finished ones.
    bool any = false;
    for (size_t i = 0; i < slots.size(); ++i) {
      if (slots[i].pid <= 0) continue;
      int wstatus = 0;
      const pid_t r = ::waitpid(slots[i].pid, &wstatus, WNOHANG);
      if (r == 0 || (r < 0 && errno == EINTR)) continue;
      any = true;
      slots[i].pid = -1;
      --running;
      if (r < 0 || !WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
        std::string message = shared->messages[i];
        if (message.empty()) {
          message =
              "worker for batch " + std::to_string(slots[i].batch) +
              " failed (" +
              (r < 0 ? std::string(std::strerror(errno)) : Describe(wstatus)) +
              ")";
        }
        failure = IoError(message);
        break;
      }
    }
    if (!failure.ok()) break;
    progress.Update(shared->counters.items.load());
    if (!any) ::usleep(20000);
  }
  if (g_interrupted && failure.ok()) {
    failure = IoError("interrupted");
  }
  if (!failure.ok()) {
    StopAll(slots);
    progress.Finish(shared->counters.items.load());
    return failure;
  }
  progress.Finish(shared->counters.items.load());
  WorkerTotals totals;
  totals.items = shared->counters.items.load();
  totals.untimed = shared->counters.untimed.load();
  totals.speech_samples = shared->counters.speech_samples.load();
  totals.sentences = shared->counters.sentences.load();
  return totals;
}

}  // namespace tinykws::synth
