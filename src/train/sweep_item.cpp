#include "train/sweep_item.hpp"

#include <chrono>
#include <filesystem>

#include "common/atomic_file.hpp"
#include "eval/evaluate.hpp"
#include "sweep/auth.hpp"
#include "sweep/run_files.hpp"
#include "train/exporter.hpp"
#include "train/trainer.hpp"

namespace tinykws::train {

// In the order the trainer writes them (best, metrics, then checkpoint), so
// a kill while the coordinator stores them leaves a folder the trainer
// itself could have left, which --resume continues.
const char* const kRunFilesToMove[6] = {"config.toml",   "best.pt",
                                        "metrics.jsonl", "checkpoint.pt",
                                        "summary.json",  "model.kws"};

namespace {

namespace fs = std::filesystem;

Status Measure(const std::string& model, const ItemContext& c,
               sweep::ItemResult* r) {
  for (const char* split : {"validation", "testing"}) {
    eval::EvalOptions o;
    o.model_path = model;
    o.data_dir = c.data_dir;
    o.split = split;
    o.threads = c.threads;
    o.latency_clips = 0;  // timed later, on a quiet machine
    eval::EvalReport report;
    TINYKWS_RETURN_IF_ERROR(eval::Evaluate(o, &report));
    (split[0] == 'v' ? r->val_int8 : r->test_int8) = report.accuracy;
    r->model_bytes = static_cast<int64_t>(report.model.bytes);
    r->macs = report.model.macs;
    r->parameters = report.model.parameters;
  }
  return Status::Ok();
}

Status Run(const sweep::ItemMessage& m, const ItemContext& c,
           const std::string& dir, sweep::ItemResult* r) {
  // Decode checked the id; this checks the result, whatever the id and the
  // links in the scratch folder: nothing outside it is removed or written.
  if (!sweep::IsValidTrialId(m.trial_id)) {
    return InvalidArgument("bad trial id");
  }
  TINYKWS_RETURN_IF_ERROR(sweep::CheckInside(c.scratch_dir, dir));
  TINYKWS_RETURN_IF_ERROR(sweep::CheckInside(c.scratch_dir, dir + ".toml"));
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(fs::path(dir).parent_path(), ec);
  TrainOptions o;
  o.data_dir = c.data_dir;
  o.out_dir = dir;
  o.cache_dir = c.cache_dir;
  o.threads = c.threads;
  o.quiet = true;
  o.stop_after_epoch = m.item.final ? -1 : m.item.epochs;
  o.handle_interrupt = false;
  o.data_parallel = false;  // the environment is the sweep's
  if (m.run_files.empty()) {
    o.config_path = dir + ".toml";
    o.seed = m.seed;
    TINYKWS_RETURN_IF_ERROR(WriteFileAtomically(o.config_path, m.config_toml));
  } else {
    TINYKWS_RETURN_IF_ERROR(sweep::UnpackFiles(
        m.run_files, dir,
        {std::begin(kRunFilesToMove), std::end(kRunFilesToMove)}));
    o.resume = true;
  }
  TrainResult trained;
  const auto start = std::chrono::steady_clock::now();
  const Status s = RunTraining(o, &trained);
  r->train_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  TINYKWS_RETURN_IF_ERROR(s);
  r->best_val_fp32 = trained.best_val_acc;
  if (!m.item.final) return Status::Ok();
  ExportOptions e;
  e.run_dir = dir;
  e.data_dir = c.data_dir;
  e.out_path = dir + "/model.kws";
  e.cache_dir = c.cache_dir;
  e.threads = c.threads;
  e.quiet = true;
  e.force = true;
  e.calibrate_detector = false;  // clip accuracy is what trials compare
  ExportReport exported;
  TINYKWS_RETURN_IF_ERROR(RunExport(e, &exported));
  return Measure(e.out_path, c, r);
}

}  // namespace

sweep::ResultMessage RunSweepItem(const sweep::ItemMessage& m,
                                  const ItemContext& c) {
  sweep::ResultMessage out;
  out.index = m.index;
  out.trial_id = m.trial_id;
  out.seed_index = m.item.seed_index;
  out.epochs = m.item.epochs;
  out.attempt = m.attempt;
  out.result.rank = c.rank;
  const std::string dir = c.scratch_dir + "/" + m.trial_id + "/seed" +
                          std::to_string(m.item.seed_index);
  Status s;
  try {
    s = Run(m, c, dir, &out.result);
  } catch (const std::exception& e) {
    s = InternalError(std::string("unexpected error: ") + e.what());
  }
  if (s.ok()) {
    StatusOr<std::string> files = sweep::PackFiles(
        dir, {std::begin(kRunFilesToMove), std::end(kRunFilesToMove)});
    if (files.ok()) {
      out.run_files = std::move(*files);
    } else {
      s = files.status();
    }
  }
  out.result.ok = s.ok();
  out.result.error = s.message();
  return out;
}

}  // namespace tinykws::train
