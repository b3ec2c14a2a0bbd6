// Everything the training loop consumes, without LibTorch: the clips of
// every data folder with cached MFCCs, fixed validation/testing sets, and
// per-epoch training sets built in parallel: every real keyword clip,
// synthetic keyword clips at [data] synthetic_share, and _unknown_ and
// _silence_ draws from their sources at their shares (docs/config.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tinykws/config.hpp"
#include "tinykws/dataset.hpp"
#include "train/augment.hpp"
#include "train/data_pool.hpp"

namespace tinykws::train {

// Features of a set of clips, row-major [count][frames][num_mfcc].
struct LabeledSet {
  std::vector<float> features;
  std::vector<int64_t> labels;
  size_t size() const { return labels.size(); }
};

struct DataOptions {
  std::string data_dir;   // the main folder; [data] extra adds more
  std::string cache_dir;  // "" = no feature cache
  int threads = 1;
  bool skip_bad_clips = false;  // warn and continue instead of failing
  bool verbose = false;
};

// Where an epoch's _unknown_ draws come from.
enum class UnknownSource {
  kRealWord,       // a real other word
  kSyntheticWord,  // a clip of a synthetic folder
  kSpeechWindow,   // 1 s of a _speech_ recording
  kReversed,       // a real clip backwards
  kSpliced,        // onset of a real other word + rest of a real clip
  kShifted,        // a real other word, pitch and tempo shifted
};
inline constexpr int kUnknownSources = 6;

class TrainingData {
 public:
  static StatusOr<std::unique_ptr<TrainingData>> Prepare(
      const KwsConfig& config, const DataOptions& options);

  const LabeledSet& validation() const { return validation_; }
  const LabeledSet& testing() const { return testing_; }
  int per_clip() const { return pool_.per_clip; }
  size_t training_size() const;  // clips per training epoch
  int bad_clips() const { return bad_clips_; }
  bool features_from_cache() const { return pool_.features_from_cache; }
  double feature_seconds() const { return pool_.feature_seconds; }

  // The training set of one epoch, in a fixed order (the loop shuffles).
  // Deterministic in (seed, epoch), whatever the thread count.
  void BuildEpoch(uint64_t seed, int epoch, LabeledSet* out) const;

  // Up to `count` un-augmented real training clips (a fixed random sample,
  // the extras included in their shares), for calibrating quantization.
  void CalibrationSet(size_t count, LabeledSet* out) const;

  // Clips per label of a split ("go: 110, stop: 96"); for training, with
  // the synthetic clips and the _unknown_ sources of an epoch.
  std::string Describe(Split split) const;

 private:
  // What one epoch holds (BuildEpoch and training_size agree through it).
  struct EpochPlan {
    std::vector<int> synthetic_keywords;  // draws per label
    int unknown[kUnknownSources] = {};
    int silence = 0;
    size_t total = 0;
  };

  TrainingData(const KwsConfig& config, const DataOptions& options);
  Status Load();
  EpochPlan Plan() const;
  void FixedSet(Split split, LabeledSet* out) const;
  int ExtraCount(size_t keywords, float share) const;
  // Audio of an epoch item before augmentation (unknown sources that are
  // made, not read): into *out.
  void MakeUnknown(UnknownSource source, int clip, CounterRng& rng,
                   std::vector<int16_t>* out) const;

  KwsConfig config_;
  DataOptions options_;
  DataPool pool_;
  int unknown_label_ = -1;
  int silence_label_ = -1;
  std::vector<int> keywords_[3];  // real keyword clips per split
  std::vector<int> unknown_[3];   // real other words per split
  std::vector<std::vector<int>> synthetic_keywords_;  // per label, training
  std::vector<int> synthetic_unknown_;                // training
  std::vector<int> real_training_;  // real training clips (keywords, others)
  std::unique_ptr<Augmenter> augmenter_;
  // Audio of the training clips, when augmentation or made negatives need
  // it. audio_slot_[clip] indexes it, -1 otherwise.
  std::vector<std::vector<int16_t>> audio_;
  std::vector<int> audio_slot_;
  std::vector<size_t> speech_begin_, speech_end_;  // per audio slot
  LabeledSet validation_, testing_;
  int bad_clips_ = 0;
};

}  // namespace tinykws::train
