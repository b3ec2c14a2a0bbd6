// kws-train: training (and export) with LibTorch. Thin: parses options and
// calls the train library.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "../common/cli_run.hpp"
#include "../common/number_flags.hpp"
#include "common/parallel.hpp"
#include "streaming/calibration.hpp"
#include "streaming/model_calibration.hpp"
#include "tinykws/detector.hpp"
#include "train/exporter.hpp"
#include "train/feature_cache.hpp"
#include "train/libtorch_bench.hpp"
#include "train/trainer.hpp"

void AddSweep(CLI::App& app, int* exit_code, int argc, char** argv);
void AddMine(CLI::App& app, int* exit_code);

namespace {

int Fail(const tinykws::Status& status) {
  std::fprintf(stderr, "error: %s\n", status.message().c_str());
  return status.code() == tinykws::StatusCode::kInternal ? 3 : 1;
}

void AddTrain(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<tinykws::train::TrainOptions>();
  o->cache_dir = tinykws::train::DefaultCacheDir();
  auto no_cache = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "train",
      "Train a keyword model from a config on a Speech Commands-style folder.");
  cmd->add_option("--config", o->config_path,
                  "Experiment config (TOML), e.g. configs/go_stop.toml");
  auto folders = std::make_shared<std::vector<std::string>>();
  cmd->add_option(
         "--data", *folders,
         "Data folder: one sub-folder per word, optional validation_list.txt / "
         "testing_list.txt. Give it again for more training data (e.g. a `kws "
         "synth` folder); validation and testing come from the first")
      ->required();
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
                  "Threads for LibTorch and data (default: all cores)")
      ->check(tinykws::cli::WholeIn(0, tinykws::cli::kMaxThreads));
  cmd->add_option("--token-file", o->token_file,
                  "Data-parallel runs: the processes' shared secret (needed "
                  "when MASTER_ADDR is not loopback; or TINYKWS_TOKEN_FILE)");
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
  cmd->callback([o, no_cache, folders, exit_code] {
    if (*no_cache) o->cache_dir.clear();
    if (!folders->empty()) {
      o->data_dir = folders->front();
      o->extra_data_dirs.assign(folders->begin() + 1, folders->end());
    }
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
    } else if (result.replica) {
      std::printf(
          "best epoch %d: validation accuracy %.4f (rank 0 writes "
          "the run)\n",
          result.best_epoch, result.best_val_acc);
    } else if (result.test_clips == 0) {
      std::printf(
          "best epoch %d: validation accuracy %.4f, no testing clips (%.1f s "
          "training)\n",
          result.best_epoch, result.best_val_acc, result.train_seconds);
    } else {
      std::printf(
          "best epoch %d: validation accuracy %.4f, testing accuracy %.4f "
          "(%.1f s training)\n",
          result.best_epoch, result.best_val_acc, result.test_acc,
          result.train_seconds);
    }
  });
}

void AddExport(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<tinykws::train::ExportOptions>();
  o->cache_dir = tinykws::train::DefaultCacheDir();
  CLI::App* cmd = app.add_subcommand(
      "export",
      "Fold batch norm, calibrate and quantize a run's best.pt into a .kws "
      "model file; report fp32 vs int8 validation accuracy and the size.");
  cmd->add_option("--run", o->run_dir,
                  "Run folder written by `kws-train train`")
      ->required();
  cmd->add_option("--data", o->data_dir,
                  "Data folder the run was trained on (calibration and "
                  "validation clips)")
      ->required();
  cmd->add_option("--out", o->out_path, "Model file to write (atomically)")
      ->required();
  cmd->add_option("--calibration-clips", o->calibration_clips,
                  "Training clips used to calibrate activation ranges")
      ->capture_default_str();
  cmd->add_option("--calibration", o->calibration,
                  "Activation ranges: minmax, percentile, mse, or auto (the "
                  "one whose int8 "
                  "model agrees best with fp32 on the calibration clips)")
      ->capture_default_str();
  cmd->add_option("--percentile", o->percentile,
                  "Percentile for --calibration percentile")
      ->capture_default_str();
  cmd->add_option("--precision", o->precision,
                  "int8 (default) or fp32 (for comparison)")
      ->capture_default_str();
  cmd->add_option("--threads", o->threads, "Threads (default: all cores)")
      ->check(tinykws::cli::WholeIn(0, tinykws::cli::kMaxThreads));
  cmd->add_option("--cache-dir", o->cache_dir, "Feature cache folder")
      ->capture_default_str();
  cmd->add_option("--target-fa-per-hour", o->target_fa_per_hour,
                  "Detector calibration: false alarms per hour to stay at or "
                  "below on the validation streams")
      ->check(
          tinykws::cli::NumberIn(0.0, tinykws::streaming::kMaxTargetFaPerHour))
      ->capture_default_str();
  cmd->add_option("--detector-minutes", o->detector_minutes,
                  "Detector calibration: minutes of keyword-free audio (other "
                  "words and noise of the validation split)")
      ->check(tinykws::cli::NumberIn(
          0.0, tinykws::streaming::kMaxKeywordFreeMinutes))
      ->capture_default_str();
  cmd->add_option("--negatives", o->detector_negatives,
                  "Detector calibration: keyword-free recordings (files or "
                  "folders, e.g. a `kws synth --voices validation` folder's "
                  "_speech_) whose false alarms count too");
  // The hop's upper bound is the model's frames per clip, checked when the
  // detector is stored; 1000 keeps the number sane before that.
  cmd->add_option("--hop-frames", o->hop_frames,
                  "Detector: run the network every N MFCC frames (default 2)")
      ->check(tinykws::cli::WholeIn(1, 1000));
  cmd->add_option("--refractory-ms", o->refractory_ms,
                  "Detector: no detection this soon after one (default 1000)")
      ->check(tinykws::cli::NumberIn(0.0, tinykws::kMaxRefractoryMs));
  auto no_detector = std::make_shared<bool>(false);
  cmd->add_flag("--no-detector-calibration", *no_detector,
                "Store no detector (spotters then use the defaults)");
  cmd->add_flag("--force", o->force, "Replace --out if it exists");
  cmd->callback([o, no_detector, exit_code] {
    if (*no_detector) o->calibrate_detector = false;
    tinykws::train::ExportReport r;
    const tinykws::Status status = tinykws::train::RunExport(*o, &r);
    if (!status.ok()) {
      *exit_code = Fail(status);
      return;
    }
    std::printf("wrote %s: %s, %zu bytes (%.1f KiB)%s%s\n", o->out_path.c_str(),
                o->precision.c_str(), r.file_bytes, r.file_bytes / 1024.0,
                r.calibration.empty() ? "" : ", calibration ",
                r.calibration.c_str());
    std::printf(
        "validation (%lld clips): fp32 %.4f, %s %.4f, same label on %.1f%%\n",
        static_cast<long long>(r.val_clips), r.val_acc_fp32,
        o->precision.c_str(), r.val_acc_int8, 100.0 * r.agreement);
    std::printf("folded model vs LibTorch: max logit difference %.2g\n",
                r.torch_max_logit_diff);
    if (r.unfinished_run) {
      std::printf("unfinished run: %s (this model is not the finished one)\n",
                  r.unfinished_note.c_str());
    }
    if (r.detector_calibrated) {
      std::printf(
          "detector: hop %d frames, smoothing %d runs, refractory "
          "%.0f ms; %s\n",
          r.detector.hop_frames, r.detector.smoothing_runs,
          r.detector.refractory_ms, r.detector_calibration.c_str());
    }
  });
}

// The LibTorch fp32 peer of `kws bench` (docs/benchmarks.md).
void AddBench(CLI::App& app, int* exit_code) {
  auto run = std::make_shared<std::string>();
  auto clips = std::make_shared<int>(2000);
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("bench",
                                     "Latency of the trained network in "
                                     "LibTorch fp32 (eval mode, batch 1, one "
                                     "thread), the peer of `kws bench`.");
  cmd->add_option("--run", *run, "Run folder (config.toml, best.pt)")
      ->required();
  cmd->add_option("--clips", *clips, "Timed clips")->capture_default_str();
  cmd->add_flag("--json", *json, "One JSON object");
  cmd->callback([run, clips, json, exit_code] {
    tinykws::train::LibTorchBenchResult r;
    const tinykws::Status s = tinykws::train::BenchLibTorch(*run, *clips, &r);
    if (!s.ok()) {
      *exit_code = Fail(s);
      return;
    }
    if (*json) {
      std::printf(
          "{\"peer\": \"libtorch_fp32\", \"mfcc_us\": {\"median\": %.2f}, "
          "\"inference_us\": {\"median\": %.2f, \"p90\": %.2f, \"p99\": %.2f}, "
          "\"clips\": %d}\n",
          r.mfcc_median_us, r.forward_median_us, r.forward_p90_us,
          r.forward_p99_us, r.clips);
    } else {
      std::printf(
          "LibTorch fp32, 1 thread, %d clips: forward median %.1f us (p90 "
          "%.1f, "
          "p99 %.1f); MFCC median %.1f us\n",
          r.clips, r.forward_median_us, r.forward_p90_us, r.forward_p99_us,
          r.mfcc_median_us);
    }
  });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"kws-train: train and export tinykws keyword models (LibTorch)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("tinykws ") + TINYKWS_VERSION);
  int exit_code = 0;
  AddTrain(app, &exit_code);
  AddExport(app, &exit_code);
  AddBench(app, &exit_code);
  AddSweep(app, &exit_code, argc, argv);
  AddMine(app, &exit_code);
  return tinykws::cli::Run(app, argc, argv, &exit_code);
}
