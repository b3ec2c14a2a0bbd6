// Moved-from runtime objects (issue 18): every accessor answers with its
// documented empty value instead of dereferencing null, and the calls that
// do work fail with a Status.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "../common/tone_model.hpp"
#include "spotter_helpers.hpp"
#include "tinykws/features.hpp"
#include "tinykws/resampler.hpp"
#include "tinykws/runtime.hpp"
#include "tinykws/spotter.hpp"

namespace tinykws {
namespace {

using testing::Load;
using testing::ToneFile;

TEST(MovedFrom, SpotterAccessorsAreSafe) {
  StatusOr<Spotter> made = Spotter::Create(Load(ToneFile(true)));
  ASSERT_TRUE(made.ok()) << made.status().message();
  Spotter spotter = std::move(*made);
  Spotter taken = std::move(spotter);
  EXPECT_GT(taken.arena_bytes(), 0u);
  EXPECT_STRNE(taken.kernel_name(), "");
  // Using the moved-from objects is the point of these tests.
  EXPECT_EQ(spotter.arena_bytes(), 0u);  // NOLINT(bugprone-use-after-move)
  EXPECT_STREQ(spotter.kernel_name(), "");
  EXPECT_TRUE(spotter.params().thresholds.empty());
  EXPECT_EQ(spotter.params().hop_frames, 0);
  EXPECT_TRUE(spotter.model().labels().empty());
  EXPECT_EQ(spotter.model().features().sample_rate, 0);
  EXPECT_EQ(spotter.samples_pushed(), 0);
  EXPECT_EQ(spotter.network_runs(), 0);
  const std::vector<int16_t> pcm(100, 0);
  EXPECT_EQ(spotter.Push(pcm.data(), pcm.size(), 16000).code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(spotter.SetThreshold(0, 0.5f).ok());
  spotter.Reset();  // no effect, no crash
  // Assigning a live spotter back makes it whole again.
  spotter = std::move(taken);
  EXPECT_EQ(spotter.model().labels().size(), 3u);
  EXPECT_GT(spotter.arena_bytes(), 0u);
}

TEST(MovedFrom, SessionAccessorsAreSafe) {
  StatusOr<Session> made = Session::Create(Load(ToneFile(true)));
  ASSERT_TRUE(made.ok()) << made.status().message();
  Session session = std::move(*made);
  Session taken = std::move(session);
  EXPECT_GT(taken.arena_bytes(), 0u);
  EXPECT_EQ(session.arena_bytes(), 0u);  // NOLINT(bugprone-use-after-move)
  EXPECT_STREQ(session.kernel_name(), "");
  EXPECT_TRUE(session.model().labels().empty());
  const std::vector<int16_t> pcm(16000, 0);
  ClassifyResult result;
  EXPECT_EQ(session.Classify(pcm.data(), pcm.size(), 16000, &result).code(),
            StatusCode::kInvalidArgument);
}

TEST(MovedFrom, FeatureAndResamplerAccessorsAreSafe) {
  const FeatureConfig config = ToneFile(true).features;
  StatusOr<MfccExtractor> extractor = MfccExtractor::Create(config);
  ASSERT_TRUE(extractor.ok());
  MfccExtractor e = std::move(*extractor);
  MfccExtractor e2 = std::move(e);
  EXPECT_EQ(e2.config().sample_rate, config.sample_rate);
  EXPECT_EQ(e.config().sample_rate, 0);  // NOLINT(bugprone-use-after-move)
  EXPECT_STREQ(e.kernel_name(), "");
  EXPECT_EQ(e.memory_bytes(), 0u);

  StatusOr<MfccStream> stream = MfccStream::Create(config, 4);
  ASSERT_TRUE(stream.ok());
  MfccStream s = std::move(*stream);
  MfccStream s2 = std::move(s);
  EXPECT_EQ(s2.config().sample_rate, config.sample_rate);
  EXPECT_EQ(s.config().sample_rate, 0);  // NOLINT(bugprone-use-after-move)
  EXPECT_STREQ(s.kernel_name(), "");
  EXPECT_EQ(s.memory_bytes(), 0u);
  std::vector<float> out(1);
  EXPECT_FALSE(s.ComputeReady(out.data(), out.size()).ok());

  StatusOr<Resampler> resampler = Resampler::Create(48000, 16000);
  ASSERT_TRUE(resampler.ok());
  Resampler r = std::move(*resampler);
  Resampler r2 = std::move(r);
  EXPECT_EQ(r2.input_rate(), 48000);
  EXPECT_EQ(r.input_rate(), 0);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(r.memory_bytes(), 0u);
}

}  // namespace
}  // namespace tinykws
