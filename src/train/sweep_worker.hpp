// The part of a sweep every process runs: take the next work item from the
// store, run it, put the result back; and a heartbeat that tells rank 0 the
// process is alive while an item trains.
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "train/cluster.hpp"
#include "train/sweep_item.hpp"

namespace tinykws::train {

// Runs items until "done"; an error means the store is gone. An item that
// fails its signature or checks is logged and skipped (rank 0 publishes
// it again after --worker-timeout).
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
