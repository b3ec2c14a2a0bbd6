// Helpers for the synth tests: small run options and folder comparison.
#pragma once

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "synth/synth.hpp"

namespace tinykws::synth::testing {

inline std::string DataPath(const std::string& name) {
  return std::string(TINYKWS_SOURCE_DIR) + "/tests/synth/data/" + name;
}

// A small, fast run: few clips, the tiny word list, two processes.
inline SynthOptions SmallRun(const std::string& out) {
  SynthOptions o;
  o.out_dir = out;
  o.keywords = {"go"};
  o.keyword_clips = 4;
  o.words = 3;
  o.clips_per_word = 1;
  o.word_list = DataPath("tiny_words.txt");
  o.jobs = 2;
  o.seed = 5;
  o.progress = false;
  return o;
}

inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// relative path -> bytes, for every file under root.
inline std::map<std::string, std::string> FolderContents(
    const std::string& root) {
  std::map<std::string, std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    files[std::filesystem::relative(e.path(), root).string()] =
        ReadBytes(e.path().string());
  }
  return files;
}

inline std::vector<float> Sine(double hz, double amplitude, size_t n,
                               int rate = 16000) {
  std::vector<float> x(n);
  for (size_t i = 0; i < n; ++i) {
    x[i] = static_cast<float>(amplitude * std::sin(2.0 * M_PI * hz * i / rate));
  }
  return x;
}

inline double Power(const std::vector<float>& x, size_t begin = 0,
                    size_t end = static_cast<size_t>(-1)) {
  end = std::min(end, x.size());
  double sum = 0.0;
  for (size_t i = begin; i < end; ++i) sum += double(x[i]) * x[i];
  return end > begin ? sum / static_cast<double>(end - begin) : 0.0;
}

}  // namespace tinykws::synth::testing
