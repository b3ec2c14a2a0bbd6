// Each FeatureConfig validation rule, with a case that breaks it.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "../common/seed_config.hpp"

namespace tinykws {
namespace {

TEST(FeatureConfig, SeedConfigIsValidAndHas34Frames) {
  const FeatureConfig c = testing::SeedFeatureConfig();
  EXPECT_TRUE(ValidateFeatureConfig(c).ok());
  EXPECT_EQ(c.num_frames(), 34);
  EXPECT_EQ(c.num_fft_bins(), 401);
  EXPECT_EQ(c.num_features(), 340);
}

struct Rule {
  const char* field;
  std::function<void(FeatureConfig&)> breaks;
};

TEST(FeatureConfig, EveryRuleRejectsABadValue) {
  const std::vector<Rule> rules = {
      {"sample_rate", [](FeatureConfig& c) { c.sample_rate = 0; }},
      {"sample_rate", [](FeatureConfig& c) { c.sample_rate = 10000000; }},
      {"clip_samples", [](FeatureConfig& c) { c.clip_samples = -1; }},
      {"frame_length", [](FeatureConfig& c) { c.frame_length = 801; }},
      {"frame_length", [](FeatureConfig& c) { c.frame_length = 2; }},
      {"frame_length", [](FeatureConfig& c) { c.frame_length = 100000; }},
      {"frame_length", [](FeatureConfig& c) { c.clip_samples = 700; }},
      {"frame_step", [](FeatureConfig& c) { c.frame_step = 0; }},
      {"mel_bins", [](FeatureConfig& c) { c.mel_bins = 0; }},
      {"mel_bins", [](FeatureConfig& c) { c.mel_bins = 100000; }},
      {"fmin_hz", [](FeatureConfig& c) { c.fmin_hz = -1.0f; }},
      {"fmin_hz", [](FeatureConfig& c) { c.fmin_hz = NAN; }},
      {"fmax_hz", [](FeatureConfig& c) { c.fmax_hz = c.fmin_hz; }},
      {"fmax_hz", [](FeatureConfig& c) { c.fmax_hz = 8001.0f; }},
      {"num_mfcc", [](FeatureConfig& c) { c.num_mfcc = c.mel_bins + 1; }},
      {"num_mfcc", [](FeatureConfig& c) { c.num_mfcc = 0; }},
      {"log_offset", [](FeatureConfig& c) { c.log_offset = 0.0f; }},
  };
  for (const Rule& rule : rules) {
    FeatureConfig c = testing::SeedFeatureConfig();
    rule.breaks(c);
    const Status status = ValidateFeatureConfig(c);
    EXPECT_FALSE(status.ok()) << rule.field;
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(status.message().find(rule.field), std::string::npos)
        << status.message();
    EXPECT_FALSE(MfccExtractor::Create(c).ok()) << rule.field;
  }
}

TEST(FeatureConfig, EqualityComparesEveryField) {
  const FeatureConfig a = testing::SeedFeatureConfig();
  FeatureConfig b = a;
  EXPECT_EQ(a, b);
  b.log_offset *= 2.0f;
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace tinykws
