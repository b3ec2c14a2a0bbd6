// The decision rules on hand-made score sequences: smoothing window (ring
// wrap included), rising edges, refractory period, highest score wins.
#include "runtime/detection_logic.hpp"

#include <gtest/gtest.h>

namespace tinykws::runtime {
namespace {

TEST(PosteriorSmoother, MeansTheLastRunsAndWrapsItsRing) {
  PosteriorSmoother s(3, 2);
  const float runs[][2] = {
      {0.3f, 0.6f}, {0.6f, 0.0f}, {0.9f, 0.3f}, {0.0f, 0.9f}, {0.3f, 0.3f}};
  const float expected[][2] = {
      {0.3f, 0.6f},
      {(0.3f + 0.6f) / 2, 0.3f},
      {(0.3f + 0.6f + 0.9f) / 3, (0.6f + 0.3f) / 3},
      {(0.6f + 0.9f + 0.0f) / 3, (0.3f + 0.9f) / 3},
      {(0.9f + 0.0f + 0.3f) / 3, (0.3f + 0.9f + 0.3f) / 3}};
  for (int i = 0; i < 5; ++i) {
    const float* m = s.Add(runs[i]);
    EXPECT_FLOAT_EQ(m[0], expected[i][0]) << i;
    EXPECT_FLOAT_EQ(m[1], expected[i][1]) << i;
  }
  s.Reset();
  EXPECT_FLOAT_EQ(s.Add(runs[1])[0], 0.6f);
}

TEST(DetectionGate, FiresOnRisingEdgesOutsideTheRefractoryPeriod) {
  DetectionGate gate({"go", "stop", "_unknown_"}, {0.5f, 0.5f, 0.1f}, 100);
  struct Step {
    float go, stop, unknown;
    int64_t sample;
    int expect;
  };
  const Step steps[] = {
      {0.2f, 0.1f, 0.9f, 10, -1},   // fillers never fire
      {0.6f, 0.1f, 0.3f, 20, 0},    // go rises
      {0.7f, 0.1f, 0.2f, 30, -1},   // still above: no new edge
      {0.1f, 0.1f, 0.8f, 40, -1},   // falls
      {0.6f, 0.1f, 0.3f, 110, -1},  // rises 90 samples after: refractory
      {0.6f, 0.1f, 0.3f, 200, -1},  // above, but that edge was suppressed
      {0.1f, 0.1f, 0.8f, 210, -1},
      {0.55f, 0.8f, 0.0f, 220, 1},  // both rise: the higher score wins
      {0.0f, 0.0f, 1.0f, 230, -1},
      {0.5f, 0.0f, 0.5f, 320, 0},  // exactly at threshold, 100 after: fires
  };
  for (const Step& s : steps) {
    const float smoothed[3] = {s.go, s.stop, s.unknown};
    EXPECT_EQ(gate.Check(smoothed, s.sample), s.expect)
        << "sample " << s.sample;
  }
  gate.Reset();
  const float high[3] = {0.9f, 0.0f, 0.1f};
  EXPECT_EQ(gate.Check(high, 0), 0);  // re-armed after Reset
}

TEST(DetectionGate, RefractorySamplesRound) {
  EXPECT_EQ(RefractorySamples(1000.0f, 16000), 16000);
  EXPECT_EQ(RefractorySamples(0.03f, 16000), 0);
  EXPECT_EQ(RefractorySamples(0.04f, 16000), 1);
}

}  // namespace
}  // namespace tinykws::runtime
