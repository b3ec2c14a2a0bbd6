// A minimal parallel loop over [0, n) on a fixed number of threads.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace tinykws {

// Calls fn(i, worker) for every i in [0, n), on up to `threads` threads
// (worker in [0, threads) identifies the thread, e.g. for per-thread
// scratch). Items are handed out dynamically; fn must not throw.
template <typename Fn>
void ParallelFor(size_t n, int threads, Fn fn) {
  const int workers = static_cast<int>(
      std::max<size_t>(1, std::min<size_t>(n, threads < 1 ? 1 : threads)));
  if (workers == 1) {
    for (size_t i = 0; i < n; ++i) fn(i, 0);
    return;
  }
  std::atomic<size_t> next{0};
  auto run = [&](int worker) {
    for (size_t i = next++; i < n; i = next++) fn(i, worker);
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < workers; ++w) pool.emplace_back(run, w);
  run(0);
  for (std::thread& t : pool) t.join();
}

// Threads to use when the user asks for "all cores".
inline int HardwareThreads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

}  // namespace tinykws
