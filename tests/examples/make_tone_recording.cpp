// Writes the recording the examples test runs every spotter on: 12 s of
// silence with the tone model's keywords (tests/common/tone_model.hpp) at
// 1 s ("low"), 4 s ("high") and 8 s ("low"), as a 16-bit mono WAV (written
// by libsndfile, independently of the examples' own reader) and as raw
// S16_LE PCM for the stdin pipe; and the same tones at 48 kHz, raw, for a
// microphone at another rate than the model's.
//   make_tone_recording OUT.wav OUT.raw OUT_48K.raw
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <vector>

#include "../common/tone_model.hpp"
#include "tinykws/audio.hpp"

namespace {

std::vector<int16_t> Tones(int rate) {
  return tinykws::testing::ToneStream(
      {{1.0, 0.5, false}, {4.0, 0.6, true}, {8.0, 0.5, false}}, 12.0, rate);
}

// Raw PCM is little-endian whatever the host: write the bytes explicitly.
bool WriteRaw(const char* path, const std::vector<int16_t>& pcm) {
  std::vector<char> bytes(2 * pcm.size());
  for (size_t i = 0; i < pcm.size(); ++i) {
    const auto value = static_cast<uint16_t>(pcm[i]);
    bytes[2 * i] = static_cast<char>(value & 0xff);
    bytes[2 * i + 1] = static_cast<char>(value >> 8);
  }
  std::ofstream raw(path, std::ios::binary);
  raw.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!raw.flush()) {
    std::fprintf(stderr, "error: %s: write failed\n", path);
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s OUT.wav OUT.raw OUT_48K.raw\n", argv[0]);
    return 2;
  }
  const std::vector<int16_t> pcm = Tones(16000);
  const tinykws::Status s =
      tinykws::WriteWav(argv[1], pcm.data(), pcm.size(), 16000);
  if (!s.ok()) {
    std::fprintf(stderr, "error: %s\n", s.message().c_str());
    return 1;
  }
  return WriteRaw(argv[2], pcm) && WriteRaw(argv[3], Tones(48000)) ? 0 : 1;
}
