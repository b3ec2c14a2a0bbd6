// kws: the lean command-line tool (no LibTorch). Each subcommand lives in
// its own file; this one only wires them up.
#include <CLI/CLI.hpp>

#include "../common/cli_run.hpp"
#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"kws: tiny keyword spotting - features, inference, evaluation"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("tinykws ") + TINYKWS_VERSION);
  int exit_code = 0;
  kws::AddFeaturesCommand(app, &exit_code);
  kws::AddPredictCommand(app, &exit_code);
  kws::AddBenchCommand(app, &exit_code);
  kws::AddEvalCommand(app, &exit_code);
  kws::AddSpotCommand(app, &exit_code);
  kws::AddSpotEvalCommand(app, &exit_code);
  kws::AddCalibrateCommand(app, &exit_code);
  kws::AddConvertCommand(app, &exit_code);
  kws::AddSynthCommand(app, &exit_code);
  return tinykws::cli::Run(app, argc, argv, &exit_code);
}
