// kws convert --format c-array: the C source holds the model's bytes
// exactly, compiles as strict C99, and bad input writes nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "../common/run_command.hpp"
#include "../common/temp_dir_test.hpp"
#include "common/atomic_file.hpp"

namespace tinykws::testing {
namespace {

namespace fs = std::filesystem;
const std::string kKws = TINYKWS_KWS_BINARY;
const std::string kModel = TINYKWS_TEST_MODEL;

class ConvertCli : public TempDirTest {};

std::string Read(const std::string& path) {
  StatusOr<std::string> text = ReadWholeFile(path, size_t{64} << 20);
  EXPECT_TRUE(text.ok()) << text.status().message();
  return text.ok() ? *text : "";
}

TEST_F(ConvertCli, CArrayHoldsTheModelBytesAndCompilesAsC99) {
  const std::string out = Path("go-stop.model.c");
  const CommandResult r = RunCommand({kKws, "convert", "--model", kModel,
                                      "--out", out, "--format", "c-array"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string model = Read(kModel);
  const std::string source = Read(out);
  // The name comes from the file name; the size line matches the array.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      source, m, std::regex(R"(const size_t go_stop_model_size = (\d+);)")));
  EXPECT_EQ(std::stoul(m[1]), model.size());
  ASSERT_NE(source.find("const uint8_t go_stop_model[" +
                        std::to_string(model.size()) + "] = {"),
            std::string::npos);
  std::string bytes;
  const std::regex hex("0x([0-9a-f]{2}),");
  for (auto it = std::sregex_iterator(source.begin(), source.end(), hex);
       it != std::sregex_iterator(); ++it) {
    bytes += static_cast<char>(std::stoi((*it)[1], nullptr, 16));
  }
  EXPECT_TRUE(bytes == model) << "the array is not the model file";
  const CommandResult cc =
      RunCommand({"cc", "-std=c99", "-Wall", "-Wextra", "-pedantic", "-Werror",
                  "-c", out, "-o", Path("model.o")});
  EXPECT_EQ(cc.exit_code, 0) << cc.err;
}

TEST_F(ConvertCli, RefusesWhatItCannotWriteCorrectly) {
  const std::string out = Path("m.c");
  // A name that is not a C identifier.
  CommandResult r = RunCommand(
      {kKws, "convert", "--model", kModel, "--out", out, "--name", "9 lives"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("not a C identifier"), std::string::npos) << r.err;
  // A file that is not a valid model: nothing is written.
  WriteFileAtomically(Path("bad.kws"), Read(kModel).substr(0, 100));
  r = RunCommand({kKws, "convert", "--model", Path("bad.kws"), "--out", out});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad.kws"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
  // An existing output needs --force.
  ASSERT_EQ(
      RunCommand({kKws, "convert", "--model", kModel, "--out", out}).exit_code,
      0);
  r = RunCommand({kKws, "convert", "--model", kModel, "--out", out});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  EXPECT_EQ(RunCommand({kKws, "convert", "--model", kModel, "--out", out,
                        "--force", "--name", "my_model"})
                .exit_code,
            0);
  EXPECT_NE(Read(out).find("const uint8_t my_model["), std::string::npos);
}

}  // namespace
}  // namespace tinykws::testing
