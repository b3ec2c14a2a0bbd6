// Each semantic rule, with a model that breaks it: Validate names the
// problem, and the same model written to bytes is refused by Parse.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "format/model_file.hpp"
#include "test_model.hpp"

namespace tinykws::format {
namespace {

using testing::GoStopLikeModel;
using testing::SameConv;

struct Rule {
  const char* text;  // expected in Validate's message
  std::function<void(ModelFile&)> breaks;
  Precision precision = Precision::kInt8;
};

void ExpectRuleRejects(const Rule& rule) {
  ModelFile m = GoStopLikeModel(rule.precision);
  rule.breaks(m);
  const Status status = Validate(m, "m.kws");
  ASSERT_FALSE(status.ok()) << "accepted; expected: " << rule.text;
  EXPECT_EQ(status.message().rfind("m.kws: ", 0), 0u) << status.message();
  EXPECT_NE(status.message().find(rule.text), std::string::npos)
      << "expected '" << rule.text << "' in: " << status.message();
  EXPECT_TRUE(status.code() == StatusCode::kInvalidArgument ||
              status.code() == StatusCode::kOutOfRange)
      << status.message();
  // The bytes of an invalid model never parse (a writer bug cannot produce
  // a file that some reader then trusts), with the same reason.
  const StatusOr<ModelFile> parsed = Parse(Serialize(m), "m.kws");
  ASSERT_FALSE(parsed.ok()) << rule.text;
  EXPECT_NE(parsed.status().message().find(rule.text), std::string::npos)
      << parsed.status().message();
  EXPECT_NE(parsed.status().code(), StatusCode::kInvalidArgument);
}

TEST(Validate, GoodModelsPass) {
  EXPECT_TRUE(Validate(GoStopLikeModel(Precision::kInt8), "m").ok());
  EXPECT_TRUE(Validate(GoStopLikeModel(Precision::kFloat32), "m").ok());
}

TEST(Validate, ShapeRules) {
  const float kNan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<Rule> rules = {
      {"graph precision is unknown (expected 1 = int8 or 2 = float32, found 3)",
       [](ModelFile& m) { m.precision = static_cast<Precision>(3); }},
      {"feature config: sample_rate out of range (expected 1..192000, found 0)",
       [](ModelFile& m) { m.features.sample_rate = 0; }},
      {"feature config: log_offset must be > 0",
       [kNan](ModelFile& m) { m.features.log_offset = kNan; }},
      {"conv layer count out of range (expected 1..64, found 0)",
       [](ModelFile& m) { m.convs.clear(); }},
      {"graph conv count 65 exceeds the limit of 64",
       [](ModelFile& m) { m.convs.resize(65, m.convs[1]); }},
      {"conv[1] in_channels does not match the shape chain (expected 24",
       [](ModelFile& m) { m.convs[1].in_channels = 12; }},
      {"conv[0] in_height does not match the shape chain (expected 34",
       [](ModelFile& m) { m.convs[0].in_height = 33; }},
      {"conv[1] in_width", [](ModelFile& m) { m.convs[1].in_width = 9; }},
      {"conv[0] out_height does not match",
       [](ModelFile& m) { m.convs[0].out_height = 33; }},
      {"conv[0] out_width", [](ModelFile& m) { m.convs[0].out_width = 11; }},
      {"conv[0] kernel_h out of range (expected 1..64, found 65)",
       [](ModelFile& m) { m.convs[0].kernel_h = 65; }},
      {"conv[0] kernel_w out of range",
       [](ModelFile& m) { m.convs[0].kernel_w = 0; }},
      {"conv[1] stride_h out of range (expected 1..8, found 0)",
       [](ModelFile& m) { m.convs[1].stride_h = 0; }},
      {"conv[1] stride_w out of range (expected 1..8, found 9)",
       [](ModelFile& m) { m.convs[1].stride_w = 9; }},
      {"conv[1] dilation_h out of range (expected 1..8, found 9)",
       [](ModelFile& m) { m.convs[1].dilation_h = 9; }},
      {"conv[1] dilation_w out of range (expected 1..8, found 0)",
       [](ModelFile& m) { m.convs[1].dilation_w = 0; }},
      {"conv[0] pad_bottom out of range (expected 0..2, found 3)",
       [](ModelFile& m) { m.convs[0].pad_bottom = 3; }},
      {"conv[0] pad_left out of range (expected 0..2, found -1)",
       [](ModelFile& m) { m.convs[0].pad_left = -1; }},
      {"conv[1] out_channels out of range (expected 1..1024, found 2000)",
       [](ModelFile& m) { m.convs[1].out_channels = 2000; }},
      {"conv[0] output would be empty",
       [](ModelFile& m) {
         ConvLayer& c = m.convs[0];
         c.kernel_h = 15;
         c.dilation_h = 8;  // span 113 > 34 + 0 pads
         c.pad_top = c.pad_bottom = c.pad_left = c.pad_right = 0;
       }},
      {"dense in_channels does not match the shape chain (expected 24",
       [](ModelFile& m) { m.dense.in_channels = 23; }},
      {"dense out_channels (one per label) does not match the shape chain "
       "(expected 3, found 2)",
       [](ModelFile& m) { m.labels.push_back("maybe"); }},
      {"dense pool_count does not match the shape chain (expected 340",
       [](ModelFile& m) { m.dense.pool_count = 34; }},
      {"label count out of range (expected 2..1000, found 1)",
       [](ModelFile& m) {
         m.labels.pop_back();
         m.dense.out_channels = 1;
       }},
      {"section 'labels' count 1001 exceeds its limit",
       [](ModelFile& m) { m.labels.resize(1001, "x"); }},
      {"total weights out of range (expected 0..16777216, found 236162048)",
       [](ModelFile& m) {
         m.convs = {SameConv(1, 1024, 15, 34, 10, true),
                    SameConv(1024, 1024, 15, 34, 10, true)};
         m.dense.in_channels = 1024;
       }},
  };
  for (const Rule& rule : rules) ExpectRuleRejects(rule);
}

TEST(Validate, LabelAndMetadataRules) {
  const std::vector<Rule> rules = {
      {"label 1 'go' is a duplicate",
       [](ModelFile& m) { m.labels[1] = m.labels[0]; }},
      {"label 0 is empty", [](ModelFile& m) { m.labels[0] = ""; }},
      {"label 1 is too long for its limit",
       [](ModelFile& m) { m.labels[1] = std::string(257, 'a'); }},
      {"label 0 is not valid UTF-8",
       [](ModelFile& m) { m.labels[0] = "g\xff"; }},
      {"label 1 is not valid UTF-8",  // overlong encoding of '/'
       [](ModelFile& m) { m.labels[1] = "\xc0\xaf"; }},
      {"label 1 is not valid UTF-8",  // truncated sequence
       [](ModelFile& m) { m.labels[1] = "stop\xe2\x82"; }},
      {"metadata entry 2 key 'created_by' is a duplicate",
       [](ModelFile& m) { m.metadata.push_back(m.metadata[1]); }},
      {"metadata entry 1 key is empty",
       [](ModelFile& m) { m.metadata[1].first = ""; }},
      {"metadata entry 0 value is too long for its limit",
       [](ModelFile& m) { m.metadata[0].second = std::string(65537, 'v'); }},
      {"section 'metadata' count 257 exceeds its limit",
       [](ModelFile& m) {
         for (int i = 0; i < 255; ++i)
           m.metadata.push_back({std::to_string(i), ""});
       }},
  };
  for (const Rule& rule : rules) ExpectRuleRejects(rule);
}

TEST(Validate, Int8ValueRules) {
  const float kNan = std::numeric_limits<float>::quiet_NaN();
  const float kInf = std::numeric_limits<float>::infinity();
  const std::vector<Rule> rules = {
      {"conv[0] output_zero_point out of range (expected -128..127, found 200)",
       [](ModelFile& m) { m.convs[0].output_zero_point = 200; }},
      {"input_zero_point out of range",
       [](ModelFile& m) { m.input_zero_point = -129; }},
      {"input_scale must be finite and > 0",
       [kNan](ModelFile& m) { m.input_scale = kNan; }},
      {"input_scale must be finite and > 0",
       [](ModelFile& m) { m.input_scale = 0.0f; }},
      {"conv[1] output_scale must be finite and > 0",
       [kNan](ModelFile& m) { m.convs[1].output_scale = kNan; }},
      {"conv[0] weight_scales[3] must be finite and > 0",
       [kInf](ModelFile& m) { m.convs[0].weight_scales[3] = kInf; }},
      {"dense output_scales[1] must be finite and > 0",
       [](ModelFile& m) { m.dense.output_scales[1] = -1.0f; }},
      {"dense weight_scales[0] must be finite and > 0",
       [](ModelFile& m) { m.dense.weight_scales[0] = -0.0f; }},
      {"conv[0] multipliers[0] out of range (expected 1073741824..2147483647, "
       "found 0)",
       [](ModelFile& m) { m.convs[0].multipliers[0] = 0; }},
      {"conv[1] multipliers[5] out of range",
       [](ModelFile& m) { m.convs[1].multipliers[5] = (1 << 30) - 1; }},
      {"conv[1] shifts[2] out of range (expected -31..0, found 1)",
       [](ModelFile& m) { m.convs[1].shifts[2] = 1; }},
      {"conv[1] shifts[2] out of range (expected -31..0, found -32)",
       [](ModelFile& m) { m.convs[1].shifts[2] = -32; }},
      {"conv[1] weights[5] out of range (expected -127..127, found -128)",
       [](ModelFile& m) { m.convs[1].weights[5] = -128; }},
      {"dense weights[47] out of range",
       [](ModelFile& m) { m.dense.weights[47] = -128; }},
      {"conv[1] int32 accumulator can overflow (taps * 255 * 127 + max "
       "|bias| >= 2^31)",
       [](ModelFile& m) { m.convs[1].bias[7] = 2147483647; }},
      {"conv[1] int32 accumulator can overflow",
       [](ModelFile& m) { m.convs[1].bias[0] = -2147483647 - 1; }},
      {"dense int32 accumulator can overflow (taps * 255 * 127",
       [](ModelFile& m) { m.dense.bias[1] = 2000000000; }},
      {"dense int32 accumulator can overflow",  // 340 values x 256 channels
       [](ModelFile& m) {
         m.convs[1] = SameConv(24, 256, 3, 34, 10, true);
         testing::Lcg rng(1);
         testing::FillInt8(m.convs[1], rng);
         m.dense.in_channels = 256;
         m.dense.weights.assign(2 * 256, 1);
       }},
      {"section 'weights' has the wrong size (expected 5448 bytes, found "
       "5447)",
       [](ModelFile& m) { m.convs[0].weights.pop_back(); }},
      {"section 'biases' has the wrong size",
       [](ModelFile& m) { m.convs[1].bias.push_back(0); }},
      {"section 'quant' has the wrong size",
       [](ModelFile& m) { m.convs[1].multipliers.clear(); }},
      {"section 'quant' has the wrong size",
       [](ModelFile& m) { m.convs[0].shifts.pop_back(); }},
      {"section 'quant' has the wrong size",
       [](ModelFile& m) { m.convs[0].weight_scales.pop_back(); }},
      {"section 'quant' has the wrong size",
       [](ModelFile& m) { m.dense.output_scales.pop_back(); }},
      {"section 'biases' has the wrong size",
       [](ModelFile& m) { m.dense.bias.clear(); }},
  };
  for (const Rule& rule : rules) ExpectRuleRejects(rule);
}

TEST(Validate, Float32ValueRules) {
  const float kNan = std::numeric_limits<float>::quiet_NaN();
  const Precision fp32 = Precision::kFloat32;
  const std::vector<Rule> rules = {
      {"conv[1] float_weights[100] must be finite",
       [kNan](ModelFile& m) { m.convs[1].float_weights[100] = kNan; }, fp32},
      {"dense float_bias[0] must be finite",
       [](ModelFile& m) { m.dense.float_bias[0] = -INFINITY; }, fp32},
      {"section 'weights' has the wrong size",
       [](ModelFile& m) { m.convs[0].float_weights.pop_back(); }, fp32},
      {"section 'weights' has the wrong size",
       [](ModelFile& m) { m.dense.float_weights.push_back(0); }, fp32},
      {"input_scale/input_zero_point must be 0 in a float32 model",
       [](ModelFile& m) { m.input_scale = 0.5f; }, fp32},
      {"conv[1] output_scale/output_zero_point must be 0 in a float32 model",
       [](ModelFile& m) { m.convs[1].output_zero_point = -128; }, fp32},
  };
  for (const Rule& rule : rules) ExpectRuleRejects(rule);
}

// Validate checks what would be written: arrays of the other precision are
// not part of the file, so they neither fail it nor come back from it.
TEST(Validate, ArraysOfTheOtherPrecisionAreNotWritten) {
  ModelFile int8 = GoStopLikeModel(Precision::kInt8);
  int8.convs[0].float_weights = {1.0f};
  int8.dense.float_bias = {1.0f, 2.0f};
  ModelFile fp32 = GoStopLikeModel(Precision::kFloat32);
  fp32.convs[0].shifts = std::vector<int32_t>(24, 0);
  fp32.dense.output_scales = {1.0f, 1.0f};
  for (const ModelFile* m : {&int8, &fp32}) {
    EXPECT_TRUE(Validate(*m, "m").ok()) << Validate(*m, "m").message();
    const StatusOr<ModelFile> parsed = Parse(Serialize(*m), "m");
    ASSERT_TRUE(parsed.ok()) << parsed.status().message();
    EXPECT_TRUE(parsed->convs[0].float_weights.empty() || m == &fp32);
    EXPECT_TRUE(parsed->convs[0].shifts.empty() || m == &int8);
    EXPECT_TRUE(parsed->dense.output_scales.empty() || m == &int8);
  }
}

}  // namespace
}  // namespace tinykws::format
