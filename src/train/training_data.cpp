#include "train/training_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "common/parallel.hpp"
#include "dataset/noise.hpp"
#include "tinykws/audio.hpp"

namespace tinykws::train {

namespace {

int LabelIndex(const std::vector<std::string>& labels, const char* name) {
  const auto it = std::find(labels.begin(), labels.end(), name);
  return it == labels.end() ? -1 : static_cast<int>(it - labels.begin());
}

}  // namespace

TrainingData::TrainingData(const KwsConfig& config, const DataOptions& options)
    : config_(config), options_(options) {}

StatusOr<std::unique_ptr<TrainingData>> TrainingData::Prepare(
    const KwsConfig& config, const DataOptions& options) {
  std::unique_ptr<TrainingData> data(new TrainingData(config, options));
  TINYKWS_RETURN_IF_ERROR(data->Load());
  return data;
}

int TrainingData::ExtraCount(size_t keywords, float share) const {
  const float rest =
      1.0f - config_.data.unknown_share - config_.data.silence_share;
  return static_cast<int>(std::lround(keywords * share / rest));
}

Status TrainingData::Load() {
  DatasetOptions dataset_options;
  dataset_options.validation_percent = config_.data.validation_percent;
  dataset_options.testing_percent = config_.data.testing_percent;
  StatusOr<DatasetIndex> index =
      IndexDataset(options_.data_dir, config_.labels, dataset_options);
  if (!index.ok()) return index.status();
  index_ = std::move(*index);
  unknown_label_ = LabelIndex(config_.labels, kUnknownLabel);
  silence_label_ = LabelIndex(config_.labels, kSilenceLabel);

  StatusOr<ClipFeatures> features = LoadOrComputeFeatures(
      index_, config_.features,
      {options_.cache_dir, options_.threads, options_.verbose});
  if (!features.ok()) return features.status();
  features_ = std::move(*features);
  for (size_t i = 0; i < index_.clips.size(); ++i) {
    const ClipInfo& clip = index_.clips[i];
    if (!features_.error[i].empty()) {
      ++bad_clips_;
      if (!options_.skip_bad_clips) {
        return FormatError(features_.error[i] +
                           " (use --skip-bad-clips to warn and continue)");
      }
      std::fprintf(stderr, "warning: skipping %s: %s\n", clip.path.c_str(),
                   features_.error[i].c_str());
      continue;
    }
    auto& bucket = clip.label == unknown_label_ ? unknown_ : keywords_;
    bucket[static_cast<int>(clip.split)].push_back(static_cast<int>(i));
  }
  for (size_t label = 0; label < config_.labels.size(); ++label) {
    if (static_cast<int>(label) == unknown_label_ ||
        static_cast<int>(label) == silence_label_) {
      continue;
    }
    const auto& train = keywords_[0];
    const bool any = std::any_of(train.begin(), train.end(), [&](int c) {
      return index_.clips[c].label == static_cast<int>(label);
    });
    if (!any) {
      return InvalidArgument(options_.data_dir + ": label '" +
                             config_.labels[label] +
                             "' has no readable training clips");
    }
  }

  const bool need_noise =
      silence_label_ >= 0 || config_.augment.noise_probability > 0;
  if (need_noise && !index_.background_noise_files.empty()) {
    // Each split uses its own part of every recording (dataset/noise.hpp).
    for (Split split :
         {Split::kTraining, Split::kValidation, Split::kTesting}) {
      StatusOr<NoiseBank> noise =
          LoadNoise(index_, config_.features.sample_rate, split);
      if (!noise.ok()) return noise.status();
      noise_[static_cast<int>(split)] = std::move(*noise);
    }
  }
  augmenter_ = std::make_unique<Augmenter>(config_.augment, config_.features,
                                           &noise_[0]);
  audio_slot_.assign(index_.clips.size(), -1);
  if (augmenter_->changes_audio()) {
    std::vector<int> clips = keywords_[0];
    clips.insert(clips.end(), unknown_[0].begin(), unknown_[0].end());
    std::vector<std::string> errors;
    audio_ = DecodeClips(index_, clips, config_.features.sample_rate,
                         options_.threads, &errors);
    for (size_t i = 0; i < clips.size(); ++i) {
      if (!errors[i].empty()) return IoError(errors[i]);
      audio_slot_[clips[i]] = static_cast<int>(i);
    }
  }
  FixedSet(Split::kValidation, &validation_);
  FixedSet(Split::kTesting, &testing_);
  return Status::Ok();
}

// What BuildEpoch adds, by the same conditions.
size_t TrainingData::training_size() const {
  const size_t n = keywords_[0].size();
  const bool unknown = unknown_label_ >= 0 && !unknown_[0].empty();
  const bool silence = silence_label_ >= 0 && !noise_[0].empty();
  return n + (unknown ? ExtraCount(n, config_.data.unknown_share) : 0) +
         (silence ? ExtraCount(n, config_.data.silence_share) : 0);
}

// Keywords, then a sample of unknown clips and silence crops; the extras are
// drawn from a fixed stream so every run validates on the same set.
void TrainingData::FixedSet(Split split, LabeledSet* out) const {
  const int s = static_cast<int>(split);
  const int per_clip = features_.per_clip;
  out->features.clear();
  out->labels.clear();
  for (int clip : keywords_[s]) {
    out->features.insert(out->features.end(),
                         &features_.values[clip * per_clip],
                         &features_.values[(clip + 1) * per_clip]);
    out->labels.push_back(index_.clips[clip].label);
  }
  Rng rng(0, Stream::kEvalExtra, static_cast<uint64_t>(s));
  if (unknown_label_ >= 0 && !unknown_[s].empty()) {
    const int count =
        ExtraCount(keywords_[s].size(), config_.data.unknown_share);
    for (int i = 0; i < count; ++i) {
      const int clip = unknown_[s][rng.Below(unknown_[s].size())];
      out->features.insert(out->features.end(),
                           &features_.values[clip * per_clip],
                           &features_.values[(clip + 1) * per_clip]);
      out->labels.push_back(unknown_label_);
    }
  }
  if (silence_label_ >= 0 && !noise_[s].empty()) {
    const int count =
        ExtraCount(keywords_[s].size(), config_.data.silence_share);
    StatusOr<MfccExtractor> extractor = MfccExtractor::Create(config_.features);
    std::vector<int16_t> pcm(config_.features.clip_samples);
    std::vector<float> mfcc(per_clip);
    for (int i = 0; i < count; ++i) {
      MakeSilenceClip(noise_[s], config_.data.silence_max_volume,
                      config_.features.clip_samples, rng, pcm.data());
      extractor->Compute(pcm.data(), pcm.size(), mfcc.data(), mfcc.size());
      out->features.insert(out->features.end(), mfcc.begin(), mfcc.end());
      out->labels.push_back(silence_label_);
    }
  }
}

void TrainingData::BuildEpoch(uint64_t seed, int epoch, LabeledSet* out) const {
  // Item list: (clip index, label); clip -1 = a silence crop.
  std::vector<std::pair<int, int>> items;
  for (int clip : keywords_[0])
    items.emplace_back(clip, index_.clips[clip].label);
  Rng pick(seed, Stream::kSampleExtra, static_cast<uint64_t>(epoch));
  const size_t n = keywords_[0].size();
  if (unknown_label_ >= 0 && !unknown_[0].empty()) {
    const int count = ExtraCount(n, config_.data.unknown_share);
    for (int i = 0; i < count; ++i) {
      items.emplace_back(unknown_[0][pick.Below(unknown_[0].size())],
                         unknown_label_);
    }
  }
  if (silence_label_ >= 0 && !noise_[0].empty()) {
    const int count = ExtraCount(n, config_.data.silence_share);
    for (int i = 0; i < count; ++i) items.emplace_back(-1, silence_label_);
  }
  const int per_clip = features_.per_clip;
  const int samples = config_.features.clip_samples;
  out->features.resize(items.size() * per_clip);
  out->labels.resize(items.size());
  const int threads = std::max(1, options_.threads);
  std::vector<std::unique_ptr<MfccExtractor>> extractors(threads);
  std::vector<std::vector<float>> work(threads,
                                       std::vector<float>(2 * samples));
  std::vector<std::vector<int16_t>> pcm(threads, std::vector<int16_t>(samples));
  ParallelFor(items.size(), threads, [&](size_t i, int w) {
    const auto [clip, label] = items[i];
    out->labels[i] = label;
    float* dst = &out->features[i * per_clip];
    Rng rng(seed, Stream::kAugment, (static_cast<uint64_t>(epoch) << 32) | i);
    const bool recompute = clip < 0 || audio_slot_[clip] >= 0;
    if (recompute && extractors[w] == nullptr) {
      extractors[w] = std::make_unique<MfccExtractor>(
          MfccExtractor::Create(config_.features).value());
    }
    if (clip < 0) {
      MakeSilenceClip(noise_[0], config_.data.silence_max_volume, samples, rng,
                      pcm[w].data());
    } else if (audio_slot_[clip] >= 0) {
      augmenter_->Apply(audio_[audio_slot_[clip]], label == unknown_label_, rng,
                        work[w].data(), pcm[w].data());
    }
    if (recompute) {
      extractors[w]->Compute(pcm[w].data(), samples, dst, per_clip);
    } else {
      std::memcpy(dst, &features_.values[clip * per_clip],
                  per_clip * sizeof(float));
    }
    if (augmenter_->changes_features()) augmenter_->MaskFeatures(rng, dst);
  });
}

void TrainingData::CalibrationSet(size_t count, LabeledSet* out) const {
  LabeledSet all;
  FixedSet(Split::kTraining,
           &all);  // no augmentation, extras as for validation
  std::vector<size_t> order(all.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  Rng rng(0, Stream::kEvalExtra, 100);
  Shuffle(order.begin(), order.end(), rng);
  order.resize(std::min(count, order.size()));
  const int per_clip = features_.per_clip;
  out->features.clear();
  out->labels.clear();
  for (size_t i : order) {
    out->features.insert(out->features.end(), &all.features[i * per_clip],
                         &all.features[(i + 1) * per_clip]);
    out->labels.push_back(all.labels[i]);
  }
}

std::string TrainingData::Describe(Split split) const {
  const LabeledSet* set = split == Split::kValidation ? &validation_
                          : split == Split::kTesting  ? &testing_
                                                      : nullptr;
  std::vector<int> counts(config_.labels.size(), 0);
  if (set != nullptr) {
    for (int64_t label : set->labels) ++counts[label];
  } else {
    for (int clip : keywords_[0]) ++counts[index_.clips[clip].label];
  }
  std::string text;
  for (size_t l = 0; l < counts.size(); ++l) {
    if (set == nullptr && (static_cast<int>(l) == unknown_label_ ||
                           static_cast<int>(l) == silence_label_)) {
      continue;
    }
    text += (text.empty() ? "" : ", ") + config_.labels[l] + ": " +
            std::to_string(counts[l]);
  }
  return text;
}

}  // namespace tinykws::train
