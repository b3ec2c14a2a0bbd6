// Window, mel matrix and DCT on configs small enough to check by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "features/dct.hpp"
#include "features/mel.hpp"
#include "features/window.hpp"

namespace tinykws::features {
namespace {

TEST(Window, PeriodicHannOfFourPoints) {
  const std::vector<double> w = PeriodicHann(4);
  ASSERT_EQ(w.size(), 4u);
  EXPECT_NEAR(w[0], 0.0, 1e-15);
  EXPECT_NEAR(w[1], 0.5, 1e-15);
  EXPECT_NEAR(w[2], 1.0, 1e-15);
  EXPECT_NEAR(w[3], 0.5, 1e-15);
}

// 1 kHz rate, 8-sample frames (bins at 0, 125, 250, 375, 500 Hz), two mel
// bands over 50..400 Hz. Expected values from numpy with TF's formula
// (linear_to_mel_weight_matrix), printed to 12 digits.
FeatureConfig TinyConfig() {
  FeatureConfig c;
  c.sample_rate = 1000;
  c.clip_samples = 32;
  c.frame_length = 8;
  c.frame_step = 8;
  c.mel_bins = 2;
  c.fmin_hz = 50.0f;
  c.fmax_hz = 400.0f;
  c.num_mfcc = 2;
  c.log_offset = 1e-6f;
  return c;
}

TEST(Mel, MatchesTfOnTinyConfig) {
  const std::vector<double> m = MelWeightMatrix(TinyConfig());
  const double expected[5][2] = {{0.0, 0.0},
                                 {0.74657003563, 0.0},
                                 {0.148353315204, 0.851646684796},
                                 {0.0, 0.180078198104},
                                 {0.0, 0.0}};
  ASSERT_EQ(m.size(), 10u);
  for (int bin = 0; bin < 5; ++bin) {
    for (int band = 0; band < 2; ++band) {
      EXPECT_NEAR(m[bin * 2 + band], expected[bin][band], 1e-9)
          << "bin " << bin << " band " << band;
    }
  }
}

TEST(Mel, BandsHoldTheNonZeroWeights) {
  const MelBands bands = MakeMelBands(TinyConfig());
  EXPECT_EQ(bands.first_bin, (std::vector<int>{1, 2}));
  EXPECT_EQ(bands.count, (std::vector<int>{2, 2}));
  EXPECT_EQ(bands.lowest_bin, 1);
  EXPECT_EQ(bands.highest_bin, 3);
  ASSERT_EQ(bands.weights.size(), 4u);
  EXPECT_NEAR(bands.weights[0], 0.74657003563, 1e-7);
  EXPECT_NEAR(bands.weights[3], 0.180078198104, 1e-7);
}

TEST(Mel, HertzToMelIsHtk) {
  EXPECT_NEAR(HertzToMel(700.0), 1127.0 * std::log(2.0), 1e-9);
  EXPECT_EQ(HertzToMel(0.0), 0.0);
}

TEST(Dct, RowsAreOrthogonalWithTfScaling) {
  const int n = 20;
  const std::vector<double> d = TfDctMatrix(n, n);
  for (int a = 0; a < n; ++a) {
    for (int b = 0; b < n; ++b) {
      double dot = 0.0;
      for (int i = 0; i < n; ++i) dot += d[a * n + i] * d[b * n + i];
      // TF scales every row by sqrt(2/N): row 0 has norm^2 2, the rest 1.
      const double expected = a != b ? 0.0 : (a == 0 ? 2.0 : 1.0);
      EXPECT_NEAR(dot, expected, 1e-12) << a << "," << b;
    }
  }
  EXPECT_NEAR(d[0], std::sqrt(2.0 / n), 1e-15);
}

}  // namespace
}  // namespace tinykws::features
