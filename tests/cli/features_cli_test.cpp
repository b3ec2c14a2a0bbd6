// kws features, run as a user runs it.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "../common/run_command.hpp"
#include "../features/golden.hpp"

namespace tinykws::testing {
namespace {

const std::string kKws = TINYKWS_KWS_BINARY;
const std::string kConfig =
    std::string(TINYKWS_SOURCE_DIR) + "/configs/go_stop.toml";
const std::string kClip =
    std::string(TINYKWS_SOURCE_DIR) + "/data/fixtures/chirp.wav";

TEST(FeaturesCli, PrintsTheGoldenMfccsAsCsv) {
  const CommandResult r =
      RunCommand({kKws, "features", "--config", kConfig, kClip});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 34u);
  const GoldenMfcc golden = LoadGoldenMfcc("chirp");
  for (size_t f = 0; f < lines.size(); ++f) {
    std::istringstream row(lines[f]);
    std::string cell;
    int c = 0;
    while (std::getline(row, cell, ',')) {
      ASSERT_LT(c, 10);
      EXPECT_NEAR(std::stod(cell), golden.values[f * 10 + c], 1e-4);
      ++c;
    }
    EXPECT_EQ(c, 10);
  }
}

TEST(FeaturesCli, WritesNpyFile) {
  const std::string out = ::testing::TempDir() + "/chirp.npy";
  const CommandResult r = RunCommand({kKws, "features", "--config", kConfig,
                                      kClip, "--format", "npy", "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(out, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)),
                          std::istreambuf_iterator<char>());
  ASSERT_GE(bytes.size(), 10u);
  EXPECT_EQ(bytes.substr(0, 6), "\x93NUMPY");
  const size_t header =
      static_cast<uint8_t>(bytes[8]) | (static_cast<uint8_t>(bytes[9]) << 8);
  EXPECT_EQ((10 + header) % 64, 0u);
  EXPECT_NE(bytes.find("'shape': (34, 10)"), std::string::npos);
  EXPECT_EQ(bytes.size(), 10 + header + 340 * 4);
}

TEST(FeaturesCli, MissingAudioIsOneErrorLine) {
  const CommandResult r =
      RunCommand({kKws, "features", "--config", kConfig, "/no/such/clip.wav"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  const std::vector<std::string> lines = Lines(r.err);
  ASSERT_EQ(lines.size(), 1u) << r.err;
  EXPECT_EQ(lines[0].rfind("error: /no/such/clip.wav", 0), 0u) << lines[0];
}

TEST(FeaturesCli, MissingConfigIsOneErrorLine) {
  const CommandResult r =
      RunCommand({kKws, "features", "--config", "/no/such.toml", kClip});
  EXPECT_NE(r.exit_code, 0);
  const std::vector<std::string> lines = Lines(r.err);
  ASSERT_EQ(lines.size(), 1u) << r.err;
  EXPECT_NE(lines[0].find("/no/such.toml"), std::string::npos);
}

TEST(FeaturesCli, NonAudioFileIsAnError) {
  const CommandResult r =
      RunCommand({kKws, "features", "--config", kConfig, kConfig});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("not an audio file"), std::string::npos) << r.err;
}

TEST(FeaturesCli, HelpExplainsEveryOption) {
  const CommandResult r = RunCommand({kKws, "features", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* option :
       {"--config", "--format", "--output", "--verbose", "audio"}) {
    EXPECT_NE(r.out.find(option), std::string::npos) << option;
  }
}

TEST(FeaturesCli, UnknownFormatIsRejected) {
  const CommandResult r = RunCommand(
      {kKws, "features", "--config", kConfig, kClip, "--format", "json"});
  EXPECT_NE(r.exit_code, 0);
}

}  // namespace
}  // namespace tinykws::testing
