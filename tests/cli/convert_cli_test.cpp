// kws convert --format c-array: the C source holds the model's bytes
// exactly (and with --tables the micro runtime's tables blob), compiles as
// strict C99, and bad input writes nothing.
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

// The bytes of every "0x..," in text.
std::string HexBytes(const std::string& text) {
  std::string bytes;
  const std::regex hex("0x([0-9a-f]{2}),");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), hex);
       it != std::sregex_iterator(); ++it) {
    bytes += static_cast<char>(std::stoi((*it)[1], nullptr, 16));
  }
  return bytes;
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
  EXPECT_TRUE(HexBytes(source) == model) << "the array is not the model file";
  const CommandResult cc =
      RunCommand({"cc", "-std=c99", "-Wall", "-Wextra", "-pedantic", "-Werror",
                  "-c", out, "-o", Path("model.o")});
  EXPECT_EQ(cc.exit_code, 0) << cc.err;
}

// A C program that links the generated source with the micro runtime
// (compiled from src/micro here: this test does not link it): it writes
// the model's tables with kws_micro_write_tables to argv[1], checks that
// the array is that blob and 8-byte aligned, and runs the model in place
// with it.
const char kTablesProgram[] = R"(#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tinykws/micro.h"

extern const uint8_t go_stop[];
extern const size_t go_stop_size;
extern const uint8_t go_stop_tables[];
extern const size_t go_stop_tables_size;

static uint64_t blob[64 * 1024 / 8];
static uint64_t arena[64 * 1024 / 8];
static int16_t clip[16000];

int main(int argc, char** argv) {
  char error[256];
  size_t need = 0;
  int label = -1;
  kws_micro* kws = NULL;
  FILE* out;
  if (argc != 2) return 2;
  if (kws_micro_write_tables(go_stop, go_stop_size, blob, sizeof blob, error,
                             sizeof error) != KWS_MICRO_OK) {
    fprintf(stderr, "%s\n", error);
    return 3;
  }
  out = fopen(argv[1], "wb");
  if (out == NULL || fwrite(blob, 1, go_stop_tables_size, out) !=
                         go_stop_tables_size || fclose(out) != 0) {
    return 4;
  }
  if ((uintptr_t)go_stop_tables % 8 != 0) return 5;
  if (memcmp(blob, go_stop_tables, go_stop_tables_size) != 0) return 6;
  if (kws_micro_arena_size_with_tables(go_stop, go_stop_size, go_stop_tables,
                                       go_stop_tables_size, &need, error,
                                       sizeof error) != KWS_MICRO_OK ||
      need > sizeof arena ||
      kws_micro_init_with_tables(go_stop, go_stop_size, go_stop_tables,
                                 go_stop_tables_size, arena, need, &kws, error,
                                 sizeof error) != KWS_MICRO_OK) {
    fprintf(stderr, "%s\n", error);
    return 7;
  }
  clip[100] = 1000;
  if (kws_micro_classify(kws, clip, 16000, &label, NULL, NULL) !=
          KWS_MICRO_OK ||
      label < 0 || label >= kws_micro_num_labels(kws)) {
    return 8;
  }
  printf("%zu\n", need);
  return 0;
}
)";

TEST_F(ConvertCli, TablesArrayIsTheMicroRuntimesBlob) {
  const std::string out = Path("go_stop.c");
  const CommandResult r = RunCommand(
      {kKws, "convert", "--model", kModel, "--out", out, "--tables"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("go_stop_tables["), std::string::npos) << r.out;
  const std::string model = Read(kModel);
  const std::string source = Read(out);
  const size_t split = source.find("const size_t go_stop_tables_size = ");
  ASSERT_NE(split, std::string::npos);
  EXPECT_TRUE(HexBytes(source.substr(0, split)) == model)
      << "the model array is not the model file";
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      source, m, std::regex(R"(const size_t go_stop_tables_size = (\d+);)")));
  const std::string tables = HexBytes(source.substr(split));
  EXPECT_EQ(std::stoul(m[1]), tables.size());
  EXPECT_EQ(tables.substr(0, 8), "TKWSTAB1");
  EXPECT_NE(source.find("#if defined(__GNUC__) || defined(__clang__)\n"
                        "__attribute__((aligned(8)))\n#endif\n"
                        "const uint8_t go_stop_tables[" +
                        std::to_string(tables.size()) + "] = {"),
            std::string::npos);
  const std::vector<std::string> strict = {"cc",      "-std=c99",  "-Wall",
                                           "-Wextra", "-pedantic", "-Werror"};
  std::vector<std::string> cc = strict;
  cc.insert(cc.end(), {"-c", out, "-o", Path("model.o")});
  const CommandResult compiled = RunCommand(cc);
  EXPECT_EQ(compiled.exit_code, 0) << compiled.err;
  // The program: links the array with the micro runtime and runs it.
  ASSERT_TRUE(WriteFileAtomically(Path("main.c"), kTablesProgram).ok());
  const std::string src = std::string(TINYKWS_SOURCE_DIR);
  cc = strict;
  cc.insert(cc.end(), {"-ffp-contract=off", "-O1", "-I" + src + "/include",
                       "-I" + src + "/src", Path("main.c"), out});
  for (const auto& entry : fs::directory_iterator(src + "/src/micro")) {
    if (entry.path().extension() == ".c") cc.push_back(entry.path().string());
  }
  cc.insert(cc.end(), {"-lm", "-o", Path("run_tables")});
  const CommandResult linked = RunCommand(cc);
  ASSERT_EQ(linked.exit_code, 0) << linked.err;
  const CommandResult ran =
      RunCommand({Path("run_tables"), Path("written.bin")});
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_TRUE(Read(Path("written.bin")) == tables)
      << "the tables array is not what kws_micro_write_tables writes";
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
