#include "train/sweep_output.hpp"

#include <chrono>
#include <cmath>
#include <filesystem>

#include "common/atomic_file.hpp"
#include "common/folder_lock.hpp"
#include "common/parallel.hpp"
#include "eval/evaluate.hpp"
#include "sweep/run_files.hpp"
#include "sweep/sweep_report.hpp"
#include "train/sweep_item.hpp"

namespace tinykws::train {

namespace {

namespace fs = std::filesystem;

// What the folder holds besides scratch: removed by --force.
const char* const kSweepEntries[] = {"plan.json", "trials",     "sweep.json",
                                     "sweep.md",  "sweep.html", "work"};

double Now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string Stem(const std::string& path) {
  return fs::path(path).stem().string();
}

}  // namespace

Status CheckSweepFolder(const SweepOptions& o) {
  std::error_code ec;
  if (o.out_dir.empty()) return InvalidArgument("--out is required");
  if (!fs::exists(o.out_dir, ec)) return Status::Ok();
  if (!fs::is_directory(o.out_dir, ec)) {
    return InvalidArgument(o.out_dir + ": exists and is not a folder");
  }
  const bool has_sweep = fs::exists(o.out_dir + "/plan.json", ec);
  if (o.resume && !has_sweep) {
    return NotFound(o.out_dir + ": no sweep to resume (no plan.json)");
  }
  if (o.resume) return Status::Ok();
  if (o.force) {
    for (const char* name : kSweepEntries) {
      fs::remove_all(o.out_dir + "/" + name, ec);
    }
    return Status::Ok();
  }
  if (has_sweep) {
    return InvalidArgument(o.out_dir +
                           ": holds a sweep; use --resume to continue it or "
                           "--force to start over");
  }
  bool empty = true;
  for (const auto& entry : fs::directory_iterator(o.out_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name != FolderLock::kFileName) empty = false;
  }
  if (!empty) {
    return InvalidArgument(o.out_dir +
                           ": is not empty; choose a new or empty folder");
  }
  return Status::Ok();
}

SweepFolder::SweepFolder(const SweepOptions& o, const sweep::SweepSpace& space,
                         int world_size, int epochs)
    : o_(o),
      space_(space),
      world_size_(world_size),
      epochs_(epochs),
      started_(Now()) {}

Status SweepFolder::Open(const std::vector<sweep::PlannedTrial>& trials,
                         const std::vector<int64_t>& seeds,
                         const std::vector<int>& rungs) {
  rungs_ = rungs;
  nlohmann::json plan = {{"seeds", seeds}, {"rungs", rungs}};
  for (const sweep::PlannedTrial& t : trials) {
    plan["trials"].push_back(
        {{"id", t.id}, {"config", t.config_toml}, {"error", t.config_error}});
  }
  const std::string path = o_.out_dir + "/plan.json";
  if (o_.resume) {
    StatusOr<std::string> kept = ReadWholeFile(path, size_t{1} << 28);
    if (!kept.ok()) return kept.status();
    if (nlohmann::json::parse(*kept, nullptr, false) != plan) {
      return InvalidArgument(
          o_.out_dir +
          ": the space, --trials, --seeds or --epochs differ "
          "from the sweep's; resume with the same ones, or use "
          "--force to start over");
    }
    // A sweep.json from the earlier runs (absent if none finished an item).
    StatusOr<std::string> earlier =
        ReadWholeFile(o_.out_dir + "/sweep.json", size_t{1} << 28);
    if (earlier.ok()) {
      const nlohmann::json j = nlohmann::json::parse(*earlier, nullptr, false);
      if (j.is_object() &&
          j.value("wall_seconds", nlohmann::json()).is_number()) {
        earlier_seconds_ = j["wall_seconds"].get<double>();
      }
    }
    return Status::Ok();
  }
  std::error_code ec;
  fs::create_directories(o_.out_dir, ec);
  return WriteFileAtomically(path, plan.dump(1) + "\n");
}

std::string SweepFolder::RunDir(const std::string& id, int seed_index) const {
  return o_.out_dir + "/trials/" + id + "/seed" + std::to_string(seed_index);
}

StatusOr<sweep::ItemResult> SweepFolder::KeptResult(
    const std::string& id, const sweep::WorkItem& item) const {
  const std::string path = RunDir(id, item.seed_index) + "/e" +
                           std::to_string(item.epochs) + ".json";
  StatusOr<std::string> text = ReadWholeFile(path, size_t{1} << 20);
  if (!text.ok()) return text.status();
  return sweep::ResultFromJson(nlohmann::json::parse(*text, nullptr, false));
}

StatusOr<std::string> SweepFolder::RunFiles(const std::string& id,
                                            int seed_index) const {
  return sweep::PackFiles(RunDir(id, seed_index), {std::begin(kRunFilesToMove),
                                                   std::end(kRunFilesToMove)});
}

Status SweepFolder::Keep(const std::string& id, const sweep::WorkItem& item,
                         const sweep::ResultMessage& r) {
  const std::string dir = RunDir(id, item.seed_index);
  TINYKWS_RETURN_IF_ERROR(sweep::UnpackFiles(
      r.run_files, dir,
      {std::begin(kRunFilesToMove), std::end(kRunFilesToMove)}));
  return WriteFileAtomically(dir + "/e" + std::to_string(item.epochs) + ".json",
                             sweep::ResultToJson(r.result).dump(1) + "\n");
}

sweep::SweepReport SweepFolder::Report(
    const sweep::Schedule& schedule,
    const std::vector<sweep::PlannedTrial>& trials,
    const std::vector<int64_t>& seeds) const {
  sweep::SweepReport r;
  r.name = Stem(o_.space_path);
  r.space_path = o_.space_path;
  r.base_config = space_.base_as_written;
  r.strategy = space_.strategy;
  r.early_stopping = space_.early_stopping;
  r.rungs = rungs_;
  r.epochs = epochs_;
  r.seeds = static_cast<int>(seeds.size());
  r.world_size = world_size_;
  r.wall_seconds = earlier_seconds_ + Now() - started_;
  r.latency_clips = space_.latency_clips;
  r.data_dir = o_.data_dir;
  r.trials = schedule.Results(trials, seeds);
  return r;
}

Status SweepFolder::WriteReports(const sweep::SweepReport& report,
                                 bool all) const {
  TINYKWS_RETURN_IF_ERROR(WriteFileAtomically(
      o_.out_dir + "/sweep.json", sweep::ToJson(report).dump(1) + "\n"));
  if (!all) return Status::Ok();
  TINYKWS_RETURN_IF_ERROR(WriteFileAtomically(
      o_.out_dir + "/sweep.md", sweep::RenderSweepMarkdown(report)));
  return WriteFileAtomically(o_.out_dir + "/sweep.html",
                             sweep::RenderSweepHtml(report));
}

Status SweepFolder::WriteProgress(
    const sweep::Schedule& schedule,
    const std::vector<sweep::PlannedTrial>& trials,
    const std::vector<int64_t>& seeds) {
  return WriteReports(Report(schedule, trials, seeds), false);
}

Status SweepFolder::Finish(const sweep::Schedule& schedule,
                           const std::vector<sweep::PlannedTrial>& trials,
                           const std::vector<int64_t>& seeds,
                           sweep::SweepReport* report) {
  sweep::SweepReport r = Report(schedule, trials, seeds);
  for (sweep::TrialResult& t : r.trials) {
    if (t.status != "ok") continue;
    eval::EvalOptions e;
    e.model_path = RunDir(t.id, 0) + "/model.kws";
    e.data_dir = o_.data_dir;
    e.split = "validation";
    e.threads = HardwareThreads();
    e.latency_clips = space_.latency_clips;
    eval::EvalReport measured;
    const Status s = eval::Evaluate(e, &measured);
    if (!s.ok()) {
      t.error = "latency not measured: " + s.message();
      continue;
    }
    t.latency_us = measured.latency.total.median;
    r.latency_kernel = measured.latency.kernel;
  }
  sweep::MarkParetoFront(&r.trials);
  r.wall_seconds = earlier_seconds_ + Now() - started_;
  TINYKWS_RETURN_IF_ERROR(WriteReports(r, true));
  *report = std::move(r);
  return Status::Ok();
}

}  // namespace tinykws::train
