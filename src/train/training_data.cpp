#include "train/training_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "common/parallel.hpp"
#include "dataset/noise.hpp"
#include "dataset/speech_extent.hpp"
#include "train/feature_cache.hpp"
#include "train/negatives.hpp"

namespace tinykws::train {

namespace {

int LabelIndex(const std::vector<std::string>& labels, const char* name) {
  const auto it = std::find(labels.begin(), labels.end(), name);
  return it == labels.end() ? -1 : static_cast<int>(it - labels.begin());
}

// Made negatives' ranges (docs/config.md): how much of a word's onset is
// kept, where the other word is cut, how far pitch and tempo move.
constexpr float kOnsetMinMs = 40.0f, kOnsetMaxMs = 160.0f;
constexpr float kCutMinMs = 60.0f, kCutMaxMs = 200.0f;
constexpr float kShiftMin = 0.75f, kShiftMax = 1.33f;

// An epoch item: a clip as it is (augmented), a silence crop, or a made
// _unknown_ negative.
enum class ItemKind { kClip, kSilence, kMade };
struct Item {
  ItemKind kind = ItemKind::kClip;
  int clip = -1;  // pool clip (kClip; kMade: its source clip, if any)
  int label = -1;
  UnknownSource source = UnknownSource::kRealWord;
};

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
  StatusOr<DataPool> pool =
      LoadDataPool(config_, options_.data_dir,
                   {options_.cache_dir, options_.threads, options_.verbose});
  if (!pool.ok()) return pool.status();
  pool_ = std::move(*pool);
  unknown_label_ = LabelIndex(config_.labels, kUnknownLabel);
  silence_label_ = LabelIndex(config_.labels, kSilenceLabel);
  synthetic_keywords_.assign(config_.labels.size(), {});
  for (size_t i = 0; i < pool_.clips.size(); ++i) {
    const ClipInfo& clip = pool_.clips[i];
    if (!pool_.error[i].empty()) {
      ++bad_clips_;
      if (!options_.skip_bad_clips) {
        return FormatError(pool_.error[i] +
                           " (use --skip-bad-clips to warn and continue)");
      }
      std::fprintf(stderr, "warning: skipping %s: %s\n", clip.path.c_str(),
                   pool_.error[i].c_str());
      continue;
    }
    const bool unknown = clip.label == unknown_label_;
    const int c = static_cast<int>(i);
    if (pool_.synthetic[i]) {
      // Synthetic clips are training data only, whatever their folder says.
      if (clip.split != Split::kTraining) continue;
      (unknown ? synthetic_unknown_ : synthetic_keywords_[clip.label])
          .push_back(c);
      continue;
    }
    (unknown ? unknown_ : keywords_)[static_cast<int>(clip.split)].push_back(c);
    if (clip.split == Split::kTraining) real_training_.push_back(c);
  }
  for (size_t label = 0; label < config_.labels.size(); ++label) {
    if (static_cast<int>(label) == unknown_label_ ||
        static_cast<int>(label) == silence_label_) {
      continue;
    }
    const auto& train = keywords_[0];
    const bool any = std::any_of(train.begin(), train.end(), [&](int c) {
      return pool_.clips[c].label == static_cast<int>(label);
    });
    if (!any && synthetic_keywords_[label].empty()) {
      return InvalidArgument(options_.data_dir + ": label '" +
                             config_.labels[label] +
                             "' has no readable training clips");
    }
  }

  // Synthetic clips no epoch draws (a keyword with no real clips, or
  // _unknown_ with no real words, draws them whatever the share).
  const EpochPlan plan = Plan();
  size_t synthetic = 0;
  if (plan.unknown[static_cast<int>(UnknownSource::kSyntheticWord)] == 0) {
    synthetic += synthetic_unknown_.size();
  }
  for (size_t label = 0; label < synthetic_keywords_.size(); ++label) {
    if (plan.synthetic_keywords[label] == 0) {
      synthetic += synthetic_keywords_[label].size();
    }
  }
  if (synthetic > 0 && config_.data.synthetic_share <= 0.0f) {
    std::fprintf(stderr,
                 "warning: %zu synthetic clips are not used: [data] "
                 "synthetic_share is 0 (docs/config.md)\n",
                 synthetic);
  }
  if (pool_.speech_files > 0 && config_.data.long_negative_share <= 0.0f) {
    std::fprintf(stderr,
                 "warning: %zu _speech_ recordings are not used: [data] "
                 "long_negative_share is 0 (docs/config.md)\n",
                 pool_.speech_files);
  }
  augmenter_ = std::make_unique<Augmenter>(config_.augment, config_.features,
                                           &pool_.noise[0]);
  const DataSpec& d = config_.data;
  const bool made =
      d.reversed_share > 0 || d.spliced_share > 0 || d.shifted_share > 0;
  audio_slot_.assign(pool_.clips.size(), -1);
  if (augmenter_->changes_audio() || made) {
    std::vector<int> clips = real_training_;
    for (const auto& list : synthetic_keywords_) {
      clips.insert(clips.end(), list.begin(), list.end());
    }
    clips.insert(clips.end(), synthetic_unknown_.begin(),
                 synthetic_unknown_.end());
    DatasetIndex index;  // DecodeClips reads paths from an index
    index.clips = pool_.clips;
    std::vector<std::string> errors;
    audio_ = DecodeClips(index, clips, config_.features.sample_rate,
                         options_.threads, &errors);
    speech_begin_.resize(clips.size());
    speech_end_.resize(clips.size());
    for (size_t i = 0; i < clips.size(); ++i) {
      if (!errors[i].empty()) return IoError(errors[i]);
      audio_slot_[clips[i]] = static_cast<int>(i);
      SpeechExtent(audio_[i], config_.features.sample_rate, &speech_begin_[i],
                   &speech_end_[i]);
    }
  }
  FixedSet(Split::kValidation, &validation_);
  FixedSet(Split::kTesting, &testing_);
  return Status::Ok();
}

TrainingData::EpochPlan TrainingData::Plan() const {
  EpochPlan p;
  const DataSpec& d = config_.data;
  p.synthetic_keywords.assign(config_.labels.size(), 0);
  size_t keywords = keywords_[0].size();
  for (size_t label = 0; label < config_.labels.size(); ++label) {
    const size_t pool = synthetic_keywords_[label].size();
    if (pool == 0) continue;
    const size_t real = static_cast<size_t>(
        std::count_if(keywords_[0].begin(), keywords_[0].end(), [&](int c) {
          return pool_.clips[c].label == static_cast<int>(label);
        }));
    // A keyword without real clips learns from synthetic ones alone.
    const int draws =
        real == 0 ? static_cast<int>(pool)
                  : static_cast<int>(std::lround(real * d.synthetic_share /
                                                 (1.0 - d.synthetic_share)));
    p.synthetic_keywords[label] = draws;
    keywords += static_cast<size_t>(draws);
  }
  const bool real_words = !unknown_[0].empty();
  if (unknown_label_ >= 0 && (real_words || !synthetic_unknown_.empty())) {
    const int total = ExtraCount(keywords, d.unknown_share);
    const float shares[kUnknownSources] = {
        0.0f,
        synthetic_unknown_.empty() ? 0.0f : d.synthetic_share,
        pool_.speech[0].empty() ? 0.0f : d.long_negative_share,
        real_training_.empty() ? 0.0f : d.reversed_share,
        real_words ? d.spliced_share : 0.0f,
        real_words ? d.shifted_share : 0.0f};
    int made = 0;
    for (int s = 1; s < kUnknownSources; ++s) {
      p.unknown[s] = static_cast<int>(std::lround(total * shares[s]));
      made += p.unknown[s];
    }
    const int rest = std::max(0, total - made);
    if (real_words) {
      p.unknown[0] = rest;
    } else {
      p.unknown[static_cast<int>(UnknownSource::kSyntheticWord)] += rest;
    }
  }
  if (silence_label_ >= 0 && !pool_.noise[0].empty()) {
    p.silence = ExtraCount(keywords, d.silence_share);
  }
  p.total = keywords + static_cast<size_t>(p.silence);
  for (int n : p.unknown) p.total += static_cast<size_t>(n);
  return p;
}

size_t TrainingData::training_size() const { return Plan().total; }

// Keywords, then a sample of unknown clips and silence crops; the extras are
// drawn from a fixed stream so every run validates on the same set.
void TrainingData::FixedSet(Split split, LabeledSet* out) const {
  const int s = static_cast<int>(split);
  const int per_clip = pool_.per_clip;
  const std::vector<float>& values = pool_.features;
  out->features.clear();
  out->labels.clear();
  for (int clip : keywords_[s]) {
    out->features.insert(out->features.end(),
                         &values[static_cast<size_t>(clip) * per_clip],
                         &values[(static_cast<size_t>(clip) + 1) * per_clip]);
    out->labels.push_back(pool_.clips[clip].label);
  }
  Rng rng(0, Stream::kEvalExtra, static_cast<uint64_t>(s));
  if (unknown_label_ >= 0 && !unknown_[s].empty()) {
    const int count =
        ExtraCount(keywords_[s].size(), config_.data.unknown_share);
    for (int i = 0; i < count; ++i) {
      const int clip = unknown_[s][rng.Below(unknown_[s].size())];
      out->features.insert(out->features.end(),
                           &values[static_cast<size_t>(clip) * per_clip],
                           &values[(static_cast<size_t>(clip) + 1) * per_clip]);
      out->labels.push_back(unknown_label_);
    }
  }
  if (silence_label_ >= 0 && !pool_.noise[s].empty()) {
    const int count =
        ExtraCount(keywords_[s].size(), config_.data.silence_share);
    StatusOr<MfccExtractor> extractor = MfccExtractor::Create(config_.features);
    std::vector<int16_t> pcm(config_.features.clip_samples);
    std::vector<float> mfcc(per_clip);
    for (int i = 0; i < count; ++i) {
      MakeSilenceClip(pool_.noise[s], config_.data.silence_max_volume,
                      config_.features.clip_samples, rng, pcm.data());
      extractor->Compute(pcm.data(), pcm.size(), mfcc.data(), mfcc.size());
      out->features.insert(out->features.end(), mfcc.begin(), mfcc.end());
      out->labels.push_back(silence_label_);
    }
  }
}

void TrainingData::MakeUnknown(UnknownSource source, int clip, CounterRng& rng,
                               std::vector<int16_t>* out) const {
  const int rate = config_.features.sample_rate;
  auto word = [&](int c) {
    const int slot = audio_slot_[c];
    return WordAudio{&audio_[slot], speech_begin_[slot], speech_end_[slot]};
  };
  auto ms = [&](float lo, float hi) {
    return static_cast<size_t>(std::lround(rng.Uniform(lo, hi) * rate / 1e3));
  };
  switch (source) {
    case UnknownSource::kSpeechWindow:
      RecordingWindow(pool_.speech[0],
                      static_cast<size_t>(config_.features.clip_samples), rng,
                      out);
      return;
    case UnknownSource::kReversed:
      Reversed(audio_[audio_slot_[clip]], out);
      return;
    case UnknownSource::kSpliced: {
      const int tail = real_training_[rng.Below(real_training_.size())];
      const size_t onset = ms(kOnsetMinMs, kOnsetMaxMs);
      Spliced(word(clip), word(tail), onset, ms(kCutMinMs, kCutMaxMs), rate,
              out);
      return;
    }
    case UnknownSource::kShifted:
      SpeedChanged(audio_[audio_slot_[clip]], rng.Uniform(kShiftMin, kShiftMax),
                   out);
      return;
    case UnknownSource::kRealWord:
    case UnknownSource::kSyntheticWord:
      *out = audio_[audio_slot_[clip]];
      return;
  }
}

void TrainingData::BuildEpoch(uint64_t seed, int epoch, LabeledSet* out) const {
  const EpochPlan plan = Plan();
  std::vector<Item> items;
  items.reserve(plan.total);
  for (int clip : keywords_[0]) {
    items.push_back({ItemKind::kClip, clip, pool_.clips[clip].label});
  }
  Rng pick(seed, Stream::kSampleExtra, static_cast<uint64_t>(epoch));
  for (size_t label = 0; label < synthetic_keywords_.size(); ++label) {
    const std::vector<int>& pool = synthetic_keywords_[label];
    const bool each_once =
        plan.synthetic_keywords[label] == static_cast<int>(pool.size());
    for (int i = 0; i < plan.synthetic_keywords[label]; ++i) {
      const int clip = each_once ? pool[i] : pool[pick.Below(pool.size())];
      items.push_back({ItemKind::kClip, clip, static_cast<int>(label)});
    }
  }
  for (int s = 0; s < kUnknownSources; ++s) {
    const auto source = static_cast<UnknownSource>(s);
    const std::vector<int>* from =
        source == UnknownSource::kSyntheticWord  ? &synthetic_unknown_
        : source == UnknownSource::kReversed     ? &real_training_
        : source == UnknownSource::kSpeechWindow ? nullptr
                                                 : &unknown_[0];
    for (int i = 0; i < plan.unknown[s]; ++i) {
      const int clip = from != nullptr ? (*from)[pick.Below(from->size())] : -1;
      const bool as_is = source == UnknownSource::kRealWord ||
                         source == UnknownSource::kSyntheticWord;
      items.push_back({as_is ? ItemKind::kClip : ItemKind::kMade, clip,
                       unknown_label_, source});
    }
  }
  for (int i = 0; i < plan.silence; ++i) {
    items.push_back({ItemKind::kSilence, -1, silence_label_});
  }
  const int per_clip = pool_.per_clip;
  const int samples = config_.features.clip_samples;
  out->features.resize(items.size() * per_clip);
  out->labels.resize(items.size());
  const int threads = std::max(1, options_.threads);
  std::vector<std::unique_ptr<MfccExtractor>> extractors(threads);
  std::vector<std::vector<float>> work(threads,
                                       std::vector<float>(2 * samples));
  std::vector<std::vector<int16_t>> pcm(threads, std::vector<int16_t>(samples));
  std::vector<std::vector<int16_t>> made(threads);
  ParallelFor(items.size(), threads, [&](size_t i, int w) {
    const Item& item = items[i];
    out->labels[i] = item.label;
    float* dst = &out->features[i * static_cast<size_t>(per_clip)];
    Rng rng(seed, Stream::kAugment, (static_cast<uint64_t>(epoch) << 32) | i);
    const bool recompute =
        item.kind != ItemKind::kClip || audio_slot_[item.clip] >= 0;
    if (recompute && extractors[w] == nullptr) {
      extractors[w] = std::make_unique<MfccExtractor>(
          MfccExtractor::Create(config_.features).value());
    }
    const bool unknown = item.label == unknown_label_;
    if (item.kind == ItemKind::kSilence) {
      MakeSilenceClip(pool_.noise[0], config_.data.silence_max_volume, samples,
                      rng, pcm[w].data());
    } else if (item.kind == ItemKind::kMade) {
      MakeUnknown(item.source, item.clip, rng, &made[w]);
      augmenter_->Apply(made[w], unknown, rng, work[w].data(), pcm[w].data());
    } else if (audio_slot_[item.clip] >= 0) {
      augmenter_->Apply(audio_[audio_slot_[item.clip]], unknown, rng,
                        work[w].data(), pcm[w].data());
    }
    if (recompute) {
      extractors[w]->Compute(pcm[w].data(), samples, dst, per_clip);
    } else {
      std::memcpy(dst,
                  &pool_.features[static_cast<size_t>(item.clip) * per_clip],
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
  const int per_clip = pool_.per_clip;
  out->features.clear();
  out->labels.clear();
  for (size_t i : order) {
    out->features.insert(out->features.end(), &all.features[i * per_clip],
                         &all.features[(i + 1) * per_clip]);
    out->labels.push_back(all.labels[i]);
  }
}

}  // namespace tinykws::train
