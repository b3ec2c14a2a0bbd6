// Shared by the micro runtime tests: model bytes, a micro runtime in an
// arena of exactly the size it asks for (malloc'd, so ASan catches any
// write past it), test audio, and the C++ reference results.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "format/model_file.hpp"
#include "gtest/gtest.h"
#include "tinykws/micro.h"

namespace tinykws::micro_test {

inline std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::string TrainedModel(const std::string& name) {
  return ReadFileBytes(std::string(TINYKWS_SOURCE_DIR) +
                       "/tests/runtime/data/" + name);
}

// The Speech Commands folder for the real-data tests: $TINYKWS_DATA, else
// the default next to the repository (the tests skip when it is absent).
inline std::string DataDir() {
  if (const char* env = std::getenv("TINYKWS_DATA")) return env;
  return std::string(TINYKWS_SOURCE_DIR) + "/../shared/data/speech_commands";
}

inline const uint8_t* Bytes(const std::string& s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

// The model's tables blob (kws_micro_write_tables) in a malloc'd buffer of
// exactly its size (malloc's alignment is at least 8); empty on failure.
struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};
using Buffer = std::unique_ptr<void, FreeDeleter>;

inline Buffer WriteTables(const std::string& model, size_t* size,
                          std::string* error = nullptr) {
  char message[256] = "";
  *size = 0;
  size_t bytes = 0;
  if (kws_micro_tables_size(Bytes(model), model.size(), &bytes, message,
                            sizeof message) != KWS_MICRO_OK) {
    if (error != nullptr) *error = message;
    return nullptr;
  }
  Buffer tables(std::malloc(bytes));
  if (kws_micro_write_tables(Bytes(model), model.size(), tables.get(), bytes,
                             message, sizeof message) != KWS_MICRO_OK) {
    if (error != nullptr) *error = message;
    return nullptr;
  }
  *size = bytes;
  return tables;
}

// A kws_micro in a malloc'd arena of exactly kws_micro_arena_size bytes;
// with_tables: with the model's tables blob (in its own malloc'd buffer of
// exactly its size), the arena of kws_micro_arena_size_with_tables.
class MicroInstance {
 public:
  explicit MicroInstance(const std::string& model, bool with_tables = false)
      : model_(model) {
    char error[256];
    size_t bytes = 0;
    if (with_tables) {
      tables_ = WriteTables(model_, &tables_bytes_, &error_);
      if (tables_ == nullptr) return;
    }
    status_ = kws_micro_arena_size_with_tables(Bytes(model_), model_.size(),
                                               tables_.get(), tables_bytes_,
                                               &bytes, error, sizeof error);
    if (status_ != KWS_MICRO_OK) {
      error_ = error;
      return;
    }
    arena_bytes_ = bytes;
    arena_.reset(std::malloc(bytes));
    status_ = kws_micro_init_with_tables(
        Bytes(model_), model_.size(), tables_.get(), tables_bytes_,
        arena_.get(), bytes, &kws_, error, sizeof error);
    if (status_ != KWS_MICRO_OK) error_ = error;
  }
  bool ok() const { return status_ == KWS_MICRO_OK; }
  const std::string& error() const { return error_; }
  kws_micro* get() const { return kws_; }
  size_t arena_bytes() const { return arena_bytes_; }
  size_t tables_bytes() const { return tables_bytes_; }

 private:
  std::string model_;  // the runtime reads it in place: keep it alive
  Buffer tables_;
  size_t tables_bytes_ = 0;
  Buffer arena_;
  kws_micro* kws_ = nullptr;
  kws_micro_status status_ = KWS_MICRO_INVALID_ARGUMENT;
  size_t arena_bytes_ = 0;
  std::string error_;
};

inline uint32_t FloatBits(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return bits;
}

// Synthetic audio of every kind the tests use.
inline std::vector<int16_t> Tone(size_t n, double hz, double amplitude,
                                 int rate = 16000) {
  std::vector<int16_t> pcm(n);
  for (size_t i = 0; i < n; ++i) {
    const double v = amplitude * 32767.0 * std::sin(2.0 * M_PI * hz * i / rate);
    pcm[i] = static_cast<int16_t>(
        std::lround(std::max(-32768.0, std::min(32767.0, v))));
  }
  return pcm;
}

inline std::vector<int16_t> Noise(size_t n, double amplitude, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, amplitude * 32767.0);
  std::vector<int16_t> pcm(n);
  for (int16_t& v : pcm) {
    v = static_cast<int16_t>(
        std::lround(std::max(-32768.0, std::min(32767.0, normal(rng)))));
  }
  return pcm;
}

// Named clips: silence, tones, noise, clipping, and lengths shorter and
// longer than a clip.
inline std::vector<std::pair<std::string, std::vector<int16_t>>> TestClips(
    size_t clip) {
  std::vector<std::pair<std::string, std::vector<int16_t>>> clips;
  clips.push_back({"silence", std::vector<int16_t>(clip, 0)});
  for (double hz : {100.0, 300.0, 1000.0, 2500.0, 4000.0, 7900.0}) {
    clips.push_back({"tone " + std::to_string(hz), Tone(clip, hz, 0.3)});
  }
  clips.push_back({"quiet tone", Tone(clip, 440.0, 0.001)});
  clips.push_back({"clipped tone", Tone(clip, 700.0, 4.0)});
  clips.push_back({"full scale", std::vector<int16_t>(clip, -32768)});
  for (uint32_t seed = 1; seed <= 4; ++seed) {
    clips.push_back({"noise " + std::to_string(seed),
                     Noise(clip, 0.02 * seed * seed, seed)});
  }
  clips.push_back({"one sample", std::vector<int16_t>(1, 1234)});
  clips.push_back({"short", Noise(clip / 3 + 7, 0.1, 9)});
  clips.push_back({"long", Noise(clip + clip / 4, 0.1, 10)});
  return clips;
}

}  // namespace tinykws::micro_test
