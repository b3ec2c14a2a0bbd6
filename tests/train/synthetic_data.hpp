// A tiny Speech Commands-style folder made by the tests: two "words" that
// are tones of different pitch in noise, several speakers each, split lists,
// and a background-noise file.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "tinykws/audio.hpp"

namespace tinykws::testing {

struct SyntheticDataOptions {
  int speakers = 16;  // per word; speakers 0-1 validation, 2-3 testing
  int clips_per_speaker = 3;
  int samples = 16000;
  bool with_noise_folder = true;
  bool with_lists = true;
};

// Writes the folder and returns its path (inside a fresh temp folder).
inline std::string MakeSyntheticData(const std::string& name,
                                     const SyntheticDataOptions& o = {}) {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() /
                        ("tinykws_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root);
  std::mt19937 rng(42);
  std::normal_distribution<float> noise(0.0f, 600.0f);
  std::ofstream validation(root / "validation_list.txt");
  std::ofstream testing(root / "testing_list.txt");
  const char* words[] = {"low", "high"};
  const float pitch[] = {400.0f, 1800.0f};
  for (int w = 0; w < 2; ++w) {
    fs::create_directories(root / words[w]);
    for (int s = 0; s < o.speakers; ++s) {
      for (int c = 0; c < o.clips_per_speaker; ++c) {
        const std::string file =
            "spk" + std::to_string(s) + "_nohash_" + std::to_string(c) + ".wav";
        std::vector<int16_t> pcm(o.samples);
        const float f = pitch[w] * (1.0f + 0.05f * (s % 5 - 2));
        const int start = 2000 + 500 * c, length = 7000;
        for (int i = 0; i < o.samples; ++i) {
          float v = noise(rng);
          if (i >= start && i < start + length) {
            v += 6000.0f *
                 std::sin(2.0f * static_cast<float>(M_PI) * f * i / 16000.0f);
          }
          pcm[i] = static_cast<int16_t>(
              std::lround(std::clamp(v, -32768.0f, 32767.0f)));
        }
        WriteWav((root / words[w] / file).string(), pcm.data(), pcm.size(),
                 16000);
        const std::string relative = std::string(words[w]) + "/" + file;
        if (o.with_lists && s < 2) validation << relative << "\n";
        if (o.with_lists && s >= 2 && s < 4) testing << relative << "\n";
      }
    }
  }
  validation.close();
  testing.close();
  if (!o.with_lists) {
    fs::remove(root / "validation_list.txt");
    fs::remove(root / "testing_list.txt");
  }
  if (o.with_noise_folder) {
    fs::create_directories(root / "_background_noise_");
    std::vector<int16_t> pcm(3 * 16000);
    for (int16_t& v : pcm) v = static_cast<int16_t>(std::lround(noise(rng)));
    WriteWav((root / "_background_noise_" / "noise.wav").string(), pcm.data(),
             pcm.size(), 16000);
  }
  return root.string();
}

// A config for the synthetic words: the seed features, a small network.
inline std::string SyntheticConfig(const std::string& extra = "") {
  return R"(name = "synthetic"
labels = ["low", "high"]
[features]
sample_rate = 16000
clip_samples = 16000
frame_length = 800
frame_step = 448
mel_bins = 20
fmin_hz = 20.0
fmax_hz = 5000.0
num_mfcc = 10
log_offset = 1e-6
[model]
blocks = [
  { type = "conv", filters = 8, kernel = 3 },
  { type = "batch_norm" },
  { type = "relu" },
  { type = "dropout", rate = 0.1 },
  { type = "conv", filters = 8, kernel = 3 },
  { type = "batch_norm" },
  { type = "relu" },
]
[training]
batch_size = 10
epochs = 6
optimizer = "adam"
learning_rate = 0.01
final_learning_rate = 0.001
)" + extra;
}

}  // namespace tinykws::testing
