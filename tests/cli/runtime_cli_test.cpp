// kws predict, kws bench, kws features --model, and the lean binary's links.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../common/run_command.hpp"
#include "tinykws/audio.hpp"
#include "tinykws/runtime.hpp"

namespace tinykws::testing {
namespace {

const std::string kKws = TINYKWS_KWS_BINARY;
const std::string kModel = TINYKWS_TEST_MODEL;
const std::string kClip =
    std::string(TINYKWS_SOURCE_DIR) + "/data/fixtures/chirp.wav";

TEST(RuntimeCli, KwsLinksNoLibTorch) {
  // The libraries kws names in its dynamic section (NEEDED): readelf reads
  // the file, so this works for a cross-built kws too (ldd and the loader's
  // trace need to run it).
  const CommandResult r = RunCommand({"readelf", "-d", kKws});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_NE(r.out.find("(NEEDED)"), std::string::npos) << r.out;
  for (const char* lib : {"libtorch", "libc10", "libgomp", "libdnnl"}) {
    EXPECT_EQ(r.out.find(lib), std::string::npos) << lib << " in:\n" << r.out;
  }
  EXPECT_NE(r.out.find("libsndfile"), std::string::npos);  // audio files: yes
}

TEST(RuntimeCli, PredictPrintsPathLabelScore) {
  const CommandResult r =
      RunCommand({kKws, "predict", "--model", kModel, kClip, kClip});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 2u);
  const size_t tab1 = lines[0].find('\t'), tab2 = lines[0].rfind('\t');
  ASSERT_NE(tab1, tab2);
  EXPECT_EQ(lines[0].substr(0, tab1), kClip);
  // Label and score are what the library gives for the same file.
  StatusOr<std::shared_ptr<const Model>> model = Model::Load(kModel);
  ASSERT_TRUE(model.ok());
  StatusOr<AudioClip> clip = ReadAudio(kClip, 16000);
  ASSERT_TRUE(clip.ok());
  StatusOr<Session> session = Session::Create(*model);
  ClassifyResult expected;
  ASSERT_TRUE(session
                  ->Classify(clip->samples.data(), clip->samples.size(), 16000,
                             &expected)
                  .ok());
  EXPECT_EQ(lines[0].substr(tab1 + 1, tab2 - tab1 - 1),
            (*model)->labels()[expected.label]);
  char score[16];
  std::snprintf(score, sizeof score, "%.6f", expected.score);
  EXPECT_EQ(lines[0].substr(tab2 + 1), score);
}

TEST(RuntimeCli, PredictReportsBadFilesAndContinues) {
  const CommandResult r =
      RunCommand({kKws, "predict", "--model", kModel, "/no/a.wav", kClip});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(Lines(r.out).size(), 1u);
  EXPECT_NE(r.err.find("error: /no/a.wav"), std::string::npos) << r.err;
  const CommandResult bad =
      RunCommand({kKws, "predict", "--model", kClip, kClip});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("not a tinykws model file"), std::string::npos)
      << bad.err;
}

TEST(RuntimeCli, BenchJsonHasThePercentiles) {
  const CommandResult r =
      RunCommand({kKws, "bench", "--model", kModel, "--clips", "50", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  for (const char* part : {"mfcc_us", "inference_us", "total_us"}) {
    ASSERT_TRUE(j.contains(part)) << part;
    const double median = j[part]["median"], p90 = j[part]["p90"],
                 p99 = j[part]["p99"];
    EXPECT_GT(median, 0.0);
    EXPECT_LE(median, p90);
    EXPECT_LE(p90, p99);
  }
  EXPECT_EQ(j["clips"], 50);
  EXPECT_EQ(j["threads"], 1);
}

TEST(RuntimeCli, FeaturesFromTheModelMatchTheConfig) {
  const std::string config =
      std::string(TINYKWS_SOURCE_DIR) + "/configs/go_stop.toml";
  const CommandResult a =
      RunCommand({kKws, "features", "--model", kModel, kClip});
  const CommandResult b =
      RunCommand({kKws, "features", "--config", config, kClip});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  const CommandResult none = RunCommand({kKws, "features", kClip});
  EXPECT_NE(none.exit_code, 0);
  EXPECT_NE(none.err.find("--config"), std::string::npos);
}

}  // namespace
}  // namespace tinykws::testing
