// Shared fixture and file builders for the audio tests. Every file a test
// reads is created inside the fixture's own temp folder.
#pragma once

#include <sndfile.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../common/temp_dir_test.hpp"
#include "gtest/gtest.h"
#include "tinykws/audio.hpp"

namespace tinykws {
namespace audio_test {

class AudioTest : public testing::TempDirTest {
 protected:
  // Names of everything in the temp folder (to spot leftover temp files).
  std::vector<std::string> Entries() const {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      names.push_back(e.path().filename().string());
    }
    return names;
  }
};

inline void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << path;
}

inline std::string Le(uint32_t v, int n) {
  std::string s;
  for (int i = 0; i < n; ++i)
    s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  return s;
}

// A canonical 44-byte-header PCM WAV whose 'data' chunk claims data_bytes
// and is followed by payload (which may be shorter, to fake truncation).
inline std::string WavBytes(int channels, uint32_t rate, int bits,
                            uint32_t data_bytes, const std::string& payload) {
  const uint32_t block = static_cast<uint32_t>(channels * bits / 8);
  return "RIFF" + Le(36 + data_bytes, 4) + "WAVE" + "fmt " + Le(16, 4) +
         Le(1, 2) + Le(static_cast<uint32_t>(channels), 2) + Le(rate, 4) +
         Le(rate * block, 4) + Le(block, 2) +
         Le(static_cast<uint32_t>(bits), 2) + "data" + Le(data_bytes, 4) +
         payload;
}

template <typename T>
inline sf_count_t WriteFrames(SNDFILE* f, const T* data, sf_count_t frames);
template <>
inline sf_count_t WriteFrames(SNDFILE* f, const short* d, sf_count_t n) {
  return sf_writef_short(f, d, n);
}
template <>
inline sf_count_t WriteFrames(SNDFILE* f, const int* d, sf_count_t n) {
  return sf_writef_int(f, d, n);
}
template <>
inline sf_count_t WriteFrames(SNDFILE* f, const float* d, sf_count_t n) {
  return sf_writef_float(f, d, n);
}

// Writes interleaved samples with libsndfile in the given format.
template <typename T>
inline void WriteSnd(const std::string& path, int format, int channels,
                     int rate, const std::vector<T>& data) {
  SF_INFO info{};
  info.format = format;
  info.channels = channels;
  info.samplerate = rate;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
  const sf_count_t frames = static_cast<sf_count_t>(data.size()) / channels;
  EXPECT_EQ(WriteFrames(f, data.data(), frames), frames);
  ASSERT_EQ(sf_close(f), 0);
}

inline void ExpectError(const StatusOr<AudioClip>& r, const std::string& path,
                        const std::string& word) {
  ASSERT_FALSE(r.ok());
  const std::string& msg = r.status().message();
  EXPECT_EQ(msg.rfind(path, 0), 0u) << "should start with the path: " << msg;
  EXPECT_NE(msg.find(word), std::string::npos)
      << "lacks '" << word << "': " << msg;
}

}  // namespace audio_test
}  // namespace tinykws
