// Batch evaluation of a model on a data folder: every clip of a split
// through the runtime (in parallel), metrics, misclassified clips, latency
// measured in the same run, an optional reference model. No LibTorch.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/percentiles.hpp"
#include "tinykws/dataset.hpp"
#include "tinykws/runtime.hpp"

namespace tinykws::eval {

struct EvalOptions {
  std::string model_path;
  std::string data_dir;
  std::string split = "testing";  // testing, validation, training, all
  std::string reference_path;     // optional
  int threads = 0;                // 0 = all cores
  int latency_clips = 500;        // single-thread timing pass
  bool strict = false;            // unreadable clips are fatal
  bool progress = false;          // progress line on stderr (terminal)
  // The MFCC front end to evaluate through; unset: the model's own.
  std::optional<FeaturePrecision> front_end;
};

struct Latency {
  int clips = 0;
  std::string kernel;
  Percentiles mfcc, inference, total;
  double histogram_bin_us = 0;  // total latency histogram
  std::vector<int> histogram;
};

struct ModelInfo {
  std::string path;
  size_t bytes = 0;
  std::string sha256;
  bool int8 = true;
  std::vector<std::string> labels;
  FeatureConfig features;
  int64_t macs = 0, parameters = 0;
  std::vector<std::pair<std::string, std::string>> metadata;
};

struct ClassMetrics {
  std::string label;
  double precision = 0, recall = 0, f1 = 0;
  int support = 0;
};

struct Misclassified {
  std::string path;
  int label = 0, predicted = 0;
  std::vector<float> scores;
};

struct Unreadable {
  std::string path, error;
};

struct EvalReport {
  ModelInfo model;
  std::string data_dir, split;
  bool split_from_lists = false;
  std::map<std::string, int> clips_per_label;
  std::vector<std::string> skipped_folders;
  std::vector<Unreadable> unreadable;
  // Clips and noise files shorter than their headers say, read as far as
  // they go (AudioClip::truncated).
  std::vector<std::string> truncated;
  int clips = 0, correct = 0;
  int silence_clips = 0;  // made from the split's noise (models with _silence_)
  double accuracy = 0, balanced_accuracy = 0;
  std::vector<ClassMetrics> per_class;
  std::vector<std::vector<int>> confusion;  // [true][predicted]
  std::vector<Misclassified> misclassified;
  Latency latency;
  // The front end the clips went through (model.features.precision is the
  // one the model was trained with; they differ under --front-end).
  FeaturePrecision front_end = FeaturePrecision::kFloat64;
  int threads = 0;
  double eval_seconds = 0;
  bool has_reference = false;
  ModelInfo reference;
  Latency reference_latency;
  double latency_savings_percent = 0;  // 100 (ref - ours) / ref, total median
  double size_savings_percent = 0;     // 100 (ref - ours) / ref, file bytes
};

// Seed of the silence clips' generator (fixed: every evaluation of a split
// sees the same clips).
inline constexpr uint64_t kSilenceSeed = 0x5113;

Status Evaluate(const EvalOptions& options, EvalReport* report);

// Loads a model file and describes it (size, sha256, labels, features, ...).
StatusOr<std::shared_ptr<const Model>> LoadModelWithInfo(
    const std::string& path, ModelInfo* info);

}  // namespace tinykws::eval
