// TrainingData::Describe: what a split, or an epoch, is made of.
#include "train/training_data.hpp"

namespace tinykws::train {

namespace {

const char* SourceName(UnknownSource s) {
  switch (s) {
    case UnknownSource::kRealWord:
      return "real words";
    case UnknownSource::kSyntheticWord:
      return "synthetic";
    case UnknownSource::kSpeechWindow:
      return "speech windows";
    case UnknownSource::kReversed:
      return "reversed";
    case UnknownSource::kSpliced:
      return "spliced";
    case UnknownSource::kShifted:
      return "shifted";
  }
  return "?";
}

}  // namespace

std::string TrainingData::Describe(Split split) const {
  const LabeledSet* set = split == Split::kValidation ? &validation_
                          : split == Split::kTesting  ? &testing_
                                                      : nullptr;
  std::vector<int> counts(config_.labels.size(), 0);
  if (set != nullptr) {
    for (int64_t label : set->labels) ++counts[label];
  } else {
    for (int clip : keywords_[0]) ++counts[pool_.clips[clip].label];
  }
  const EpochPlan plan = Plan();
  std::string text;
  for (size_t l = 0; l < counts.size(); ++l) {
    const bool special = static_cast<int>(l) == unknown_label_ ||
                         static_cast<int>(l) == silence_label_;
    if (set == nullptr && special) continue;
    text += (text.empty() ? "" : ", ") + config_.labels[l] + ": " +
            std::to_string(counts[l]);
    if (set == nullptr && !synthetic_keywords_[l].empty()) {
      text += " + " + std::to_string(plan.synthetic_keywords[l]) +
              " synthetic of " + std::to_string(synthetic_keywords_[l].size());
    }
  }
  if (set == nullptr && unknown_label_ >= 0) {
    std::string parts;
    for (int s = 0; s < kUnknownSources; ++s) {
      if (plan.unknown[s] == 0) continue;
      parts += (parts.empty() ? "" : ", ") + std::to_string(plan.unknown[s]) +
               " " + SourceName(static_cast<UnknownSource>(s));
    }
    text += "; per epoch " + std::string(kUnknownLabel) + ": " + parts;
  }
  return text;
}

}  // namespace tinykws::train
