// Subcommands of the kws tool. Each Add*Command registers its options and a
// callback that stores the process exit code in *exit_code.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "tinykws/status.hpp"

namespace kws {

void AddFeaturesCommand(CLI::App& app, int* exit_code);
void AddPredictCommand(CLI::App& app, int* exit_code);
void AddBenchCommand(CLI::App& app, int* exit_code);
void AddEvalCommand(CLI::App& app, int* exit_code);
void AddSpotCommand(CLI::App& app, int* exit_code);
void AddSpotEvalCommand(CLI::App& app, int* exit_code);
void AddCalibrateCommand(CLI::App& app, int* exit_code);
void AddConvertCommand(CLI::App& app, int* exit_code);
void AddSynthCommand(CLI::App& app, int* exit_code);

// Prints "error: <message>" on stderr and returns the exit code for it.
int ReportError(const tinykws::Status& status);
// The same for an invalid argument found after parsing (a value outside
// what this model allows): exit 2, as CLI11's own usage errors.
int ReportUsageError(const tinykws::Status& status);

// One warning line for an audio file shorter than its header says
// (AudioClip::truncated): its audio was used as far as it goes.
void WarnTruncated(const std::string& path);

}  // namespace kws
