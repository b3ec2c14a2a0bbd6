// The part of a sweep every process runs: take the next work item from the
// store, run it, put the result back; and a heartbeat that tells rank 0 the
// process is alive while an item trains.
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "train/cluster.hpp"
#include "train/sweep_item.hpp"

namespace tinykws::train::sweep_keys {
// Store keys: "item/<i>" (rank 0 publishes), "ticket" (counter: a worker
// takes i = ticket - 1), "taken/<i>" (rank that runs it), "result/<i>",
// "alive/<rank>" (heartbeat counter), "done" (no more items), "left"
// (counter of workers that saw "done").
inline std::string Item(int i) { return "item/" + std::to_string(i); }
inline std::string Taken(int i) { return "taken/" + std::to_string(i); }
inline std::string Result(int i) { return "result/" + std::to_string(i); }
inline std::string Alive(int rank) { return "alive/" + std::to_string(rank); }
inline constexpr const char* kTicket = "ticket";
inline constexpr const char* kDone = "done";
inline constexpr const char* kLeft = "left";
}  // namespace tinykws::train::sweep_keys

namespace tinykws::train {

// Runs items until "done"; an error means the store is gone.
Status RunSweepWorker(Store& store, const ItemContext& context);

class Heartbeat {
 public:
  Heartbeat(Store& store, int rank);
  ~Heartbeat();

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace tinykws::train
