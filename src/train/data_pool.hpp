// Every clip training can use, from the main data folder and any extra ones
// ([data] extra, `--data` given again): one merged list of clips with their
// MFCCs, labels, splits and origin (synthetic or real), plus the noise and
// long keyword-free recordings of each split.
#pragma once

#include <string>
#include <vector>

#include "dataset/noise.hpp"
#include "tinykws/config.hpp"
#include "tinykws/dataset.hpp"

namespace tinykws::train {

struct PoolOptions {
  std::string cache_dir;  // "" = no feature cache
  int threads = 1;
  bool verbose = false;
};

struct DataPool {
  std::vector<std::string> folders;  // main folder first
  std::vector<ClipInfo> clips;       // every folder's, in folder order
  std::vector<char> synthetic;       // per clip: from a synthetic folder
  std::vector<std::string> error;    // per clip: "" or why it is unreadable
  std::vector<float> features;       // clips x per_clip MFCCs
  int per_clip = 0;
  bool features_from_cache = true;  // every folder's
  double feature_seconds = 0.0;
  NoiseBank noise[3];  // per split: its part of every noise recording
  // Per split: the _speech_ recordings, decoded only when the config draws
  // windows of them ([data] long_negative_share > 0).
  NoiseBank speech[3];
  size_t speech_files = 0;  // _speech_ recordings in the folders
};

// Indexes the main folder (every label must be there; it must not be
// training-only: validation and testing come from it) and each extra
// folder (which may add to some labels only, and gives training clips and
// recordings only), computes or loads the MFCCs of every clip, and decodes
// the noise and speech recordings the config needs.
StatusOr<DataPool> LoadDataPool(const KwsConfig& config,
                                const std::string& main_folder,
                                const PoolOptions& options);

}  // namespace tinykws::train
