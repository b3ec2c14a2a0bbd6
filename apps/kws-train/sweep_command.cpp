// kws-train sweep: the search (train/sweep_runner.hpp) and --pick.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "../common/cli_run.hpp"
#include "../common/number_flags.hpp"
#include "common/atomic_file.hpp"
#include "sweep/pick.hpp"
#include "train/feature_cache.hpp"
#include "train/sweep_runner.hpp"

namespace {

// A sweep whose reports are written but where some trial failed (docs/cli.md).
constexpr int kTrialsFailed = 4;

int Fail(const tinykws::Status& status) {
  std::fprintf(stderr, "error: %s\n", status.message().c_str());
  return status.code() == tinykws::StatusCode::kInternal ? 3 : 1;
}

// The config of the best finished trial of `from` meeting `constraints`.
tinykws::Status Pick(const std::string& constraints, const std::string& from,
                     const std::string& out, bool force) {
  using namespace tinykws;
  StatusOr<std::vector<sweep::Constraint>> parsed =
      sweep::ParseConstraints(constraints);
  if (!parsed.ok()) return parsed.status();
  TINYKWS_RETURN_IF_ERROR(CheckOutputFolder(out));
  if (!force && std::filesystem::exists(out)) {
    return InvalidArgument(out + ": exists (use --force to replace it)");
  }
  StatusOr<std::string> text = ReadWholeFile(from + "/sweep.json", 1 << 28);
  if (!text.ok()) return text.status();
  StatusOr<sweep::SweepReport> report =
      sweep::SweepFromJson(nlohmann::json::parse(*text, nullptr, false));
  if (!report.ok()) return report.status().WithPrefix(from + "/sweep.json");
  const int best = sweep::PickTrial(report->trials, *parsed);
  if (best < 0) {
    return NotFound("no finished trial of " + from + " meets \"" + constraints +
                    "\"");
  }
  const sweep::TrialResult& t = report->trials[static_cast<size_t>(best)];
  StatusOr<std::string> plan = ReadWholeFile(from + "/plan.json", 1 << 28);
  if (!plan.ok()) return plan.status();
  const nlohmann::json j = nlohmann::json::parse(*plan, nullptr, false);
  if (!j.is_object() || !j.contains("trials")) {
    return FormatError(from + "/plan.json: not a sweep plan");
  }
  for (const nlohmann::json& trial : j["trials"]) {
    if (trial.value("id", "") != t.id) continue;
    TINYKWS_RETURN_IF_ERROR(
        WriteFileAtomically(out, trial.value("config", "")));
    std::printf(
        "%s: trial %s, validation %.2f%%, testing %.2f%%, %lld bytes, "
        "%.1f us\n",
        out.c_str(), t.id.c_str(), 100 * t.val_accuracy, 100 * t.test_accuracy,
        static_cast<long long>(t.model_bytes), t.latency_us);
    return Status::Ok();
  }
  return FormatError(from + "/plan.json: no trial " + t.id);
}

}  // namespace

void AddSweep(CLI::App& app, int* exit_code, int argc, char** argv) {
  auto o = std::make_shared<tinykws::train::SweepOptions>();
  o->cache_dir = tinykws::train::DefaultCacheDir();
  o->argv.assign(argv, argv + argc);
  auto no_cache = std::make_shared<bool>(false);
  auto pick = std::make_shared<std::string>();
  auto from = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "sweep",
      "Train, export and measure every trial of a search space (one or many "
      "processes); report the Pareto front. With --pick: write the best "
      "config of a finished sweep that meets constraints.");
  cmd->add_option("--space", o->space_path,
                  "Search space (TOML), e.g. configs/sweeps/seed_study.toml");
  cmd->add_option("--data", o->data_dir,
                  "Data folder (required, except with --pick)");
  cmd->add_option("--out", o->out_dir,
                  "Sweep folder (with --pick: the config file to write)")
      ->required();
  cmd->add_option("--trials", o->trials, "Override the space's trials");
  cmd->add_option("--seeds", o->seeds, "Training seeds per trial");
  cmd->add_option("--epochs", o->epochs, "Override every trial's epochs");
  cmd->add_option("--workers", o->workers,
                  "Processes on this machine (threads each: cores / workers); "
                  "0 with RANK/WORLD_SIZE: this process only coordinates")
      ->check(tinykws::cli::WholeIn(0, tinykws::train::kMaxLocalWorkers))
      ->capture_default_str();
  cmd->add_option("--threads", o->threads, "Threads per process")
      ->check(tinykws::cli::WholeIn(0, tinykws::cli::kMaxThreads));
  cmd->add_option("--cache-dir", o->cache_dir, "Feature cache folder")
      ->capture_default_str();
  cmd->add_flag("--no-cache", *no_cache, "No feature cache");
  cmd->add_option("--worker-timeout", o->worker_timeout_s,
                  "Seconds without a heartbeat before a process's item is "
                  "run again")
      ->check(tinykws::cli::NumberIn(
          0.0, tinykws::train::kMaxWorkerTimeoutSeconds, true))
      ->capture_default_str();
  cmd->add_option("--token-file", o->token_file,
                  "Shared secret of the processes (needed when MASTER_ADDR "
                  "is not loopback; or TINYKWS_TOKEN_FILE)");
  cmd->add_flag("--resume", o->resume, "Continue the sweep in --out");
  cmd->add_flag("--force", o->force,
                "Start over in --out (with --pick: replace the file)");
  cmd->add_flag("-q,--quiet", o->quiet, "No progress output");
  cmd->add_option("--pick", *pick,
                  "Constraints, e.g. \"size<=8KB,latency<=50us\": write the "
                  "best finished trial's config that meets them to --out");
  cmd->add_option("--from", *from, "With --pick: the sweep folder");
  cmd->callback([o, no_cache, pick, from, exit_code] {
    if (!pick->empty()) {
      if (from->empty()) {
        *exit_code = Fail(tinykws::InvalidArgument("--pick needs --from DIR"));
        return;
      }
      const tinykws::Status s = Pick(*pick, *from, o->out_dir, o->force);
      if (!s.ok()) *exit_code = Fail(s);
      return;
    }
    if (o->data_dir.empty()) {
      std::fprintf(stderr, "error: --data is required\n");
      *exit_code = tinykws::cli::kUsageError;
      return;
    }
    if (*no_cache) o->cache_dir.clear();
    tinykws::sweep::SweepReport report;
    const tinykws::Status s = tinykws::train::RunSweep(*o, &report);
    if (!s.ok()) {
      *exit_code = Fail(s);
      return;
    }
    if (report.trials.empty()) return;  // a worker process
    int ok = 0, front = 0, failed = 0;
    for (const auto& t : report.trials) {
      ok += t.status == "ok";
      failed += t.status == "failed";
      front += t.pareto;
    }
    std::printf(
        "%zu trials (%d finished, %d on the Pareto front) in %.0f s: "
        "%s/sweep.html\n",
        report.trials.size(), ok, front, report.wall_seconds,
        o->out_dir.c_str());
    if (failed > 0) {
      // The reports are written; the exit code says they are incomplete.
      std::printf("%d trial%s failed (see %s/sweep.md)\n", failed,
                  failed == 1 ? "" : "s", o->out_dir.c_str());
      *exit_code = kTrialsFailed;
    }
  });
}
