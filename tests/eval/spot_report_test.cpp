// kws spot-eval's report: SpotEvaluate on a tiny tone data folder with the
// tone model, then the JSON's numbers, and its HTML and Markdown renderings
// (well-formed, finite geometry, consistent tables, the same numbers).
#include <gtest/gtest.h>

#include "../common/tone_data.hpp"
#include "../common/tone_model.hpp"
#include "eval/report_format.hpp"
#include "eval/spot_evaluate.hpp"
#include "format/model_file.hpp"
#include "markup_checks.hpp"
#include "streaming/stream_builder.hpp"
#include "tinykws/audio.hpp"

namespace tinykws::eval {
namespace {

class SpotReport : public testing::ToneDataTest {
 protected:
  // The tone model (as tone.kws) on the whole tone data folder.
  SpotEvalOptions Options(const format::ModelFile& model,
                          double keyword_free_minutes) {
    EXPECT_TRUE(format::WriteModelFile(Path("tone.kws"), model).ok());
    SpotEvalOptions o;
    o.model_path = Path("tone.kws");
    o.data_dir = dir_;
    o.split = "all";
    o.keyword_free_minutes = keyword_free_minutes;
    return o;
  }

  nlohmann::json Evaluate(double keyword_free_minutes) {
    format::ModelFile model = testing::ToneModelFile(true);
    model.has_detector = true;
    model.detector = DefaultDetectorParams(3);
    model.detector.thresholds = {0.8f, 0.8f, 1.0f};
    SpotEvalOptions o = Options(model, keyword_free_minutes);
    o.threads = 2;
    StatusOr<nlohmann::json> r = SpotEvaluate(o);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : nlohmann::json();
  }
};

TEST_F(SpotReport, CarriesTheResultsAndRendersThem) {
  const nlohmann::json r = Evaluate(2.0);
  const nlohmann::json& res = r["results"];
  EXPECT_EQ(res["keywords"], 12);
  EXPECT_EQ(res["found"], 12);
  EXPECT_EQ(res["missed"], 0);
  EXPECT_EQ(res["false_alarms"], 0);
  EXPECT_EQ(res["fa_per_hour"], 0.0);
  // Delays are measured from the end of each tone (0.8 s into its clip).
  EXPECT_GT(res["delay_mean_s"].get<double>(), -0.5);
  EXPECT_LT(res["delay_p90_s"].get<double>(), 1.0);
  EXPECT_EQ(r["streams"].size(), 2u);  // the keyword stream, one free part
  int keyword_events = 0;
  for (const nlohmann::json& e : r["timeline"]["events"]) {
    keyword_events += e["label"] != "_unknown_";
    EXPECT_EQ(e["found"], e["label"] != "_unknown_");
  }
  EXPECT_EQ(keyword_events, 12);
  EXPECT_EQ(r["timeline"]["detections"].size(), 12u);
  EXPECT_EQ(r["detector"]["thresholds"]["low"], 0.8f);
  EXPECT_TRUE(r["detector"]["stored_in_model"].get<bool>());
  EXPECT_TRUE(r["false_alarm_list"].empty());
  EXPECT_TRUE(r["missed_list"].empty());

  const std::string html = RenderSpotHtml(r);
  EXPECT_EQ(CheckWellFormed(html), "");
  EXPECT_FALSE(HasNonFiniteGeometry(html));
  EXPECT_EQ(Count(html, "<svg"), 2);                    // DET curve, timeline
  EXPECT_NE(html.find(">100.0%<"), std::string::npos);  // keywords found
  EXPECT_NE(html.find("12 of 12 keywords"), std::string::npos);
  const std::string md = RenderSpotMarkdown(r);
  EXPECT_EQ(CheckMarkdownTables(md), "");
  EXPECT_NE(md.find("| 12 / 12 (100.00%) | 0 |"), std::string::npos) << md;
}

TEST_F(SpotReport, StatesTheDistinctAudioAndTheRateInterval) {
  const nlohmann::json r = Evaluate(10.0);
  const nlohmann::json& free = r["audio"]["keyword_free_streams"];
  // 10 minutes built from a handful of one-second clips: they repeat.
  EXPECT_NEAR(free["seconds"].get<double>(), 600.0, 1e-6);
  const nlohmann::json& speech = free["speech"];
  EXPECT_LT(speech["distinct_seconds"].get<double>(), 10.0);
  EXPECT_GT(speech["mean_repeats"].get<double>(), 10.0);
  EXPECT_LE(free["noise"]["distinct_seconds"].get<double>(), 20.0);
  EXPECT_EQ(r["audio"]["recordings"]["files"], 0);
  // No false alarm: the interval runs from 0 to 3.689 per total hours.
  const nlohmann::json& res = r["results"];
  const double hours = res["hours"].get<double>();
  EXPECT_EQ(res["fa_per_hour_low"].get<double>(), 0.0);
  EXPECT_NEAR(res["fa_per_hour_high"].get<double>(), 3.689 / hours, 1e-3);
  const std::string md = RenderSpotMarkdown(r);
  EXPECT_NE(md.find("95 % interval 0.00-"), std::string::npos) << md;
  EXPECT_NE(md.find("min of distinct word clips"), std::string::npos) << md;
  EXPECT_EQ(r["det_points"].size(), 3u);
  EXPECT_EQ(r["det_points"][0]["max_fa_per_hour"], 0.5);
}

TEST_F(SpotReport, CountsARecordingGivenTwiceOnce) {
  // A keyword-free recording, named once as a file and once by its folder
  // (hidden, so the data folder does not take it for a word).
  std::vector<int16_t> quiet(16000 * 3, 0);
  std::filesystem::create_directories(Path(".room"));
  ASSERT_TRUE(
      WriteWav(Path(".room/a.wav"), quiet.data(), quiet.size(), 16000).ok());
  SpotEvalOptions o = Options(testing::ToneModelFile(true), 0.0);
  o.negatives = {Path(".room/a.wav"), Path(".room")};
  StatusOr<nlohmann::json> r = SpotEvaluate(o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ((*r)["audio"]["recordings"]["files"], 1);
  EXPECT_NEAR((*r)["audio"]["recordings"]["seconds"].get<double>(), 3.0, 1e-9);
  o.negatives = {Path("nothing-here")};
  EXPECT_FALSE(SpotEvaluate(o).ok());
}

// --save-stream: the file is the keyword stream as rendered (written in
// chunks); a stream longer than a WAV file holds is refused before the
// data is even read, and leaves no file.
TEST_F(SpotReport, SavesTheKeywordStreamAndRefusesOneTooLong) {
  const format::ModelFile model = testing::ToneModelFile(true);
  SpotEvalOptions o = Options(model, 0.0);
  o.minutes = 0.5;  // several chunks
  o.save_stream = Path("stream.wav");
  ASSERT_TRUE(SpotEvaluate(o).ok());
  StatusOr<std::shared_ptr<const streaming::StreamSources>> sources =
      streaming::LoadStreamSources(dir_, model.labels, "all", 16000, 1);
  ASSERT_TRUE(sources.ok());
  StatusOr<streaming::SyntheticStream> stream =
      streaming::SyntheticStream::Plan(*sources, {0.5, true, o.seed});
  ASSERT_TRUE(stream.ok());
  std::vector<float> work(static_cast<size_t>(stream->size()));
  std::vector<int16_t> expected(work.size());
  stream->Render(0, expected.size(), work.data(), expected.data());
  StatusOr<AudioClip> saved = ReadAudio(o.save_stream, 16000);
  ASSERT_TRUE(saved.ok()) << saved.status().message();
  EXPECT_EQ(saved->samples, expected);

  o.save_stream = Path("long.wav");
  o.minutes = 2300;  // 2237 minutes fit at 16 kHz
  o.data_dir = Path("no-such-folder");
  const StatusOr<nlohmann::json> refused = SpotEvaluate(o);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(refused.status().message().rfind(o.save_stream, 0), 0u);
  EXPECT_NE(refused.status().message().find("4 GiB"), std::string::npos)
      << refused.status().message();
  EXPECT_FALSE(std::filesystem::exists(o.save_stream));
}

TEST_F(SpotReport, ListsFalseAlarmsAndMisses) {
  nlohmann::json r = Evaluate(0.0);
  // A missed keyword and a false alarm, as the renderers must show them.
  r["missed_list"].push_back({{"stream", "keywords"},
                              {"time_s", 3.5},
                              {"label", "low"},
                              {"clip", "low/a<b>_nohash_0.wav"},
                              {"best_score", 0.42}});
  r["false_alarm_list"].push_back({{"stream", "keyword-free 1"},
                                   {"time_s", 12.25},
                                   {"label", "high"},
                                   {"score", 0.93},
                                   {"context", "other/x_nohash_1.wav"}});
  const std::string html = RenderSpotHtml(r);
  EXPECT_EQ(CheckWellFormed(html), "");
  EXPECT_NE(html.find("low/a&lt;b&gt;_nohash_0.wav"), std::string::npos);
  EXPECT_NE(html.find("other/x_nohash_1.wav"), std::string::npos);
  const std::string md = RenderSpotMarkdown(r);
  EXPECT_NE(md.find("`high` 0.930000 on `other/x_nohash_1.wav`"),
            std::string::npos)
      << md;
  // A report missing everything still renders (no NaN geometry).
  const std::string empty = RenderSpotHtml(nlohmann::json::object());
  EXPECT_EQ(CheckWellFormed(empty), "");
  EXPECT_FALSE(HasNonFiniteGeometry(empty));
}

}  // namespace
}  // namespace tinykws::eval
