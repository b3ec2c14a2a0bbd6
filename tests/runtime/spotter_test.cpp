// The streaming Spotter against whole-clip classification: every network run
// sees exactly the window Session::Classify sees, detections follow the
// documented smoothing/threshold/refractory rules, chunk sizes change
// nothing, nothing allocates per push.
#include "tinykws/spotter.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "../common/alloc_counter.hpp"
#include "../common/tone_model.hpp"
#include "format/model_file.hpp"
#include "spotter_helpers.hpp"

namespace tinykws {
namespace {

using testing::Bits;
using testing::ExpectSameDetections;
using testing::kEvents;
using testing::Load;
using testing::Spot;
using testing::ToneEvent;
using testing::ToneFile;
using testing::ToneStream;

// What the documented rules give, computed the slow way: Session::Classify
// on each 1 s slice, a plain mean over the last runs, rising edges, each
// keyword's refractory period deferring its edges.
std::vector<Detection> ExpectedDetections(
    const std::shared_ptr<const Model>& model, const std::vector<int16_t>& pcm,
    const DetectorParams& p, std::vector<std::vector<float>>* raw = nullptr) {
  const FeatureConfig& f = model->features();
  StatusOr<Session> session = Session::Create(model);
  const size_t labels = model->labels().size();
  std::vector<std::vector<float>> history;
  std::vector<char> above(labels, 0), pending(labels, 0);
  std::vector<Detection> out;
  std::vector<int64_t> last(labels, -1);
  const int64_t refractory =
      std::llround(p.refractory_ms * f.sample_rate / 1000.0);
  for (int64_t g = f.num_frames() - 1;
       g * f.frame_step + f.frame_length <= static_cast<int64_t>(pcm.size());
       g += p.hop_frames) {
    const int64_t start = (g - f.num_frames() + 1) * f.frame_step;
    ClassifyResult r;
    EXPECT_TRUE(
        session
            ->Classify(pcm.data() + start,
                       std::min<size_t>(f.clip_samples, pcm.size() - start),
                       f.sample_rate, &r)
            .ok());
    history.emplace_back(r.scores, r.scores + labels);
    if (raw != nullptr) raw->push_back(history.back());
    const size_t n = std::min<size_t>(history.size(), p.smoothing_runs);
    std::vector<float> mean(labels);
    for (size_t k = 0; k < labels; ++k) {
      float sum = 0.0f;
      for (size_t i = history.size() - n; i < history.size(); ++i) {
        sum += history[i][k];
      }
      mean[k] = sum / static_cast<float>(n);
    }
    const int64_t sample = g * f.frame_step + f.frame_length - 1;
    int best = -1;
    for (size_t k = 0; k < labels; ++k) {
      if (!IsKeywordLabel(model->labels()[k])) continue;
      const bool now = mean[k] >= p.thresholds[k];
      const bool edge = now && !above[k];
      above[k] = now;
      const bool resting = last[k] >= 0 && sample - last[k] < refractory;
      if (!now) pending[k] = 0;
      if (edge && resting) pending[k] = 1;
      const bool fires = now && !resting && (edge || pending[k]);
      if (fires) pending[k] = 0;  // the winner's, and the losers'
      if (fires && (best < 0 || mean[k] > mean[best])) {
        best = static_cast<int>(k);
      }
    }
    if (best >= 0) {
      last[best] = sample;
      out.push_back({best, mean[best], sample,
                     static_cast<double>(sample + 1) / f.sample_rate});
    }
  }
  return out;
}

TEST(Spotter, RunsSeeWhatSessionClassifySeesBitForBit) {
  const std::vector<int16_t> pcm = ToneStream(kEvents, 10.0);
  for (int variant = 0; variant < 3; ++variant) {
    // fp32, int8, and int8 with the float32 MFCC front end.
    const bool int8 = variant > 0;
    format::ModelFile file = ToneFile(int8);
    if (variant == 2) file.features.precision = FeaturePrecision::kFloat32;
    SCOPED_TRACE(FeaturePrecisionName(file.features.precision));
    const std::shared_ptr<const Model> model = Load(file);
    StatusOr<Spotter> spotter = Spotter::Create(model);
    ASSERT_TRUE(spotter.ok()) << spotter.status().message();
    std::vector<std::vector<float>> runs;
    spotter->SetRunObserver(
        [](const SpotterRun& run, void* user) {
          static_cast<std::vector<std::vector<float>>*>(user)->emplace_back(
              run.scores, run.scores + 3);
        },
        &runs);
    const std::vector<Detection> got = Spot(*spotter, pcm, 777);
    std::vector<std::vector<float>> expected_runs;
    const std::vector<Detection> expected =
        ExpectedDetections(model, pcm, spotter->params(), &expected_runs);
    ASSERT_EQ(runs.size(), expected_runs.size()) << "int8 " << int8;
    EXPECT_EQ(spotter->network_runs(), static_cast<int64_t>(runs.size()));
    for (size_t i = 0; i < runs.size(); ++i) {
      for (int k = 0; k < 3; ++k) {
        ASSERT_EQ(Bits(runs[i][k]), Bits(expected_runs[i][k]))
            << "run " << i << " label " << k << " int8 " << int8;
      }
    }
    ExpectSameDetections(got, expected, int8 ? "int8" : "fp32");
  }
}

TEST(Spotter, SyntheticStreamGivesExactlyTheExpectedDetections) {
  const std::vector<int16_t> pcm = ToneStream(kEvents, 10.0);
  for (bool int8 : {false, true}) {
    const std::shared_ptr<const Model> model = Load(ToneFile(int8));
    StatusOr<Spotter> spotter = Spotter::Create(model);
    ASSERT_TRUE(spotter.ok());
    const std::vector<Detection> got = Spot(*spotter, pcm, 160);
    // One detection per tone, with its label, while the tone is in the
    // window (the network looks back 1 s; smoothing adds 2 hops).
    ASSERT_EQ(got.size(), kEvents.size()) << "int8 " << int8;
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].label, kEvents[i].high ? 1 : 0) << i;
      EXPECT_GT(got[i].time_s, kEvents[i].start_s) << i;
      EXPECT_LT(got[i].time_s, kEvents[i].start_s + kEvents[i].seconds + 1.0)
          << i;
      EXPECT_GE(got[i].score, 0.8f);
    }
  }
}

TEST(Spotter, ChunkedAndOneShotFeedingGiveIdenticalDetections) {
  const std::vector<int16_t> pcm = ToneStream(kEvents, 10.0);
  const std::shared_ptr<const Model> model = Load(ToneFile(true));
  StatusOr<Spotter> one_shot = Spotter::Create(model);
  ASSERT_TRUE(one_shot.ok());
  const std::vector<Detection> reference = Spot(*one_shot, pcm, pcm.size());
  ASSERT_EQ(reference.size(), 4u);
  for (size_t chunk : {1, 7, 160, 448, 16000}) {
    StatusOr<Spotter> spotter = Spotter::Create(model);
    ASSERT_TRUE(spotter.ok());
    ExpectSameDetections(Spot(*spotter, pcm, chunk), reference,
                         "chunk " + std::to_string(chunk));
    EXPECT_EQ(spotter->samples_pushed(), static_cast<int64_t>(pcm.size()));
  }
  // Reset starts a new stream: the same detections again.
  one_shot->Reset();
  ExpectSameDetections(Spot(*one_shot, pcm, 1234), reference, "after reset");
  // Float samples in [-1, 1] give the same result.
  std::vector<float> scaled(pcm.size());
  for (size_t i = 0; i < pcm.size(); ++i) scaled[i] = pcm[i] / 32768.0f;
  one_shot->Reset();
  std::vector<Detection> from_float;
  ASSERT_TRUE(one_shot
                  ->Push(scaled.data(), scaled.size(), 16000,
                         [&](const Detection& d) { from_float.push_back(d); })
                  .ok());
  ExpectSameDetections(from_float, reference, "float samples");
}

TEST(Spotter, RefractoryPeriodsArePerKeywordAndDeferNotDrop) {
  const std::shared_ptr<const Model> model = Load(ToneFile(false));
  // low at 1.0 s, high 0.7 s later, a long low tone at 5 s, then a short
  // low at 10 s and a second low 2 s later, inside a 3 s period.
  const std::vector<int16_t> pcm = ToneStream({{1.0, 0.5, false},
                                               {1.7, 0.5, true},
                                               {5.0, 3.0, false},
                                               {10.0, 0.3, false},
                                               {12.0, 2.0, false}},
                                              16.0);
  SpotterOptions options;
  options.refractory_ms = 3000.0f;
  StatusOr<Spotter> spotter = Spotter::Create(model, options);
  ASSERT_TRUE(spotter.ok());
  const std::vector<Detection> got = Spot(*spotter, pcm, 500);
  ExpectSameDetections(got, ExpectedDetections(model, pcm, spotter->params()),
                       "refractory 3000 ms");
  // high right after low is heard (another keyword's period holds nothing
  // back); the 3 s tone fires once (a detection needs a rising edge); the
  // low at 12 s rises inside the period of the one at 10 s and is reported
  // when that period ends, still above its threshold.
  ASSERT_EQ(got.size(), 5u);
  const int labels[] = {0, 1, 0, 0, 0};
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].label, labels[i]);
  EXPECT_LT(got[1].sample - got[0].sample, 16000);
  EXPECT_GT(got[2].time_s, 5.0);
  EXPECT_LT(got[2].time_s, 7.0);
  EXPECT_GE(got[4].sample - got[3].sample, 48000);
  EXPECT_LT(got[4].sample - got[3].sample, 48000 + 2 * 448);  // next run
  // With a 1 s period the 12 s tone is reported at its rise.
  options.refractory_ms = 1000.0f;
  spotter = Spotter::Create(model, options);
  ASSERT_TRUE(spotter.ok());
  const std::vector<Detection> all = Spot(*spotter, pcm, 500);
  ExpectSameDetections(all, ExpectedDetections(model, pcm, spotter->params()),
                       "refractory 1000 ms");
  ASSERT_EQ(all.size(), 5u);
  EXPECT_LT(all[4].sample - all[3].sample, 48000);
}

TEST(Spotter, ThresholdsComeFromTheModelAndCanBeOverridden) {
  const std::vector<int16_t> pcm = ToneStream(kEvents, 10.0);
  // Stored thresholds above every score: nothing fires.
  const std::shared_ptr<const Model> strict = Load(ToneFile(false, 0.999f));
  ASSERT_TRUE(strict->has_detector());
  EXPECT_EQ(strict->detector().thresholds[0], 0.999f);
  StatusOr<Spotter> spotter = Spotter::Create(strict);
  ASSERT_TRUE(spotter.ok());
  EXPECT_TRUE(Spot(*spotter, pcm, 4000).empty());
  // Per-spotter overrides.
  SpotterOptions options;
  options.thresholds = {0.8f, 0.999f, 1.0f};
  options.hop_frames = 1;
  options.smoothing_runs = 1;
  options.refractory_ms = 500.0f;
  spotter = Spotter::Create(strict, options);
  ASSERT_TRUE(spotter.ok());
  EXPECT_EQ(spotter->params().hop_frames, 1);
  const std::vector<Detection> low_only = Spot(*spotter, pcm, 4000);
  ASSERT_EQ(low_only.size(), 2u);
  EXPECT_EQ(low_only[0].label, 0);
  EXPECT_EQ(low_only[1].label, 0);
  ExpectSameDetections(low_only,
                       ExpectedDetections(strict, pcm, spotter->params()),
                       "overrides");
  // SetThreshold from now on.
  ASSERT_TRUE(spotter->SetThreshold(1, 0.8f).ok());
  spotter->Reset();
  EXPECT_EQ(Spot(*spotter, pcm, 4000).size(), 4u);
  EXPECT_EQ(spotter->SetThreshold(3, 0.5f).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(spotter->SetThreshold(0, 1.5f).code(),
            StatusCode::kInvalidArgument);
}

TEST(Spotter, ModelsWithoutADetectorUseTheDefaults) {
  const std::shared_ptr<const Model> model =
      Load(testing::ToneModelFile(false));
  EXPECT_FALSE(model->has_detector());
  const DetectorParams defaults = DefaultDetectorParams(3);
  EXPECT_EQ(model->detector().hop_frames, defaults.hop_frames);
  EXPECT_EQ(model->detector().thresholds, defaults.thresholds);
  StatusOr<Spotter> spotter = Spotter::Create(model);
  ASSERT_TRUE(spotter.ok());
  EXPECT_EQ(spotter->params().smoothing_runs, defaults.smoothing_runs);
}

TEST(Spotter, BadArgumentsAreErrors) {
  const std::shared_ptr<const Model> model = Load(ToneFile(true));
  EXPECT_EQ(Spotter::Create(nullptr).status().code(),
            StatusCode::kInvalidArgument);
  SpotterOptions bad;
  bad.hop_frames = 35;
  StatusOr<Spotter> failed = Spotter::Create(model, bad);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(
      failed.status().message().find("hop_frames out of range (expected 1..34"),
      std::string::npos);
  bad = SpotterOptions();
  bad.thresholds = {0.5f};
  EXPECT_FALSE(Spotter::Create(model, bad).ok());
  StatusOr<Spotter> spotter = Spotter::Create(model);
  ASSERT_TRUE(spotter.ok());
  const std::vector<int16_t> pcm(1000, 0);
  Status s = spotter->Push(pcm.data(), pcm.size(), 500);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("spotter: resampler: rate 500 Hz is outside"),
            std::string::npos)
      << s.message();
  EXPECT_EQ(spotter->samples_pushed(), 0);
  // One stream, one rate: another rate needs Reset().
  ASSERT_TRUE(spotter->Push(pcm.data(), pcm.size(), 16000).ok());
  s = spotter->Push(pcm.data(), pcm.size(), 48000);
  EXPECT_NE(s.message().find("this stream is at 16000 Hz, got 48000 Hz"),
            std::string::npos)
      << s.message();
  spotter->Reset();
  EXPECT_TRUE(spotter->Push(pcm.data(), pcm.size(), 48000).ok());
  EXPECT_EQ(
      spotter->Push(static_cast<const int16_t*>(nullptr), 5, 16000).code(),
      StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      spotter->Push(static_cast<const int16_t*>(nullptr), 0, 48000).ok());
}

TEST(Spotter, PushDoesNotAllocate) {
  const std::vector<int16_t> pcm = ToneStream(kEvents, 10.0);
  for (bool int8 : {false, true}) {
    const std::shared_ptr<const Model> model = Load(ToneFile(int8));
    StatusOr<Spotter> spotter = Spotter::Create(model);
    ASSERT_TRUE(spotter.ok());
    int detections = 0;
    const size_t before = testing::AllocationCount();
    for (size_t at = 0; at < pcm.size(); at += 333) {
      const size_t n = std::min<size_t>(333, pcm.size() - at);
      ASSERT_TRUE(spotter
                      ->Push(pcm.data() + at, n, 16000,
                             [&](const Detection&) { ++detections; })
                      .ok());
    }
    spotter->Reset();
    EXPECT_EQ(testing::AllocationCount(), before) << "int8 " << int8;
    EXPECT_EQ(detections, 4);
    EXPECT_GT(spotter->arena_bytes(), 0u);
  }
}

}  // namespace
}  // namespace tinykws

namespace tinykws {
namespace {

// A float model whose arithmetic overflows: scores would be NaN. Both the
// session and the spotter report an error instead of a score.
TEST(NonFinite, OverflowingModelsGiveErrorsNotScores) {
  format::ModelFile file = testing::ToneModelFile(false);
  for (float& w : file.dense.float_weights) w = w == 0.0f ? 0.0f : 3e38f;
  file.dense.float_bias = {-3e38f, 3e38f, 0.0f};
  ASSERT_TRUE(format::Validate(file, "m").ok());
  const std::shared_ptr<const Model> model = Load(file);
  StatusOr<Session> session = Session::Create(model);
  ASSERT_TRUE(session.ok());
  const std::vector<int16_t> pcm = ToneStream({{0.2, 0.6, false}}, 1.0);
  ClassifyResult result;
  const Status s = session->Classify(pcm.data(), pcm.size(), 16000, &result);
  EXPECT_EQ(s.code(), StatusCode::kOutOfRange);
  EXPECT_NE(s.message().find("not finite"), std::string::npos) << s.message();
  StatusOr<Spotter> spotter = Spotter::Create(model);
  ASSERT_TRUE(spotter.ok());
  const std::vector<int16_t> stream = ToneStream({{1.0, 0.6, false}}, 3.0);
  const Status pushed = spotter->Push(stream.data(), stream.size(), 16000);
  EXPECT_EQ(pushed.code(), StatusCode::kOutOfRange);
  EXPECT_NE(pushed.message().find("not finite"), std::string::npos);
}

// An int8 model whose output scale would overflow float is refused.
TEST(NonFinite, Int8OutputScalesThatOverflowAreInvalid) {
  format::ModelFile file = testing::ToneModelFile(true);
  file.dense.output_scales[1] = 1e30f;  // finite and > 0, but 2^31 * it is not
  const Status s = format::Validate(file, "m");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(
      s.message().find("dense output_scales[1] can make a logit overflow"),
      std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace tinykws
