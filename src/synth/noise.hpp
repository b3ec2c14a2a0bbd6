// Background noise for augmentation: procedural white, pink and brown
// noise, or crops of recordings (--noise DIR), mixed at a given SNR.
#pragma once

#include <string>
#include <vector>

#include "common/rng.hpp"
#include "tinykws/status.hpp"

namespace tinykws::synth {

enum class NoiseKind { kWhite, kPink, kBrown, kRecording };
const char* NoiseKindName(NoiseKind kind);

// Noise recordings at 16 kHz, loaded once (before the workers fork, so
// they share the memory).
class NoiseBank {
 public:
  // Every audio file directly in dir (wav, flac, ogg; up to 10 minutes
  // each). Errors: dir unreadable, no audio file, a file that does not
  // decode.
  static StatusOr<NoiseBank> Load(const std::string& dir);
  bool empty() const { return recordings_.empty(); }
  size_t size() const { return recordings_.size(); }
  const std::vector<float>& recording(size_t i) const { return recordings_[i]; }
  void Add(std::vector<float> recording);  // for tests

 private:
  std::vector<std::vector<float>> recordings_;
};

// n samples of noise with RMS 1. kRecording crops a random stretch of a
// random recording of bank (looping a recording shorter than n); an empty
// or absent bank gives white noise instead.
void MakeNoise(NoiseKind kind, const NoiseBank* bank, size_t n, CounterRng& rng,
               std::vector<float>* out);

// The power of the speech in a signal: the mean power of its 10 ms blocks
// that are within 20 dB of the loudest block (0 for silence).
double ActivePower(const std::vector<float>& signal);

// Adds noise (same length) scaled so that ActivePower(signal) / power of
// the added noise = snr_db. A silent signal is left unchanged.
void AddNoiseAtSnr(const std::vector<float>& noise, float snr_db,
                   std::vector<float>* signal);

}  // namespace tinykws::synth
