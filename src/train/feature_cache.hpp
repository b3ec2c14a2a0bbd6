// MFCCs of every clip of a data set, computed once with the runtime's
// features library and cached on disk per (data set, feature config).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tinykws/dataset.hpp"
#include "tinykws/features.hpp"

namespace tinykws::train {

struct ClipFeatures {
  int per_clip = 0;                // num_frames * num_mfcc
  std::vector<float> values;       // index.clips.size() * per_clip
  std::vector<std::string> error;  // per clip: "" or why it could not be read
  bool from_cache = false;
  double seconds = 0.0;  // time to load or compute
};

struct FeatureCacheOptions {
  std::string cache_dir;  // "" = no cache
  int threads = 1;
  bool verbose = false;
};

// Default cache folder: $TINYKWS_CACHE_DIR, else $XDG_CACHE_HOME/tinykws,
// else $HOME/.cache/tinykws.
std::string DefaultCacheDir();

// Loads the cache entry for (index, config) when it exists and matches,
// otherwise decodes every clip (in parallel), computes its MFCCs and writes
// the entry atomically. The key covers the feature config, the MFCC code
// (MfccFingerprint), the data folder and every clip's path, size and
// modification time.
StatusOr<ClipFeatures> LoadOrComputeFeatures(
    const DatasetIndex& index, const FeatureConfig& config,
    const FeatureCacheOptions& options);

// SHA-256 of the MFCCs this build computes for a fixed probe clip (a chirp
// in noise) under config: when the MFCC code changes its numbers, this
// changes, and so do the cache keys, so no build trains on another build's
// features.
std::string MfccFingerprint(const FeatureConfig& config);

// The cache key (hex SHA-256); exposed for tests.
std::string CacheKey(const DatasetIndex& index, const FeatureConfig& config,
                     const std::string& mfcc_fingerprint);

// Decodes the given clips (indices into index.clips) as mono int16 at the
// config's rate, in parallel. Failed clips come back empty with a message.
std::vector<std::vector<int16_t>> DecodeClips(const DatasetIndex& index,
                                              const std::vector<int>& clips,
                                              int sample_rate, int threads,
                                              std::vector<std::string>* errors);

}  // namespace tinykws::train
