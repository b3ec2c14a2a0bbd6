// Work items and their results as bytes, for the sweep's store: a JSON
// header line, then the run folder's packed files (run_files.hpp).
#pragma once

#include <cstdint>
#include <string>

#include "sweep/plan.hpp"

namespace tinykws::sweep {

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
  ItemResult result;
  std::string run_files;  // the run afterwards (and model.kws when final)
};

std::string Encode(const ItemMessage& m);
std::string Encode(const ResultMessage& m);
Status Decode(const std::string& bytes, ItemMessage* m);
Status Decode(const std::string& bytes, ResultMessage* m);

// An item's result alone (no files), as kept next to the run on disk.
nlohmann::json ResultToJson(const ItemResult& r);
StatusOr<ItemResult> ResultFromJson(const nlohmann::json& j);

}  // namespace tinykws::sweep
