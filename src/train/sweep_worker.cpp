#include "train/sweep_worker.hpp"

#include <chrono>
#include <cstdio>

namespace tinykws::train {

namespace {

namespace keys = sweep::keys;
constexpr auto kPoll = std::chrono::milliseconds(100);

}  // namespace

Status RunSweepWorker(Store& store, const ItemContext& context) {
  for (;;) {
    StatusOr<int64_t> ticket = store.Add(keys::kTicket, 1);
    if (!ticket.ok()) return ticket.status();
    const int index = static_cast<int>(*ticket - 1);
    // Wait for the item (rank 0 may still be deciding the next rung).
    for (;;) {
      StatusOr<bool> ready = store.Exists(keys::Item(index));
      if (!ready.ok()) return ready.status();
      if (*ready) break;
      StatusOr<bool> done = store.Exists(keys::kDone);
      if (!done.ok()) return done.status();
      if (*done) return store.Add(keys::kLeft, 1).status();
      std::this_thread::sleep_for(kPoll);
    }
    StatusOr<std::string> bytes = store.Get(keys::Item(index));
    if (!bytes.ok()) return bytes.status();
    sweep::ItemMessage item;
    const Status decoded = sweep::Decode(*bytes, store.secret(), index, &item);
    if (!decoded.ok()) {
      std::fprintf(stderr, "rank %d: ignored work item %d: %s\n", context.rank,
                   index, decoded.message().c_str());
      continue;
    }
    TINYKWS_RETURN_IF_ERROR(
        store.Set(keys::Taken(index), std::to_string(context.rank)));
    const sweep::ResultMessage result = RunSweepItem(item, context);
    TINYKWS_RETURN_IF_ERROR(
        store.Set(keys::Result(index), sweep::Encode(result, store.secret())));
  }
}

Heartbeat::Heartbeat(Store& store, int rank) {
  thread_ = std::thread([this, &store, rank] {
    while (!stop_) {
      if (!store.Add(keys::Alive(rank), 1).ok()) return;
      for (int i = 0; i < 10 && !stop_; ++i) std::this_thread::sleep_for(kPoll);
    }
  });
}

Heartbeat::~Heartbeat() {
  stop_ = true;
  thread_.join();
}

}  // namespace tinykws::train
