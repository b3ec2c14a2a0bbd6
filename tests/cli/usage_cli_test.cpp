// The command-line contract of both tools (docs/cli.md): usage errors exit 2
// with one "error: " line, a mistyped option is named (with a suggestion)
// before a missing one is, --help and --version exit 0.
#include <gtest/gtest.h>

#include <filesystem>

#include "../common/run_command.hpp"

namespace tinykws::testing {
namespace {

const std::string kKws = TINYKWS_KWS_BINARY;

void ExpectUsageError(const std::vector<std::string>& argv,
                      const std::string& message) {
  const CommandResult r = RunCommand(argv);
  EXPECT_EQ(r.exit_code, 2) << argv[1] << ": " << r.err;
  EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
  EXPECT_EQ(Lines(r.err).size(), 1u) << r.err;
  EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
}

TEST(UsageCli, UsageErrorsExitTwoAndNameTheProblem) {
  ExpectUsageError({kKws, "predict", "--modle", "m.kws", "a.wav"},
                   "unknown option '--modle' (did you mean --model?) for "
                   "'predict'");
  ExpectUsageError({kKws, "eval", "--model", "m.kws"}, "--data is required");
  ExpectUsageError({kKws}, "A subcommand is required");
  ExpectUsageError({kKws, "predcit"},
                   "unknown command 'predcit' (did you mean predict?)");
  ExpectUsageError(
      {kKws, "eval", "--model", "m", "--data", "d", "--split", "later"},
      "--split");
  // A negative number is a value, not an option: -1 is refused as the
  // value of --refractory-ms (its domain), not as an unknown option.
  ExpectUsageError(
      {kKws, "spot", "--model", "/no/m.kws", "--refractory-ms", "-1", "x"},
      "--refractory-ms: must be a number in [0, 60000], got -1");
  const CommandResult negative = RunCommand(
      {kKws, "spot", "--model", "/no/m.kws", "--refractory-ms", "-0", "x"});
  EXPECT_EQ(negative.exit_code, 1) << negative.err;  // the missing model
}

// Both tools check their standard output (the rest of the kws commands:
// stdout_cli_test.cpp): --version on a full disk is exit 1, not 0.
TEST(UsageCli, VersionOnAFullDiskFails) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  for (const std::string& tool :
       {kKws, std::string(TINYKWS_TRAIN_BINARY_FOR_USAGE)}) {
    if (tool.empty()) continue;
    for (const char* flag : {"--version", "--help"}) {
      const CommandResult r = RunCommand(
          {"/bin/sh", "-c", "exec \"$@\" >/dev/full", "sh", tool, flag});
      EXPECT_EQ(r.exit_code, 1) << tool << " " << flag;
      EXPECT_EQ(r.err,
                "error: writing standard output: No space left on device\n")
          << tool << " " << flag;
    }
  }
}

TEST(UsageCli, HelpAndVersionExitZero) {
  for (const std::string& tool :
       {kKws, std::string(TINYKWS_TRAIN_BINARY_FOR_USAGE)}) {
    if (tool.empty()) continue;
    const CommandResult version = RunCommand({tool, "--version"});
    EXPECT_EQ(version.exit_code, 0) << tool;
    EXPECT_NE(version.out.find("tinykws "), std::string::npos) << tool;
    const CommandResult help = RunCommand({tool, "--help"});
    EXPECT_EQ(help.exit_code, 0) << tool;
    EXPECT_NE(help.out.find("Subcommands"), std::string::npos) << tool;
  }
}

}  // namespace
}  // namespace tinykws::testing
