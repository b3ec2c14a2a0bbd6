// Distinct audio behind an evaluation and the Poisson interval of its
// false-alarm rate: recomputed by hand from the planned events and bed, and
// checked against the published exact (Garwood) limits.
#include "streaming/audio_usage.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "../common/tone_data.hpp"
#include "streaming/model_calibration.hpp"

namespace tinykws::streaming {
namespace {

class AudioUsageTest : public testing::ToneDataTest {};

TEST_F(AudioUsageTest, CountsEachClipOnceAndItsRepeats) {
  StatusOr<std::shared_ptr<const StreamSources>> sources = LoadStreamSources(
      dir_, {"low", "high", "_unknown_", "_silence_"}, "training", 16000, 2);
  ASSERT_TRUE(sources.ok()) << sources.status().message();
  // 30 minutes from 4 other-word clips and 16 s of noise: heavy repeats.
  StatusOr<std::vector<std::unique_ptr<SyntheticStream>>> parts =
      PlanKeywordFree(*sources, 30.0, 3);
  ASSERT_TRUE(parts.ok());
  std::vector<const SyntheticStream*> list;
  for (const auto& p : *parts) list.push_back(p.get());
  const StreamAudioUse use = AudioUseOf(list);

  std::map<int, int> placed;
  double placed_seconds = 0;
  for (const SyntheticStream* s : list) {
    for (const StreamEvent& e : s->events()) {
      ++placed[e.clip];
      placed_seconds += (e.end - e.start) / 16000.0;
    }
  }
  double distinct = 0;
  int most = 0;
  for (const auto& [clip, count] : placed) {
    distinct += (*sources)->others[clip].samples.size() / 16000.0;
    most = std::max(most, count);
  }
  EXPECT_EQ(use.speech.sources, static_cast<int>(placed.size()));
  EXPECT_EQ(use.speech.sources, 4);
  EXPECT_DOUBLE_EQ(use.speech.seconds, placed_seconds);
  EXPECT_DOUBLE_EQ(use.speech.distinct_seconds, distinct);
  EXPECT_EQ(use.speech.max_repeats, most);
  EXPECT_GT(use.speech.mean_repeats(), 50.0);
  // The bed covers the whole 30 minutes; the noise's training part is
  // 16 s, so at most 16 distinct seconds however long the stream.
  EXPECT_NEAR(use.noise.seconds, 1800.0, 1e-6);
  EXPECT_LE(use.noise.distinct_seconds, 16.0);
  EXPECT_GT(use.noise.distinct_seconds, 15.0);  // 30 min wraps it all
  EXPECT_EQ(use.noise.sources, 1);
  EXPECT_EQ(AudioUseOf({}).speech.sources, 0);
}

TEST(PoissonRateInterval, MatchesTheExactGarwoodLimits) {
  // Published 95 % limits for a Poisson count (Garwood 1936; e.g. the table
  // in Ulm 1990): count -> (lower, upper).
  const struct {
    int count;
    double low, high;
  } table[] = {{0, 0.0, 3.689},    {1, 0.0253, 5.572},  {2, 0.2422, 7.225},
               {3, 0.6187, 8.767}, {5, 1.6235, 11.668}, {10, 4.7954, 18.390}};
  for (const auto& row : table) {
    double low = 0, high = 0;
    PoissonRateInterval(row.count, 1.0, 0.95, &low, &high);
    EXPECT_NEAR(low, row.low, 1e-3) << row.count;
    EXPECT_NEAR(high, row.high, 1e-3) << row.count;
    // Per hour: the limits scale with the hours.
    PoissonRateInterval(row.count, 3.0, 0.95, &low, &high);
    EXPECT_NEAR(high, row.high / 3.0, 1e-3) << row.count;
  }
  double low = 0, high = 0;
  PoissonRateInterval(1, 0.0, 0.95, &low, &high);
  EXPECT_TRUE(std::isnan(low) && std::isnan(high));
  PoissonRateInterval(-1, 1.0, 0.95, &low, &high);
  EXPECT_TRUE(std::isnan(high));
}

}  // namespace
}  // namespace tinykws::streaming
