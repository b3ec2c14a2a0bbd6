// Everything the training loop consumes, without LibTorch: the indexed data
// set, cached MFCCs, fixed validation/testing sets, and per-epoch training
// sets (sampled _unknown_/_silence_ clips, augmentation) built in parallel.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tinykws/config.hpp"
#include "tinykws/dataset.hpp"
#include "train/augment.hpp"
#include "train/feature_cache.hpp"

namespace tinykws::train {

// Features of a set of clips, row-major [count][frames][num_mfcc].
struct LabeledSet {
  std::vector<float> features;
  std::vector<int64_t> labels;
  size_t size() const { return labels.size(); }
};

struct DataOptions {
  std::string data_dir;
  std::string cache_dir;  // "" = no feature cache
  int threads = 1;
  bool skip_bad_clips = false;  // warn and continue instead of failing
  bool verbose = false;
};

class TrainingData {
 public:
  static StatusOr<std::unique_ptr<TrainingData>> Prepare(
      const KwsConfig& config, const DataOptions& options);

  const DatasetIndex& index() const { return index_; }
  const LabeledSet& validation() const { return validation_; }
  const LabeledSet& testing() const { return testing_; }
  int per_clip() const { return features_.per_clip; }
  size_t training_size() const;  // clips per training epoch
  int bad_clips() const { return bad_clips_; }
  bool features_from_cache() const { return features_.from_cache; }
  double feature_seconds() const { return features_.seconds; }

  // The training set of one epoch, in a fixed order (the loop shuffles).
  // Deterministic in (seed, epoch), whatever the thread count.
  void BuildEpoch(uint64_t seed, int epoch, LabeledSet* out) const;

  // Up to `count` un-augmented training clips (a fixed random sample, the
  // extras included in their shares), for calibrating quantization.
  void CalibrationSet(size_t count, LabeledSet* out) const;

  // Clips per label of a split ("go: 110, stop: 96").
  std::string Describe(Split split) const;

 private:
  TrainingData(const KwsConfig& config, const DataOptions& options);
  Status Load();
  void FixedSet(Split split, LabeledSet* out) const;
  int ExtraCount(size_t keywords, float share) const;

  KwsConfig config_;
  DataOptions options_;
  DatasetIndex index_;
  ClipFeatures features_;
  int unknown_label_ = -1;
  int silence_label_ = -1;
  std::vector<int> keywords_[3];  // clip indices per split (readable clips)
  std::vector<int> unknown_[3];
  NoiseBank noise_[3];  // per split: each split's part of every recording
  std::unique_ptr<Augmenter> augmenter_;
  // Audio of the training clips (keywords then unknowns), only when the
  // augmentation changes audio. audio_slot_[clip] indexes it, -1 otherwise.
  std::vector<std::vector<int16_t>> audio_;
  std::vector<int> audio_slot_;
  LabeledSet validation_, testing_;
  int bad_clips_ = 0;
};

}  // namespace tinykws::train
