// Work items and their results as bytes, for the sweep's store: a signature
// line (auth.hpp: HMAC-SHA256 under the run's secret, covering the store
// key), a JSON header line, then the run folder's packed files
// (run_files.hpp). Decoding checks the signature first, then every field:
// a message that fails is refused, never trusted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sweep/plan.hpp"

namespace tinykws::sweep {

namespace keys {
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
}  // namespace keys

// Bounds of what a message may say (beyond them it is refused).
inline constexpr int kMaxSweepRanks = 4096;
inline constexpr int kMaxSeedIndex = 1000;
inline constexpr int kMaxEpochs = 1000000;

struct ItemMessage {
  int index = 0;  // position in the store's queue
  WorkItem item;
  std::string trial_id;
  int64_t seed = 1;         // the training seed
  std::string config_toml;  // the trial's resolved config
  int attempt = 1;          // > 1: re-run after its process stopped
  std::string run_files;    // the run so far (empty: start it)
};

struct ResultMessage {
  int index = 0;
  // The item it answers, checked against the one published (Answers).
  std::string trial_id;
  int seed_index = 0;
  int epochs = 0;
  int attempt = 1;
  ItemResult result;
  std::string run_files;  // the run afterwards (and model.kws when final)
};

// Signed under `secret` for the message's store key (keys::Item(index),
// keys::Result(index)).
std::string Encode(const ItemMessage& m, const std::string& secret);
std::string Encode(const ResultMessage& m, const std::string& secret);
// `bytes` as read from keys::Item(index) / keys::Result(index).
Status Decode(const std::string& bytes, const std::string& secret, int index,
              ItemMessage* m);
Status Decode(const std::string& bytes, const std::string& secret, int index,
              ResultMessage* m);
// The answer to `item` (the result of another item, or of an earlier
// attempt, is not).
Status Answers(const ItemMessage& item, const ResultMessage& r);
// The rank a "taken/<i>" value names, if it is one.
std::optional<int> TakenRank(const std::string& value);

// An item's result alone (no files), as kept next to the run on disk.
nlohmann::json ResultToJson(const ItemResult& r);
StatusOr<ItemResult> ResultFromJson(const nlohmann::json& j);

}  // namespace tinykws::sweep
