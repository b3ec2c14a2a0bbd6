// Config files: the shipped configs load; every kind of mistake is an error
// that names the file and the key.
#include "tinykws/config.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tinykws {
namespace {

const char kFeatures[] = R"(
[features]
sample_rate = 16000
clip_samples = 16000
frame_length = 800
frame_step = 448
mel_bins = 20
fmin_hz = 20
fmax_hz = 5000.0
num_mfcc = 10
log_offset = 1e-6
)";

std::string WithFeatures(const std::string& before,
                         const std::string& after = "") {
  return before + kFeatures + after;
}

void ExpectError(const std::string& text, const std::string& must_mention) {
  const StatusOr<KwsConfig> config = ParseConfig(text, "test.toml");
  ASSERT_FALSE(config.ok()) << "accepted:\n" << text;
  EXPECT_NE(config.status().message().find("test.toml"), std::string::npos)
      << config.status().message();
  EXPECT_NE(config.status().message().find(must_mention), std::string::npos)
      << config.status().message();
}

TEST(Config, ShippedSeedConfigLoads) {
  const StatusOr<KwsConfig> config =
      LoadConfig(std::string(TINYKWS_SOURCE_DIR) + "/configs/go_stop.toml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->name, "go_stop");
  EXPECT_EQ(config->features.num_frames(), 34);
  EXPECT_EQ(config->features.num_mfcc, 10);
}

TEST(Config, ParsesAllFeatureKeys) {
  const StatusOr<KwsConfig> config =
      ParseConfig(WithFeatures("name = \"x\"\n"), "t");
  ASSERT_TRUE(config.ok()) << config.status().message();
  const FeatureConfig& f = config->features;
  EXPECT_EQ(f.sample_rate, 16000);
  EXPECT_EQ(f.frame_step, 448);
  EXPECT_EQ(f.fmin_hz, 20.0f);  // an integer is accepted for a float key
  EXPECT_EQ(f.fmax_hz, 5000.0f);
  EXPECT_EQ(f.log_offset, 1e-6f);
}

TEST(Config, UnknownKeyIsNamed) {
  ExpectError(WithFeatures("name = \"x\"\n", "frame_lenght = 3\n"),
              "features.frame_lenght");
  ExpectError(WithFeatures("name = \"x\"\nnmae = \"y\"\n"), "'nmae'");
}

TEST(Config, WrongTypeIsNamed) {
  std::string text = WithFeatures("name = \"x\"\n");
  text.replace(text.find("mel_bins = 20"), 13, "mel_bins = \"20\"");
  ExpectError(text, "features.mel_bins must be an integer, got a string");
  ExpectError(WithFeatures("name = 3\n"), "name must be a string");
}

TEST(Config, MissingKeyIsNamed) {
  std::string text = WithFeatures("name = \"x\"\n");
  text.erase(text.find("num_mfcc = 10"), 13);
  ExpectError(text, "features.num_mfcc");
  ExpectError("name = \"x\"\n", "missing key 'features'");
}

TEST(Config, InvalidValueIsReportedWithTheFile) {
  std::string text = WithFeatures("name = \"x\"\n");
  text.replace(text.find("fmax_hz = 5000.0"), 16, "fmax_hz = 9000.0");
  ExpectError(text, "fmax_hz");
}

TEST(Config, OutOfRangeIntegerIsAnError) {
  std::string text = WithFeatures("name = \"x\"\n");
  text.replace(text.find("mel_bins = 20"), 13, "mel_bins = 99999999999");
  ExpectError(text, "out of range");
}

TEST(Config, BadTomlSyntaxGivesTheLine) {
  ExpectError("name = \"x\"\n[features\n", "test.toml:2");
}

TEST(Config, MissingFileIsNotFound) {
  const StatusOr<KwsConfig> config = LoadConfig("/nonexistent/dir/x.toml");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kNotFound);
  EXPECT_NE(config.status().message().find("/nonexistent/dir/x.toml"),
            std::string::npos);
}

}  // namespace
}  // namespace tinykws
