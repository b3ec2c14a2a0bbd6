// kws convert --format onnx: writes the writer's bytes (exit 0), refuses
// --tables (usage, exit 2) and a model the writer refuses (exit 1), and
// writes nothing when it fails.
#include <gtest/gtest.h>

#include <filesystem>

#include "../common/run_command.hpp"
#include "../common/temp_dir_test.hpp"
#include "format/model_file.hpp"
#include "interop/onnx_writer.hpp"

namespace tinykws::testing {
namespace {

namespace fs = std::filesystem;
const std::string kKws = TINYKWS_KWS_BINARY;
const std::string kModel =
    TINYKWS_SOURCE_DIR "/tests/runtime/data/go_stop_tuned.kws";

class OnnxCli : public TempDirTest {};

TEST_F(OnnxCli, WritesTheWritersBytes) {
  const std::string out = Path("go_stop.onnx");
  const CommandResult r = RunCommand(
      {kKws, "convert", "--model", kModel, "--out", out, "--format", "onnx"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("wrote " + out + ": onnx"), std::string::npos) << r.out;
  StatusOr<format::ModelFile> model = format::ReadModelFile(kModel);
  ASSERT_TRUE(model.ok()) << model.status().message();
  StatusOr<std::string> expected = interop::ToOnnx(*model);
  ASSERT_TRUE(expected.ok()) << expected.status().message();
  EXPECT_TRUE(Slurp(out) == *expected) << "the file is not ToOnnx's bytes";
}

TEST_F(OnnxCli, TablesAreForCArraysOnly) {
  const std::string out = Path("go_stop.onnx");
  const CommandResult r =
      RunCommand({kKws, "convert", "--model", kModel, "--out", out, "--format",
                  "onnx", "--tables"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

// A valid .kws whose fixed-point multipliers disagree with its scales: the
// runtime runs it, ONNX's QLinearConv cannot express it.
TEST_F(OnnxCli, RefusesAModelTheWriterCannotExpress) {
  StatusOr<format::ModelFile> model = format::ReadModelFile(kModel);
  ASSERT_TRUE(model.ok()) << model.status().message();
  model->convs[0].multipliers[0] -= model->convs[0].multipliers[0] / 50;
  const std::string edited = Path("edited.kws");
  ASSERT_TRUE(format::WriteModelFile(edited, *model).ok());
  const std::string out = Path("edited.onnx");
  const CommandResult r = RunCommand(
      {kKws, "convert", "--model", edited, "--out", out, "--format", "onnx"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("error: " + edited + ": ONNX export: conv[0] channel 0"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace tinykws::testing
