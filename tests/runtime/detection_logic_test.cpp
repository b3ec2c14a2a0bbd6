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

TEST(DetectionGate, FiresOnRisingEdgesAndDefersThoseInsideItsPeriod) {
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
      {0.6f, 0.1f, 0.3f, 110, -1},  // rises 90 after go: deferred
      {0.6f, 0.1f, 0.3f, 119, -1},  // still inside go's period
      {0.6f, 0.1f, 0.3f, 120, 0},   // the period is over, still above: fires
      {0.6f, 0.1f, 0.3f, 130, -1},  // no new edge
      {0.1f, 0.1f, 0.8f, 140, -1},
      {0.7f, 0.1f, 0.2f, 150, -1},  // go again, inside: deferred ...
      {0.1f, 0.1f, 0.8f, 160, -1},  // ... and dropped when it falls
      {0.1f, 0.1f, 0.8f, 230, -1},  // nothing left to fire
      {0.1f, 0.9f, 0.0f, 235, 1},   // stop: go's period never holds it
      {0.0f, 0.0f, 1.0f, 240, -1},
      {0.55f, 0.8f, 0.0f, 400, 1},   // both rise: the higher score wins
      {0.55f, 0.8f, 0.0f, 420, -1},  // go's edge was used up with stop's
      {0.0f, 0.0f, 1.0f, 430, -1},
      {0.5f, 0.0f, 0.5f, 440, 0},  // exactly at threshold: fires
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

TEST(DetectionGate, ADeferredEdgeThatLosesIsUsedUp) {
  DetectionGate gate({"go", "stop", "_unknown_"}, {0.5f, 0.5f, 0.5f}, 100);
  const float go[3] = {0.9f, 0.0f, 0.1f}, quiet[3] = {0.0f, 0.0f, 1.0f},
              both[3] = {0.6f, 0.9f, 0.0f};
  EXPECT_EQ(gate.Check(go, 0), 0);
  EXPECT_EQ(gate.Check(quiet, 20), -1);
  EXPECT_EQ(gate.Check(go, 40), -1);     // deferred to 100
  EXPECT_EQ(gate.Check(both, 100), 1);   // stop wins the run go's edge fires
  EXPECT_EQ(gate.Check(both, 120), -1);  // one sound, one detection
}

TEST(DetectionGate, ADifferentKeywordRightAfterAnotherIsHeard) {
  // "stop" 20 samples after "go", both above threshold at once later: with
  // one period shared by all keywords the second would have been lost.
  DetectionGate gate({"go", "stop", "_unknown_"}, {0.5f, 0.5f, 0.5f}, 1000);
  const float go[3] = {0.9f, 0.05f, 0.05f};
  const float both[3] = {0.6f, 0.7f, 0.0f};
  EXPECT_EQ(gate.Check(go, 100), 0);
  EXPECT_EQ(gate.Check(both, 120), 1);
  EXPECT_EQ(gate.Check(both, 140), -1);
}

TEST(DetectionGate, RefractorySamplesRound) {
  EXPECT_EQ(RefractorySamples(1000.0f, 16000), 16000);
  EXPECT_EQ(RefractorySamples(0.03f, 16000), 0);
  EXPECT_EQ(RefractorySamples(0.04f, 16000), 1);
}

}  // namespace
}  // namespace tinykws::runtime
