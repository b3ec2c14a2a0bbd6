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

const char kModelAndTraining[] = R"(
[model]
blocks = [
  { type = "conv", filters = 8, kernel = 3 },
  { type = "batch_norm" },
  { type = "relu" },
  { type = "dropout", rate = 0.2 },
]
[training]
batch_size = 10
epochs = 2
optimizer = "adam"
learning_rate = 0.01
)";

// A valid config: before + features + model/training + after.
std::string WithFeatures(const std::string& before,
                         const std::string& after = "") {
  return before + "labels = [\"go\", \"stop\"]\n" + kFeatures + after +
         kModelAndTraining;
}

// Replaces the first occurrence of what in text (which must contain it).
std::string Replace(std::string text, const std::string& what,
                    const std::string& with) {
  const size_t at = text.find(what);
  EXPECT_NE(at, std::string::npos) << what;
  if (at != std::string::npos) text.replace(at, what.size(), with);
  return text;
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
  EXPECT_EQ(f.precision, FeaturePrecision::kFloat64);  // the default
}

TEST(Config, FrontEndPrecisionIsFloat64OrFloat32) {
  const StatusOr<KwsConfig> config = ParseConfig(
      WithFeatures("name = \"x\"\n", "precision = \"float32\"\n"), "t");
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->features.precision, FeaturePrecision::kFloat32);
  ExpectError(WithFeatures("name = \"x\"\n", "precision = \"float16\"\n"),
              "features.precision must be \"float64\" or \"float32\", got "
              "\"float16\"");
  ExpectError(WithFeatures("name = \"x\"\n", "precision = 32\n"),
              "features.precision must be a string");
}

TEST(Config, UnknownKeyIsNamed) {
  ExpectError(WithFeatures("name = \"x\"\n", "frame_lenght = 3\n"),
              "features.frame_lenght");
  ExpectError(WithFeatures("name = \"x\"\nnmae = \"y\"\n"), "'nmae'");
}

TEST(Config, WrongTypeIsNamed) {
  ExpectError(Replace(WithFeatures("name = \"x\"\n"), "mel_bins = 20",
                      "mel_bins = \"20\""),
              "features.mel_bins must be an integer, got a string");
  ExpectError(WithFeatures("name = 3\n"), "name must be a string");
}

TEST(Config, MissingKeyIsNamed) {
  ExpectError(Replace(WithFeatures("name = \"x\"\n"), "num_mfcc = 10", ""),
              "features.num_mfcc");
  ExpectError("name = \"x\"\nlabels = [\"a\", \"b\"]\n",
              "missing key 'features'");
}

TEST(Config, InvalidValueIsReportedWithTheFile) {
  ExpectError(Replace(WithFeatures("name = \"x\"\n"), "fmax_hz = 5000.0",
                      "fmax_hz = 9000.0"),
              "fmax_hz");
}

TEST(Config, OutOfRangeIntegerIsAnError) {
  ExpectError(Replace(WithFeatures("name = \"x\"\n"), "mel_bins = 20",
                      "mel_bins = 99999999999"),
              "out of range");
}

TEST(Config, BadTomlSyntaxGivesTheLine) {
  ExpectError("name = \"x\"\n[features\n", "test.toml:2");
}

TEST(Config, ModelBlocksAreParsed) {
  const StatusOr<KwsConfig> config =
      ParseConfig(WithFeatures("name = \"x\"\n"), "t");
  ASSERT_TRUE(config.ok()) << config.status().message();
  ASSERT_EQ(config->model.blocks.size(), 4u);
  const BlockSpec& conv = config->model.blocks[0];
  EXPECT_EQ(conv.type, BlockType::kConv);
  EXPECT_EQ(conv.filters, 8);
  EXPECT_EQ(conv.kernel_h, 3);
  EXPECT_EQ(conv.kernel_w, 3);
  EXPECT_EQ(conv.stride_h, 1);              // default
  EXPECT_EQ(conv.padding, Padding::kSame);  // default
  EXPECT_TRUE(conv.bias);                   // default
  EXPECT_EQ(config->model.blocks[3].rate, 0.2f);
  EXPECT_EQ(config->training.batch_size, 10);
  EXPECT_EQ(config->training.final_learning_rate, 0.01f);  // defaults to lr
  EXPECT_EQ(config->labels, (std::vector<std::string>{"go", "stop"}));
}

TEST(Config, ModelErrorsNameTheBlock) {
  const std::string ok = WithFeatures("name = \"x\"\n");
  ExpectError(
      Replace(
          ok, "{ type = \"conv\", filters = 8, kernel = 3 }",
          "{ type = \"conv\", filters = 8, kernel = 3, paddin = \"same\" }"),
      "model.blocks[0].paddin");
  ExpectError(Replace(ok, "{ type = \"relu\" }", "{ type = \"gelu\" }"),
              "model.blocks[2].type");
  ExpectError(Replace(ok, "rate = 0.2", "rate = 1.5"), "model.blocks[3].rate");
  ExpectError(Replace(ok,
                      "{ type = \"conv\", filters = 8, kernel = 3 },\n  { type "
                      "= \"batch_norm\" },",
                      "{ type = \"relu\" },"),
              "first block must be a conv");
  ExpectError(Replace(ok, "{ type = \"relu\" },",
                      "{ type = \"relu\" },\n  { type = \"batch_norm\" },"),
              "batch_norm must directly follow a conv");
  ExpectError(Replace(ok, "kernel = 3 }", "kernel = 13, padding = \"valid\" }"),
              "too small");
}

TEST(Config, TrainingAndLabelErrorsNameTheKey) {
  const std::string ok = WithFeatures("name = \"x\"\n");
  ExpectError(Replace(ok, "optimizer = \"adam\"", "optimizer = \"sgd\""),
              "training.optimizer");
  ExpectError(Replace(ok, "batch_size = 10", "batch_size = 0"),
              "training.batch_size");
  ExpectError(Replace(ok, "epochs = 2", "epochs = 2\nepoch = 3"),
              "training.epoch");
  ExpectError(Replace(ok, "[\"go\", \"stop\"]", "[\"go\", \"go\"]"),
              "listed twice");
  ExpectError(Replace(ok, "[\"go\", \"stop\"]", "[\"go\"]"), "at least 2");
  ExpectError(ok + "[data]\nunknown_share = 0.1\n", "_unknown_");
  ExpectError(ok + "[augment]\nnoise_probability = 0.5\n",
              "augment.noise_max_volume");
  ExpectError(ok + "[augment]\nspeed = 0.9\n", "augment.speed");
}

TEST(Config, ModelShapeAndCost) {
  StatusOr<KwsConfig> config = ParseConfig(WithFeatures("name = \"x\"\n"), "t");
  ASSERT_TRUE(config.ok());
  const StatusOr<ModelShape> shape =
      InferModelShape(config->model, config->features, 2);
  ASSERT_TRUE(shape.ok());
  EXPECT_EQ(shape->after_block[0].height, 34);
  EXPECT_EQ(shape->after_block[0].width, 10);
  EXPECT_EQ(shape->after_block[0].channels, 8);
  // conv 9*8 + 8, batch norm 2*8, dense (8 + 1) * 2
  EXPECT_EQ(shape->parameters, 80 + 16 + 18);
  EXPECT_EQ(shape->macs, 9 * 8 * 340 + 8 * 2);
  BlockSpec conv = config->model.blocks[0];
  conv.stride_h = conv.stride_w = 2;
  const ConvGeometry g = ConvOutput(conv, 34, 10);
  EXPECT_EQ(g.out_height, 17);
  EXPECT_EQ(g.out_width, 5);
  EXPECT_EQ(g.pad_top, 0);  // TF "same": total pad 1, the extra at the end
  EXPECT_EQ(g.pad_bottom, 1);
}

TEST(Config, KernelsMayDifferPerAxis) {
  const std::string ok = WithFeatures("name = \"x\"\n");
  StatusOr<KwsConfig> config = ParseConfig(
      Replace(ok, "kernel = 3 }",
              "kernel = [3, 10], padding = \"valid\", stride = [2, 1] }"),
      "t");
  ASSERT_TRUE(config.ok()) << config.status().message();
  const BlockSpec& conv = config->model.blocks[0];
  EXPECT_EQ(conv.kernel_h, 3);
  EXPECT_EQ(conv.kernel_w, 10);
  EXPECT_EQ(conv.stride_h, 2);
  EXPECT_EQ(conv.stride_w, 1);
  const StatusOr<ModelShape> shape =
      InferModelShape(config->model, config->features, 2);
  ASSERT_TRUE(shape.ok());
  EXPECT_EQ(shape->after_block[0].height, 16);  // (34 - 3) / 2 + 1
  EXPECT_EQ(shape->after_block[0].width, 1);
  ExpectError(Replace(ok, "kernel = 3 }", "kernel = [3, 10, 1] }"),
              "model.blocks[0].kernel");
  ExpectError(Replace(ok, "kernel = 3 }", "kernel = [3, \"a\"] }"),
              "model.blocks[0].kernel");
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

namespace tinykws {
namespace {

bool SameConfig(const KwsConfig& a, const KwsConfig& b) {
  // Compare through the writer: it spells out every field.
  return ConfigToToml(a) == ConfigToToml(b);
}

TEST(ConfigWriter, RoundTripsEveryShippedConfig) {
  for (const char* name :
       {"go_stop", "go_stop_tuned", "reference", "go_stop_4class",
        "go_stop_4class_f32", "go_stop_4class_small", "go_stop_fast"}) {
    const std::string path =
        std::string(TINYKWS_SOURCE_DIR) + "/configs/" + name + ".toml";
    const StatusOr<KwsConfig> config = LoadConfig(path);
    ASSERT_TRUE(config.ok()) << config.status().message();
    const std::string text = ConfigToToml(*config);
    const StatusOr<KwsConfig> again = ParseConfig(text, "resolved.toml");
    ASSERT_TRUE(again.ok()) << again.status().message() << "\n" << text;
    EXPECT_TRUE(SameConfig(*config, *again)) << text;
    EXPECT_EQ(again->features, config->features);
    EXPECT_EQ(again->training.learning_rate, config->training.learning_rate);
    EXPECT_EQ(again->model.blocks.size(), config->model.blocks.size());
  }
}

TEST(ConfigWriter, KeepsAwkwardFloatsExactly) {
  StatusOr<KwsConfig> config =
      LoadConfig(std::string(TINYKWS_SOURCE_DIR) + "/configs/go_stop.toml");
  ASSERT_TRUE(config.ok());
  config->training.learning_rate = 0.1f + 1e-8f;
  config->augment.noise_max_volume = 1.0f / 3.0f;
  config->features.log_offset = 1e-6f;
  const StatusOr<KwsConfig> again = ParseConfig(ConfigToToml(*config), "t");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->training.learning_rate, config->training.learning_rate);
  EXPECT_EQ(again->augment.noise_max_volume, config->augment.noise_max_volume);
  EXPECT_EQ(again->features.log_offset, 1e-6f);
}

// Found by the config fuzzer: names with control characters, quotes and
// backslashes must be written escaped, or the resolved config does not load.
TEST(ConfigWriter, EscapesEveryCharacterTomlForbidsRaw) {
  StatusOr<KwsConfig> config =
      LoadConfig(std::string(TINYKWS_SOURCE_DIR) + "/configs/go_stop.toml");
  ASSERT_TRUE(config.ok());
  // Split literal: "\x01e" would be one character.
  config->name = std::string(
      "a\"b\\c\bd\x01"
      "e\x7f\tf",
      12);
  config->labels = {"go\n", "st\"op"};
  const std::string text = ConfigToToml(*config);
  const StatusOr<KwsConfig> again = ParseConfig(text, "t");
  ASSERT_TRUE(again.ok()) << again.status().message() << "\n" << text;
  EXPECT_EQ(again->name, config->name);
  EXPECT_EQ(again->labels, config->labels);
  EXPECT_EQ(ConfigToToml(*again), text);
}

}  // namespace
}  // namespace tinykws
