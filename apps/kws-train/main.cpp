// kws-train: training (and export) with LibTorch. Thin: parses options and
// calls the train library.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "common/parallel.hpp"
#include "train/feature_cache.hpp"
#include "train/trainer.hpp"

namespace {

constexpr const char* kDefaultData = "../shared/data/speech_commands";

int Fail(const tinykws::Status& status) {
  std::fprintf(stderr, "error: %s\n", status.message().c_str());
  return status.code() == tinykws::StatusCode::kInternal ? 3 : 1;
}

void AddTrain(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<tinykws::train::TrainOptions>();
  o->data_dir = kDefaultData;
  o->cache_dir = tinykws::train::DefaultCacheDir();
  auto no_cache = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "train",
      "Train a keyword model from a config on a Speech Commands-style folder.");
  cmd->add_option("--config", o->config_path,
                  "Experiment config (TOML), e.g. configs/go_stop.toml");
  cmd->add_option(
         "--data", o->data_dir,
         "Data folder: one sub-folder per word, optional validation_list.txt / "
         "testing_list.txt")
      ->capture_default_str();
  cmd->add_option("--out", o->out_dir,
                  "Run folder: config.toml, metrics.jsonl, checkpoint.pt, "
                  "best.pt, summary.json")
      ->required();
  cmd->add_option("--epochs", o->epochs, "Override [training] epochs");
  cmd->add_option(
      "--seed", o->seed,
      "Override [training] seed (same seed + threads = same weights)");
  cmd->add_option("--batch-size", o->batch_size,
                  "Override [training] batch_size");
  cmd->add_option("--lr", o->learning_rate,
                  "Override [training] learning_rate");
  cmd->add_option("--threads", o->threads,
                  "Threads for LibTorch and data (default: all cores)");
  cmd->add_option("--cache-dir", o->cache_dir, "Feature cache folder")
      ->capture_default_str();
  cmd->add_flag("--no-cache", *no_cache,
                "Do not read or write the feature cache");
  cmd->add_flag(
      "--resume", o->resume,
      "Continue the unfinished run in --out exactly where it stopped");
  cmd->add_flag("--force", o->force, "Start over even if --out holds a run");
  cmd->add_flag(
      "--skip-bad-clips", o->skip_bad_clips,
      "Warn about unreadable clips and train without them (default: error)");
  cmd->add_flag("-q,--quiet", o->quiet, "No progress output");
  cmd->add_flag("-v,--verbose", o->verbose, "More notes on stderr");
  cmd->add_option("--stop-after-steps", o->stop_after_steps,
                  "Stop as if interrupted after N steps (for testing resume)")
      ->group("");  // hidden
  cmd->callback([o, no_cache, exit_code] {
    if (*no_cache) o->cache_dir.clear();
    tinykws::train::TrainResult result;
    const tinykws::Status status = tinykws::train::RunTraining(*o, &result);
    if (!status.ok()) {
      *exit_code = Fail(status);
    } else if (result.interrupted) {
      std::fprintf(
          stderr,
          "interrupted: checkpoint written to %s/checkpoint.pt; continue "
          "with --resume\n",
          o->out_dir.c_str());
      *exit_code = 130;
    } else {
      std::printf(
          "best epoch %d: validation accuracy %.4f, testing accuracy %.4f "
          "(%.1f s training)\n",
          result.best_epoch, result.best_val_acc, result.test_acc,
          result.train_seconds);
    }
  });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"kws-train: train and export tinykws keyword models (LibTorch)"};
  app.require_subcommand(1);
  int exit_code = 0;
  AddTrain(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
