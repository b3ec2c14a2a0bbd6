// kws eval: evaluate a model on a data split and write reports.
#include <cstdio>

#include "commands.hpp"
#include "common/atomic_file.hpp"
#include "eval/report.hpp"

namespace kws {

namespace {

struct EvalParams {
  tinykws::eval::EvalOptions options;
  std::string front_end;  // "", "float64" or "float32"
  std::string json_path, html_path, markdown_path, run_dir;
};

int RunEval(const EvalParams& p) {
  // Output folders are checked before the evaluation, not after it.
  for (const std::string* path :
       {&p.json_path, &p.html_path, &p.markdown_path}) {
    const tinykws::Status s = tinykws::CheckOutputFolder(*path);
    if (!s.ok()) return ReportError(s);
  }
  tinykws::eval::EvalOptions options = p.options;
  if (!p.front_end.empty()) {
    options.front_end = p.front_end == "float32"
                            ? tinykws::FeaturePrecision::kFloat32
                            : tinykws::FeaturePrecision::kFloat64;
  }
  tinykws::eval::EvalReport report;
  tinykws::Status s = tinykws::eval::Evaluate(options, &report);
  if (!s.ok()) return ReportError(s);
  for (const tinykws::eval::Unreadable& u : report.unreadable) {
    std::fprintf(stderr, "warning: skipped unreadable clip %s\n",
                 u.error.c_str());
  }
  for (const std::string& path : report.truncated) WarnTruncated(path);
  nlohmann::json json = tinykws::eval::ReportJson(report);
  if (!p.run_dir.empty()) {
    s = tinykws::eval::AddRunToReport(p.run_dir, &json);
    if (!s.ok()) return ReportError(s);
  }
  const struct {
    const std::string& path;
    std::string (*render)(const nlohmann::json&);
  } outputs[] = {
      {p.json_path, [](const nlohmann::json& j) { return j.dump(2) + "\n"; }},
      {p.html_path, tinykws::eval::RenderHtml},
      {p.markdown_path, tinykws::eval::RenderMarkdown},
  };
  for (const auto& out : outputs) {
    if (out.path.empty()) continue;
    s = tinykws::WriteFileAtomically(out.path, out.render(json));
    if (!s.ok()) return ReportError(s);
  }
  const auto& lat = report.latency;
  std::printf("model: %s (%s, %zu bytes, %lld MACs)\n",
              report.model.path.c_str(), report.model.int8 ? "int8" : "fp32",
              report.model.bytes, static_cast<long long>(report.model.macs));
  std::printf("MFCC front end: %s (the model was trained with %s)\n",
              tinykws::FeaturePrecisionName(report.front_end),
              tinykws::FeaturePrecisionName(report.model.features.precision));
  std::printf(
      "data: %s, split %s: %d clips, %zu unreadable, %zu folders skipped\n",
      report.data_dir.c_str(), report.split.c_str(), report.clips,
      report.unreadable.size(), report.skipped_folders.size());
  for (const auto& c : report.per_class) {
    std::printf("  %-12s precision %.4f  recall %.4f  (%d clips)\n",
                c.label.c_str(), c.precision, c.recall, c.support);
  }
  std::printf(
      "latency per clip, 1 thread (%s): mfcc %.1f us, inference %.1f us, total "
      "%.1f us "
      "(median)\n",
      lat.kernel.c_str(), lat.mfcc.median, lat.inference.median,
      lat.total.median);
  if (report.has_reference) {
    std::printf(
        "reference %s: total %.1f us, %zu bytes; savings: latency %.1f%%, size "
        "%.1f%%\n",
        report.reference.path.c_str(), report.reference_latency.total.median,
        report.reference.bytes, report.latency_savings_percent,
        report.size_savings_percent);
  }
  if (!p.html_path.empty())
    std::printf("html report: %s\n", p.html_path.c_str());
  std::printf("evaluated in %.2f s with %d threads\n", report.eval_seconds,
              report.threads);
  std::printf("accuracy: %.4f (n=%d)\n", report.accuracy, report.clips);
  return 0;
}

}  // namespace

void AddEvalCommand(CLI::App& app, int* exit_code) {
  auto p = std::make_shared<EvalParams>();
  p->options.progress = true;
  CLI::App* cmd = app.add_subcommand(
      "eval",
      "Evaluate a model on a Speech Commands-style folder; the last line is "
      "\"accuracy: A (n=N)\".");
  cmd->add_option("--model", p->options.model_path,
                  "Model file (.kws, int8 or fp32)")
      ->required();
  cmd->add_option("--data", p->options.data_dir,
                  "Data folder: one sub-folder per word (folders that are not "
                  "labels are "
                  "skipped, or mapped to _unknown_ when the model has it)")
      ->required();
  cmd->add_option("--split", p->options.split,
                  "testing, validation, training or all")
      ->check(CLI::IsMember({"testing", "validation", "training", "all"}))
      ->capture_default_str();
  cmd->add_option("--report", p->json_path, "Write the full report as JSON");
  cmd->add_option("--html", p->html_path, "Write a self-contained HTML report");
  cmd->add_option("--markdown", p->markdown_path,
                  "Write the report as Markdown tables");
  cmd->add_option("--reference", p->options.reference_path,
                  "Reference model: its latency and size, and the savings "
                  "100*(ref-ours)/ref");
  cmd->add_option(
      "--run", p->run_dir,
      "Training run folder: adds its training curves to the reports");
  cmd->add_option("--threads", p->options.threads,
                  "Threads (default: all cores)");
  cmd->add_option("--latency-clips", p->options.latency_clips,
                  "Clips timed on one thread for the latency percentiles")
      ->capture_default_str();
  cmd->add_option("--front-end", p->front_end,
                  "MFCC front end to run the clips through: float64 or "
                  "float32 (default: the one the model was trained with)")
      ->check(CLI::IsMember({"float64", "float32"}));
  cmd->add_flag("--strict", p->options.strict,
                "An unreadable clip is an error");
  cmd->callback([p, exit_code] { *exit_code = RunEval(*p); });
}

}  // namespace kws
