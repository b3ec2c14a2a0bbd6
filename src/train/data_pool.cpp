#include "train/data_pool.hpp"

#include <algorithm>

#include "tinykws/audio.hpp"
#include "train/feature_cache.hpp"

namespace tinykws::train {

namespace {

// Training holds its recordings in memory, whole: a day of audio at most
// per file (spotting streams recordings of any length instead).
constexpr double kMaxTrainingRecordingSeconds = 24 * 3600.0;

// Appends the `split` part of each file (all of it for training when the
// folder is training-only; nothing of the other splits then).
Status AppendRecordings(const std::vector<std::string>& files, int rate,
                        bool training_only, NoiseBank* per_split) {
  for (const std::string& path : files) {
    AudioReadOptions read;
    read.max_seconds = kMaxTrainingRecordingSeconds;
    StatusOr<AudioClip> audio = ReadAudio(path, rate, read);
    if (!audio.ok()) return audio.status();
    if (training_only) {
      per_split[0].push_back(std::move(audio->samples));
      continue;
    }
    for (Split split :
         {Split::kTraining, Split::kValidation, Split::kTesting}) {
      const SampleRange r = NoiseSplitRange(audio->samples.size(), split);
      per_split[static_cast<int>(split)].emplace_back(
          audio->samples.begin() + static_cast<ptrdiff_t>(r.begin),
          audio->samples.begin() + static_cast<ptrdiff_t>(r.end));
    }
  }
  return Status::Ok();
}

}  // namespace

StatusOr<DataPool> LoadDataPool(const KwsConfig& config,
                                const std::string& main_folder,
                                const PoolOptions& options) {
  DataPool pool;
  pool.folders.push_back(main_folder);
  pool.folders.insert(pool.folders.end(), config.data.extra.begin(),
                      config.data.extra.end());
  const int rate = config.features.sample_rate;
  const bool want_noise = std::find(config.labels.begin(), config.labels.end(),
                                    kSilenceLabel) != config.labels.end() ||
                          config.augment.noise_probability > 0.0f;
  const bool want_speech = config.data.long_negative_share > 0.0f;
  for (size_t f = 0; f < pool.folders.size(); ++f) {
    DatasetOptions dataset_options;
    dataset_options.validation_percent = config.data.validation_percent;
    dataset_options.testing_percent = config.data.testing_percent;
    dataset_options.require_every_label = f == 0;
    StatusOr<DatasetIndex> index =
        IndexDataset(pool.folders[f], config.labels, dataset_options);
    if (!index.ok()) return index.status();
    if (f == 0 && index->training_only) {
      return InvalidArgument(
          main_folder +
          ": is a training-only folder (its manifest says so); give a "
          "folder with real validation and testing clips first, and this one "
          "as an extra data folder");
    }
    StatusOr<ClipFeatures> features = LoadOrComputeFeatures(
        *index, config.features,
        {options.cache_dir, options.threads, options.verbose});
    if (!features.ok()) return features.status();
    // Extra folders are training data only: validation and testing (and
    // the choice of the best epoch) stay the main folder's.
    const bool training_only = f > 0 || index->training_only;
    if (training_only) {
      for (ClipInfo& clip : index->clips) clip.split = Split::kTraining;
    }
    pool.per_clip = features->per_clip;
    pool.features_from_cache &= features->from_cache;
    pool.feature_seconds += features->seconds;
    pool.features.insert(pool.features.end(), features->values.begin(),
                         features->values.end());
    pool.error.insert(pool.error.end(), features->error.begin(),
                      features->error.end());
    pool.synthetic.insert(pool.synthetic.end(), index->clips.size(),
                          index->synthetic ? 1 : 0);
    pool.clips.insert(pool.clips.end(), index->clips.begin(),
                      index->clips.end());
    if (want_noise) {
      TINYKWS_RETURN_IF_ERROR(AppendRecordings(
          index->background_noise_files, rate, training_only, pool.noise));
    }
    pool.speech_files += index->speech_files.size();
    if (want_speech) {
      TINYKWS_RETURN_IF_ERROR(AppendRecordings(index->speech_files, rate,
                                               training_only, pool.speech));
    }
  }
  return pool;
}

}  // namespace tinykws::train
