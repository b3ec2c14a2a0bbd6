#include "train/feature_cache.hpp"

#include <sys/stat.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <sstream>

#include "common/atomic_file.hpp"
#include "common/parallel.hpp"
#include "tinykws/audio.hpp"

namespace tinykws::train {

namespace {

constexpr char kMagic[8] = {'T', 'K', 'W', 'S', 'F', 'C', '0', '1'};

// Layout: magic, key (64 hex chars), clip count (u64), per_clip (u64), then
// per clip one status byte (1 = ok) and per_clip float32 values.
std::string Serialize(const std::string& key, const ClipFeatures& f) {
  std::string out(kMagic, sizeof(kMagic));
  out += key;
  const uint64_t counts[2] = {f.error.size(),
                              static_cast<uint64_t>(f.per_clip)};
  out.append(reinterpret_cast<const char*>(counts), sizeof(counts));
  for (size_t i = 0; i < f.error.size(); ++i) {
    out += f.error[i].empty() ? '\1' : '\0';
    out.append(reinterpret_cast<const char*>(&f.values[i * f.per_clip]),
               f.per_clip * sizeof(float));
  }
  return out;
}

bool Deserialize(const std::string& bytes, const std::string& key, size_t clips,
                 int per_clip, ClipFeatures* f) {
  const size_t header = sizeof(kMagic) + key.size() + 2 * sizeof(uint64_t);
  const size_t record = 1 + per_clip * sizeof(float);
  if (bytes.size() != header + clips * record) return false;
  if (std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) return false;
  if (bytes.compare(sizeof(kMagic), key.size(), key) != 0) return false;
  uint64_t counts[2];
  std::memcpy(counts, bytes.data() + sizeof(kMagic) + key.size(),
              sizeof(counts));
  if (counts[0] != clips || counts[1] != static_cast<uint64_t>(per_clip))
    return false;
  f->per_clip = per_clip;
  f->values.resize(clips * per_clip);
  f->error.assign(clips, "");
  for (size_t i = 0; i < clips; ++i) {
    const char* p = bytes.data() + header + i * record;
    if (*p != 1) f->error[i] = "could not be read (cached result)";
    std::memcpy(&f->values[i * per_clip], p + 1, per_clip * sizeof(float));
  }
  return true;
}

}  // namespace

std::string MfccFingerprint(const FeatureConfig& config) {
  StatusOr<MfccExtractor> extractor = MfccExtractor::Create(config);
  if (!extractor.ok()) return "invalid config";
  std::vector<int16_t> probe(static_cast<size_t>(config.clip_samples));
  uint32_t noise = 12345;
  for (size_t i = 0; i < probe.size(); ++i) {
    noise = noise * 1664525u + 1013904223u;  // LCG: same on every machine
    const double t = static_cast<double>(i) / config.sample_rate;
    const double chirp =
        8000.0 * std::sin(2.0 * M_PI * (100.0 + 2000.0 * t) * t);
    probe[i] = static_cast<int16_t>(std::lround(
        chirp + static_cast<double>(static_cast<int32_t>(noise >> 20) - 2048)));
  }
  std::vector<float> mfcc(static_cast<size_t>(config.num_features()));
  extractor->Compute(probe.data(), probe.size(), mfcc.data(), mfcc.size());
  return Sha256Hex(std::string(reinterpret_cast<const char*>(mfcc.data()),
                               mfcc.size() * sizeof(float)));
}

std::string CacheKey(const DatasetIndex& index, const FeatureConfig& c,
                     const std::string& mfcc_fingerprint) {
  std::ostringstream key;
  key << "features v2|" << mfcc_fingerprint << '|' << c.sample_rate << '|'
      << c.clip_samples << '|' << c.frame_length << '|' << c.frame_step << '|'
      << c.mel_bins << '|' << c.fmin_hz << '|' << c.fmax_hz << '|' << c.num_mfcc
      << '|' << c.log_offset << '|' << FeaturePrecisionName(c.precision) << '|';
  std::error_code ec;
  key << std::filesystem::weakly_canonical(index.data_dir, ec).string() << '\n';
  for (const ClipInfo& clip : index.clips) {
    struct stat st {};
    stat(clip.path.c_str(), &st);
    key << clip.relative << '|' << st.st_size << '|' << st.st_mtim.tv_sec << '.'
        << st.st_mtim.tv_nsec << '\n';
  }
  return Sha256Hex(key.str());
}

std::string DefaultCacheDir() {
  if (const char* dir = std::getenv("TINYKWS_CACHE_DIR"); dir && *dir)
    return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    return std::string(xdg) + "/tinykws";
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::string(home) + "/.cache/tinykws";
  }
  return "/tmp/tinykws-cache";
}

std::vector<std::vector<int16_t>> DecodeClips(
    const DatasetIndex& index, const std::vector<int>& clips, int sample_rate,
    int threads, std::vector<std::string>* errors) {
  std::vector<std::vector<int16_t>> audio(clips.size());
  errors->assign(clips.size(), "");
  ParallelFor(clips.size(), threads, [&](size_t i, int) {
    StatusOr<AudioClip> clip =
        ReadAudio(index.clips[clips[i]].path, sample_rate);
    if (clip.ok()) {
      audio[i] = std::move(clip->samples);
    } else {
      (*errors)[i] = clip.status().message();
    }
  });
  return audio;
}

StatusOr<ClipFeatures> LoadOrComputeFeatures(
    const DatasetIndex& index, const FeatureConfig& config,
    const FeatureCacheOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start)
        .count();
  };
  TINYKWS_RETURN_IF_ERROR(ValidateFeatureConfig(config));
  const std::string key = CacheKey(index, config, MfccFingerprint(config));
  const std::string path =
      options.cache_dir.empty()
          ? ""
          : options.cache_dir + "/features-" + key.substr(0, 24) + ".bin";
  ClipFeatures features;
  const int per_clip = config.num_features();
  if (!path.empty()) {
    StatusOr<std::string> bytes = ReadWholeFile(path, size_t{1} << 34);
    if (bytes.ok() &&
        Deserialize(*bytes, key, index.clips.size(), per_clip, &features)) {
      features.from_cache = true;
      features.seconds = elapsed();
      return features;
    }
  }
  features.per_clip = per_clip;
  features.values.assign(index.clips.size() * per_clip, 0.0f);
  features.error.assign(index.clips.size(), "");
  const int threads = std::max(1, options.threads);
  std::vector<std::unique_ptr<MfccExtractor>> extractors;
  for (int t = 0; t < threads; ++t) {
    StatusOr<MfccExtractor> e = MfccExtractor::Create(config);
    if (!e.ok()) return e.status();
    extractors.push_back(std::make_unique<MfccExtractor>(std::move(*e)));
  }
  ParallelFor(index.clips.size(), threads, [&](size_t i, int worker) {
    StatusOr<AudioClip> clip =
        ReadAudio(index.clips[i].path, config.sample_rate);
    if (!clip.ok()) {
      features.error[i] = clip.status().message();
      return;
    }
    const Status s =
        extractors[worker]->Compute(clip->samples.data(), clip->samples.size(),
                                    &features.values[i * per_clip], per_clip);
    if (!s.ok()) features.error[i] = s.message();
  });
  if (!path.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(options.cache_dir, ec);
    const Status written = WriteFileAtomically(path, Serialize(key, features));
    if (!written.ok() && options.verbose) {
      std::fprintf(stderr, "note: feature cache not written: %s\n",
                   written.message().c_str());
    }
  }
  features.seconds = elapsed();
  return features;
}

}  // namespace tinykws::train
