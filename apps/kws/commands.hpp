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

}  // namespace kws
