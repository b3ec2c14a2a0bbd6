// Worker processes. espeak-ng is not thread-safe (global state) and starts
// a thread of its own, so rendering runs in processes: the parent, which
// never starts an engine and has no thread, forks one process per batch
// of work, at most `jobs` at a time. Each child starts its engines, renders
// its batch into the output folder and exits; the parent waits, collects
// exit statuses and fails the whole run if any child failed (the others
// are then stopped). A batch always starts from fresh engines, so its
// output does not depend on which process or how many ran.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "tinykws/status.hpp"

namespace tinykws::synth {

// Counters the children add to and the parent reads (shared memory).
struct WorkCounters {
  std::atomic<uint64_t> items{0};           // clips and sentences done
  std::atomic<uint64_t> untimed{0};         // clips cut without word timing
  std::atomic<uint64_t> speech_samples{0};  // in speech files
  std::atomic<uint64_t> sentences{0};       // spoken in speech files
};
static_assert(std::atomic<uint64_t>::is_always_lock_free,
              "counters shared between processes must be lock-free");

struct WorkerOptions {
  int jobs = 1;
  uint64_t total_items = 0;  // for the progress line
  bool progress = true;
};

struct WorkerTotals {
  uint64_t items = 0, untimed = 0, speech_samples = 0, sentences = 0;
};

// Runs batch(i, counters) for i in [0, num_batches), each in a child
// process. A batch's error message (its first 1000 bytes) becomes the
// run's error. SIGINT / SIGTERM stop the children and return an error.
using BatchFn = std::function<Status(size_t batch, WorkCounters& counters)>;
StatusOr<WorkerTotals> RunBatches(size_t num_batches, const BatchFn& batch,
                                  const WorkerOptions& options);

}  // namespace tinykws::synth
