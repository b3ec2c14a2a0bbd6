// Scoring and calibration on hand-made detections and score traces, and
// replay against a real Spotter.
#include "streaming/scoring.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "../common/tone_model.hpp"
#include "format/model_file.hpp"
#include "streaming/calibration.hpp"
#include "streaming/model_calibration.hpp"
#include "streaming/spot_trace.hpp"

namespace tinykws::streaming {
namespace {

StreamEvent Event(int64_t start, int label) {
  StreamEvent e;
  e.start = start;
  e.end = start + 16000;
  e.speech_begin = start + 4000;
  e.speech_end = start + 12000;
  e.label = label;
  return e;
}

Detection At(int label, int64_t sample) {
  Detection d;
  d.label = label;
  d.sample = sample;
  return d;
}

TEST(Scoring, HitsMissesAndFalseAlarms) {
  // Labels: go (0), stop (1), _unknown_ (2). Events every 3 s.
  const std::vector<StreamEvent> events = {Event(16000, 0), Event(64000, 1),
                                           Event(112000, -1), Event(160000, 0)};
  const std::vector<Detection> detections = {
      At(0, 10000),   // before any event: false alarm
      At(0, 28000),   // go event 0 (delay (28001 - 28000) / 16000)
      At(0, 30000),   // a repeat: false alarm
      At(0, 70000),   // wrong keyword during the stop event: false alarm
      At(1, 95999),   // stop, the last sample of its window: hit
      At(0, 120000),  // on another word: false alarm
      At(0, 208001),  // one sample after the go event's window: false alarm
  };
  const StreamScore s =
      ScoreDetections(events, detections, 3, 16000, 16000, 240000);
  EXPECT_EQ(s.keywords, 3);
  EXPECT_EQ(s.found, 2);
  EXPECT_EQ(s.false_alarms, 5);
  EXPECT_DOUBLE_EQ(s.seconds, 15.0);
  ASSERT_EQ(s.delays_s.size(), 2u);
  EXPECT_DOUBLE_EQ(s.delays_s[0], 1.0 / 16000);
  EXPECT_DOUBLE_EQ(s.delays_s[1], (96000.0 - 76000.0) / 16000);
  EXPECT_EQ(s.event_hit, (std::vector<int>{1, 4, -1, -1}));
  EXPECT_EQ(s.detection_event, (std::vector<int>{-1, 0, -1, -1, 1, -1, -1}));
  EXPECT_EQ(s.keywords_per_label, (std::vector<int>{2, 1, 0}));
  EXPECT_EQ(s.found_per_label, (std::vector<int>{1, 1, 0}));
  EXPECT_EQ(s.false_alarms_per_label, (std::vector<int>{5, 0, 0}));
  StreamScore total;
  total.Add(s);
  total.Add(s);
  EXPECT_EQ(total.found, 4);
  EXPECT_EQ(total.false_alarms, 10);
  EXPECT_DOUBLE_EQ(total.seconds, 30.0);
}

// A trace with one run every 896 samples (hop 2 at the seed features):
// score `peak` for label 0 at the given run indices, 0.01 elsewhere.
SpotTrace Trace(int64_t runs,
                const std::vector<std::pair<int64_t, float>>& peaks,
                int64_t audio_samples) {
  SpotTrace t;
  t.labels = 2;
  t.audio_samples = audio_samples;
  for (int64_t r = 0; r < runs; ++r) {
    t.samples.push_back(15583 + 896 * r);
    float go = 0.01f;
    for (const auto& [run, score] : peaks) {
      if (run == r) go = score;
    }
    t.scores.push_back(go);
    t.scores.push_back(1.0f - go);
  }
  return t;
}

TEST(Calibration, ShortAudioWarningSaysHowMuchAudioTheTargetNeeds) {
  // One false alarm at the target needs 1/target hours of audio.
  const std::string strict = ShortAudioWarning(4.0 / 60.0, 0.5);
  EXPECT_NE(strict.find("4.0 min of audio"), std::string::npos) << strict;
  EXPECT_NE(strict.find("0 false alarms allowed"), std::string::npos);
  EXPECT_NE(strict.find("record >= 2 h of"), std::string::npos) << strict;
  const std::string odd = ShortAudioWarning(0.5, 0.3);  // 3.33 h, up to 3.4
  EXPECT_NE(odd.find("record >= 3.4 h of"), std::string::npos) << odd;
  const std::string loose = ShortAudioWarning(0.2, 2.0);  // 30 minutes
  EXPECT_NE(loose.find("record >= 30 min of"), std::string::npos) << loose;
}

TEST(Calibration, PicksTheExpectedThresholdForAKnownScoreDistribution) {
  const std::vector<std::string> labels = {"go", "_unknown_"};
  // Positive stream, 1 hour: three keyword events whose runs peak at 0.8,
  // 0.9 and 0.99.
  std::vector<StreamEvent> events;
  std::vector<std::pair<int64_t, float>> peaks;
  const float keyword_peaks[] = {0.8f, 0.9f, 0.99f};
  for (int i = 0; i < 3; ++i) {
    const int64_t run = 100 + 200 * i;
    events.push_back(Event(15583 + 896 * run - 14000, 0));
    peaks.push_back({run, keyword_peaks[i]});
  }
  const int64_t hour = int64_t{3600} * 16000;
  const SpotTrace positive = Trace(hour / 896, peaks, hour);
  // Keyword-free hour: impostors peaking at 0.6, 0.7 and 0.95.
  const SpotTrace negative =
      Trace(hour / 896, {{1000, 0.6f}, {2000, 0.7f}, {3000, 0.95f}}, hour);
  const std::vector<TracedStream> streams = {{&positive, &events},
                                             {&negative, nullptr}};
  DetectorParams base = DefaultDetectorParams(2);
  CalibrationOptions options;
  options.smoothing_candidates = {1};
  // 2 hours at 0.5 per hour: one false alarm allowed. The highest threshold
  // that still finds all three keywords is the grid's 0.80, and the 0.95
  // impostor is the one false alarm.
  options.target_fa_per_hour = 0.5;
  CalibrationResult r = Calibrate(streams, labels, base, 16000, 16000, options);
  EXPECT_EQ(r.budget, 1);
  EXPECT_FLOAT_EQ(r.params.thresholds[0], 0.80f);
  EXPECT_EQ(r.params.thresholds[1], 1.0f);  // filler
  EXPECT_EQ(r.params.smoothing_runs, 1);
  EXPECT_EQ(r.score.found, 3);
  EXPECT_EQ(r.score.false_alarms, 1);
  EXPECT_TRUE(r.target_met);
  // No false alarm allowed: above 0.95, so only the 0.99 keyword is found,
  // and 0.99 is the highest threshold that still finds it.
  options.target_fa_per_hour = 0.4;
  r = Calibrate(streams, labels, base, 16000, 16000, options);
  EXPECT_EQ(r.budget, 0);
  EXPECT_FLOAT_EQ(r.params.thresholds[0], 0.99f);
  EXPECT_EQ(r.score.found, 1);
  EXPECT_EQ(r.score.false_alarms, 0);
  // A looser target: 0.70 finds everything with 2 false alarms allowed...
  // but 0.80 finds the same with margin, so 0.80 stays.
  options.target_fa_per_hour = 1.0;
  r = Calibrate(streams, labels, base, 16000, 16000, options);
  EXPECT_EQ(r.budget, 2);
  EXPECT_FLOAT_EQ(r.params.thresholds[0], 0.80f);
  // Smoothing over 2 runs halves isolated peaks (keywords 0.405, 0.455,
  // 0.5; impostors 0.305, 0.355, 0.48): all three are still found with one
  // false alarm, a tie that the shorter window wins.
  options.smoothing_candidates = {2, 1};
  options.target_fa_per_hour = 0.5;
  r = Calibrate(streams, labels, base, 16000, 16000, options);
  EXPECT_EQ(r.params.smoothing_runs, 1);
  EXPECT_EQ(r.score.found, 3);
}

// A huge target used to overflow the int budget (undefined behaviour; in
// practice a negative size and std::length_error). It is capped at
// kMaxTargetFaPerHour, and the search stops at the false alarms there are.
TEST(Calibration, HugeTargetsAreCappedNotOverflowed) {
  const std::vector<std::string> labels = {"go", "_unknown_"};
  std::vector<StreamEvent> events = {Event(15583 + 896 * 100 - 14000, 0)};
  const int64_t hour = int64_t{3600} * 16000;
  const SpotTrace positive = Trace(hour / 896, {{100, 0.9f}}, hour);
  const SpotTrace negative = Trace(hour / 896, {{500, 0.7f}}, hour);
  const std::vector<TracedStream> streams = {{&positive, &events},
                                             {&negative, nullptr}};
  CalibrationOptions options;
  options.smoothing_candidates = {1};
  for (double target : {1e12, 1e300, kMaxTargetFaPerHour}) {
    options.target_fa_per_hour = target;
    const CalibrationResult r = Calibrate(
        streams, labels, DefaultDetectorParams(2), 16000, 16000, options);
    EXPECT_EQ(r.budget, 2 * 1000) << target;  // 2 hours at the cap
    EXPECT_TRUE(r.target_met);
    EXPECT_EQ(r.score.found, 1);
    EXPECT_FLOAT_EQ(r.params.thresholds[0], 0.9f) << target;
  }
  options.target_fa_per_hour = std::nan("");
  EXPECT_EQ(Calibrate(streams, labels, DefaultDetectorParams(2), 16000, 16000,
                      options)
                .budget,
            0);
}

// CalibrateModel (kws calibrate, kws-train export) refuses a target above
// the cap and keyword-free minutes outside 0..kMaxKeywordFreeMinutes before
// any work (-1 and NaN used to pass as 0, 1e9 to plan without bound).
TEST(Calibration, ModelCalibrationRefusesOutOfRangeOptions) {
  const format::ModelFile file = testing::ToneModelFile(true);
  const std::string bytes = format::Serialize(file);
  std::shared_ptr<const Model> model =
      *Model::LoadFromBuffer(bytes.data(), bytes.size(), "tone");
  auto sources = std::make_shared<StreamSources>();
  sources->sample_rate = 16000;
  for (double target : {-1.0, 1001.0, 1e300, std::nan(""), HUGE_VAL}) {
    ModelCalibrationOptions options;
    options.target_fa_per_hour = target;
    const StatusOr<ModelCalibration> c =
        CalibrateModel(model, sources, options);
    ASSERT_FALSE(c.ok()) << target;
    EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(c.status().message().find("0..1000"), std::string::npos)
        << c.status().message();
  }
  for (double minutes : {-1.0, 6000.5, 1e9, std::nan("")}) {
    ModelCalibrationOptions options;
    options.keyword_free_minutes = minutes;
    const StatusOr<ModelCalibration> c =
        CalibrateModel(model, sources, options);
    ASSERT_FALSE(c.ok()) << minutes;
    EXPECT_NE(c.status().message().find("keyword-free minutes"),
              std::string::npos)
        << c.status().message();
    EXPECT_FALSE(PlanKeywordFree(sources, minutes, 1).ok()) << minutes;
  }
}

TEST(Calibration, DetCurveTradesMissesForFalseAlarms) {
  const std::vector<std::string> labels = {"go", "_unknown_"};
  std::vector<StreamEvent> events = {Event(15583 + 896 * 100 - 14000, 0)};
  const SpotTrace positive = Trace(1000, {{100, 0.9f}}, 1000 * 896);
  const SpotTrace negative = Trace(1000, {{500, 0.7f}}, 1000 * 896);
  DetectorParams params = DefaultDetectorParams(2);
  params.smoothing_runs = 1;
  const std::vector<DetPoint> det =
      DetCurve({{&positive, &events}, {&negative, nullptr}}, labels, params,
               16000, 16000);
  ASSERT_EQ(det.size(), ThresholdGrid().size());
  const double hours = 2000.0 * 896 / 16000 / 3600;
  for (const DetPoint& p : det) {
    const int false_alarms = p.threshold <= 0.7f ? 1 : 0;
    EXPECT_NEAR(p.fa_per_hour, false_alarms / hours, 1e-9) << p.threshold;
    EXPECT_EQ(p.miss_rate, p.threshold <= 0.9f ? 0.0 : 1.0) << p.threshold;
  }
}

TEST(Replay, GivesWhatTheSpotterReported) {
  format::ModelFile file = testing::ToneModelFile(true);
  const std::string bytes = format::Serialize(file);
  std::shared_ptr<const Model> model =
      *Model::LoadFromBuffer(bytes.data(), bytes.size(), "tone");
  StatusOr<Spotter> spotter = Spotter::Create(model);
  ASSERT_TRUE(spotter.ok());
  const std::vector<int16_t> pcm = testing::ToneStream(
      {{1.0, 0.5, false}, {3.0, 0.5, true}, {3.9, 0.4, false}}, 6.0);
  SpotTrace trace;
  trace.labels = 3;
  spotter->SetRunObserver(
      [](const SpotterRun& run, void* user) {
        auto* t = static_cast<SpotTrace*>(user);
        t->samples.push_back(run.sample);
        t->scores.insert(t->scores.end(), run.scores, run.scores + 3);
      },
      &trace);
  std::vector<Detection> reported;
  ASSERT_TRUE(spotter
                  ->Push(pcm.data(), pcm.size(), 16000,
                         [&](const Detection& d) { reported.push_back(d); })
                  .ok());
  ASSERT_FALSE(reported.empty());
  const std::vector<Detection> replayed =
      Replay(trace, model->labels(), spotter->params(), 16000);
  ASSERT_EQ(replayed.size(), reported.size());
  for (size_t i = 0; i < reported.size(); ++i) {
    EXPECT_EQ(replayed[i].label, reported[i].label);
    EXPECT_EQ(replayed[i].sample, reported[i].sample);
    EXPECT_EQ(replayed[i].score, reported[i].score);
    EXPECT_EQ(replayed[i].time_s, reported[i].time_s);
  }
}

}  // namespace
}  // namespace tinykws::streaming
