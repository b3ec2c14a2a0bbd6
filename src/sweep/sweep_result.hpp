// What a sweep found: one entry per trial, the Pareto front, and the
// settings the sweep ran with. Written as OUT/sweep.json (ToJson) and
// rendered as Markdown and HTML (sweep_report.hpp). No LibTorch.
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "tinykws/status.hpp"

namespace tinykws::sweep {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct TrialResult {
  // "t000", "t001", ... in the order the space enumerates them, or the name
  // of a mark (a reference config trained alongside, e.g. "seed").
  std::string id;
  // "ok": trained to the end, exported and measured; "failed": an error
  // (in `error`); "stopped": early stopping dropped it after `epochs`;
  // "pending": not run yet (a report of an unfinished sweep).
  std::string status = "pending";
  std::string error;
  bool mark = false;
  std::string mark_config;  // a mark's config file as given in the space
  // The trial's values of the swept keys ("features.mel_bins" -> 20), in
  // the space file's order. Empty for marks.
  std::vector<std::pair<std::string, nlohmann::json>> overrides;
  int epochs = 0;  // epochs trained (the rung where a stopped trial ended)
  // Per training seed. For "ok": the int8 model through the runtime
  // (bit-exact with the device). For "stopped": the best fp32 validation
  // accuracy up to `epochs` (testing is not measured).
  std::vector<int64_t> seeds;
  std::vector<double> val_accuracies, test_accuracies;
  double val_accuracy = kNaN, test_accuracy = kNaN;  // means over the seeds
  int64_t model_bytes = 0;  // the int8 .kws file (first seed's)
  int64_t macs = 0;         // multiply-accumulates per 1 s clip
  int64_t parameters = 0;
  double latency_us = kNaN;  // median MFCC + inference per clip, one thread
  bool pareto = false;       // on the front (see ParetoFront)
  int rank = -1;             // the process that ran the trial's last step
  double train_seconds = 0;  // summed over seeds and rungs
};

struct SweepReport {
  std::string name;            // the space file's stem, e.g. "seed_study"
  std::string space_path;      // as given on the command line
  std::string base_config;     // the base config's path, as in the space
  std::string strategy;        // "grid" or "random"
  std::string early_stopping;  // "none" or "halving"
  std::vector<int> rungs;      // epochs at which halving compares trials
  int epochs = 0;              // full training length
  int seeds = 1;               // training seeds per trial
  int world_size = 1;          // processes that ran trials
  double wall_seconds = 0;
  std::string latency_kernel;  // runtime kernel used for latency_us
  int latency_clips = 0;
  std::string data_dir;
  std::vector<TrialResult> trials;  // marks first, then t000, t001, ...
};

// Marks the Pareto front among trials with status "ok" and a finite
// val_accuracy, latency_us and model_bytes > 0: a trial is on the front
// when no other such trial is at least as good on all three (validation
// accuracy higher is better, latency and bytes lower) and strictly better
// on one. Trials that are not "ok" get pareto = false.
void MarkParetoFront(std::vector<TrialResult>* trials);

nlohmann::json ToJson(const TrialResult& trial);
nlohmann::json ToJson(const SweepReport& report);
// Inverse of ToJson; missing keys keep their defaults (older files), wrong
// types are a FormatError naming the trial and key.
StatusOr<TrialResult> TrialFromJson(const nlohmann::json& j);
StatusOr<SweepReport> SweepFromJson(const nlohmann::json& j);

}  // namespace tinykws::sweep
