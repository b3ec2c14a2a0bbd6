// A tiny Speech Commands-style folder of tone "words" for streaming tests:
// low/ (300 Hz, the tone model's "low"), high/ (4 kHz), other/ (1 kHz, a
// word that is neither), _background_noise_/ (quiet white noise), with split
// lists; each clip 0.6 s of tone inside 1 s. The noise recording is
// near-silent (the tone model reads spectral tilt, which any audible noise
// dominates).
#pragma once

#include <cmath>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "temp_dir_test.hpp"
#include "tinykws/audio.hpp"

namespace tinykws::testing {

class ToneDataTest : public TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    const struct {
      const char* folder;
      double hz;
    } words[] = {{"low", 300.0}, {"high", 4000.0}, {"other", 1000.0}};
    std::string validation, testing;
    for (const auto& w : words) {
      std::filesystem::create_directories(Path(w.folder));
      for (int i = 0; i < 6; ++i) {
        const std::string name = std::string(w.folder) + "/spk" +
                                 std::to_string(i) + "_nohash_0.wav";
        std::vector<int16_t> pcm(16000, 0);
        for (int t = 0; t < 9600; ++t) {
          pcm[3200 + t] = static_cast<int16_t>(
              std::lround((0.15 + 0.01 * i) * 32767.0 *
                          std::sin(2.0 * M_PI * w.hz * t / 16000.0)));
        }
        ASSERT_TRUE(WriteWav(Path(name), pcm.data(), pcm.size(), 16000).ok());
        if (i == 4) validation += name + "\n";
        if (i == 5) testing += name + "\n";
      }
    }
    std::ofstream(Path("validation_list.txt")) << validation;
    std::ofstream(Path("testing_list.txt")) << testing;
    std::filesystem::create_directories(Path("_background_noise_"));
    std::mt19937 rng(7);
    std::normal_distribution<float> noise(0.0f, 2.0f);
    std::vector<int16_t> pcm(16000 * 20);
    for (int16_t& v : pcm) v = static_cast<int16_t>(noise(rng));
    ASSERT_TRUE(WriteWav(Path("_background_noise_/white.wav"), pcm.data(),
                         pcm.size(), 16000)
                    .ok());
  }
};

}  // namespace tinykws::testing
