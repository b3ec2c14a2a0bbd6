// The sweep report as GitHub-flavoured Markdown: settings, a summary and one
// table row per trial. Also the plain-text pieces the HTML page shares.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "eval/report_format.hpp"
#include "sweep/sweep_report.hpp"

namespace tinykws::sweep {

namespace report_text {

using eval::FormatFixed;

StatusCounts CountStatuses(const std::vector<TrialResult>& trials) {
  StatusCounts counts;
  for (const TrialResult& t : trials) {
    counts.ok += t.status == "ok";
    counts.stopped += t.status == "stopped";
    counts.failed += t.status == "failed";
    counts.pending += t.status == "pending";
  }
  return counts;
}

const TrialResult* BestTrial(const std::vector<TrialResult>& trials) {
  const TrialResult* best = nullptr;
  for (const TrialResult& t : trials) {
    if (t.status != "ok" || !std::isfinite(t.val_accuracy)) continue;
    if (best == nullptr || t.val_accuracy > best->val_accuracy) best = &t;
  }
  return best;
}

std::vector<const TrialResult*> ParetoTrials(
    const std::vector<TrialResult>& trials) {
  std::vector<const TrialResult*> front;
  for (const TrialResult& t : trials) {
    if (t.pareto) front.push_back(&t);
  }
  return front;
}

std::string ConfigDiff(const TrialResult& trial) {
  if (trial.mark) return "mark: " + trial.mark_config;
  std::string out;
  for (const auto& [key, value] : trial.overrides) {
    out += (out.empty() ? "" : ", ") + key + "=" + eval::FormatValue(value);
  }
  return out.empty() ? "base config" : out;
}

double SampleStd(const std::vector<double>& values) {
  double sum = 0;
  int n = 0;
  for (double v : values) {
    if (std::isfinite(v)) sum += v, ++n;
  }
  if (n < 2) return 0;
  const double mean = sum / n;
  double squares = 0;
  for (double v : values) {
    if (std::isfinite(v)) squares += (v - mean) * (v - mean);
  }
  return std::sqrt(squares / (n - 1));
}

std::string AccuracyText(double mean, const std::vector<double>& per_seed) {
  if (!std::isfinite(mean)) return kNotMeasured;
  if (per_seed.size() < 2) return eval::FormatPercent(mean, 2);
  return FormatFixed(mean * 100, 2) + " \xC2\xB1 " +
         FormatFixed(SampleStd(per_seed) * 100, 2) + "%";
}

std::string PerSeedText(const std::vector<int64_t>& seeds,
                        const std::vector<double>& accuracies) {
  if (accuracies.size() < 2) return "";
  std::string out;
  for (size_t i = 0; i < accuracies.size(); ++i) {
    out += (i ? ", " : "") + std::string("seed ") +
           (i < seeds.size() ? std::to_string(seeds[i]) : "?") + ": " +
           eval::FormatPercent(accuracies[i], 2);
  }
  return out;
}

std::string CountText(int64_t count) {
  return count > 0 ? eval::FormatGrouped(static_cast<double>(count))
                   : kNotMeasured;
}

std::string MicrosText(double us) {
  return std::isfinite(us) && us > 0 ? FormatFixed(us, 1) : kNotMeasured;
}

std::string EarlyStoppingText(const SweepReport& report) {
  if (report.early_stopping.empty() || report.early_stopping == "none")
    return "none";
  std::string rungs;
  for (int epoch : report.rungs) {
    rungs += (rungs.empty() ? "" : ", ") + std::to_string(epoch);
  }
  if (rungs.empty()) return report.early_stopping;
  return report.early_stopping + " at epoch" +
         (report.rungs.size() == 1 ? " " : "s ") + rungs;
}

std::string DurationText(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return kNotMeasured;
  if (seconds < 60) return FormatFixed(seconds, 1) + " s";
  const long long s = std::llround(seconds);
  char buf[64];
  if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%lld min %lld s", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lld h %02lld min", s / 3600, s / 60 % 60);
  }
  return buf;
}

}  // namespace report_text

namespace {

using eval::FormatGrouped;
using eval::FormatKilobytes;
using eval::FormatMicros;
using eval::Plural;
using namespace report_text;  // NOLINT: the shared pieces of both renderings

std::string Settings(const SweepReport& r) {
  std::string out = "| setting | value |\n| --- | --- |\n";
  out += eval::MarkdownRow({"space", eval::MarkdownCode(r.space_path)});
  out += eval::MarkdownRow({"base config", eval::MarkdownCode(r.base_config)});
  out += eval::MarkdownRow({"strategy", eval::MarkdownText(r.strategy)});
  out += eval::MarkdownRow(
      {"early stopping", eval::MarkdownText(EarlyStoppingText(r))});
  out += eval::MarkdownRow({"seeds per trial", std::to_string(r.seeds)});
  out += eval::MarkdownRow({"epochs", std::to_string(r.epochs)});
  out += eval::MarkdownRow({"processes", std::to_string(r.world_size)});
  out += eval::MarkdownRow({"wall time", DurationText(r.wall_seconds)});
  out += eval::MarkdownRow({"data", eval::MarkdownCode(r.data_dir)});
  out += eval::MarkdownRow({"latency", eval::MarkdownCode(r.latency_kernel) +
                                           " kernel, median of " +
                                           Plural(r.latency_clips, "clip") +
                                           " (MFCC + inference, one thread)"});
  return out + "\n";
}

std::string Summary(const SweepReport& r) {
  const StatusCounts n = CountStatuses(r.trials);
  std::string out = "## Summary\n\n- **" +
                    Plural(static_cast<double>(r.trials.size()), "trial") +
                    ":** " + std::to_string(n.ok) + " ok, " +
                    std::to_string(n.stopped) + " stopped, " +
                    std::to_string(n.failed) + " failed, " +
                    std::to_string(n.pending) + " pending\n";
  out += "- **Best validation accuracy:** ";
  if (const TrialResult* best = BestTrial(r.trials)) {
    out += eval::MarkdownText(best->id) + " with " +
           AccuracyText(best->val_accuracy, best->val_accuracies) + " (test " +
           AccuracyText(best->test_accuracy, {}) + "), " +
           FormatGrouped(static_cast<double>(best->model_bytes)) + " bytes (" +
           FormatKilobytes(best->model_bytes) + "), " +
           (std::isfinite(best->latency_us)
                ? FormatMicros(best->latency_us)
                : "latency " + std::string(kNotMeasured)) +
           "; " + eval::MarkdownText(ConfigDiff(*best)) + "\n";
  } else {
    out += "none yet (no trial has finished)\n";
  }
  std::string front;
  for (const TrialResult* t : ParetoTrials(r.trials)) {
    front += (front.empty() ? "" : ", ") + eval::MarkdownText(t->id);
  }
  out +=
      "- **Pareto front** (validation accuracy up, latency and bytes down): " +
      (front.empty() ? std::string("none") : front) + "\n\n";
  return out;
}

std::string ValidationCell(const TrialResult& t) {
  std::string cell = AccuracyText(t.val_accuracy, t.val_accuracies);
  if (t.status == "stopped" && std::isfinite(t.val_accuracy))
    cell += " (fp32 at epoch " + std::to_string(t.epochs) + ")";
  return cell;
}

std::string TrialTable(const SweepReport& r) {
  std::string out =
      "## Trials\n\nAccuracies are of the int8 model through the runtime" +
      std::string(r.seeds > 1 ? "; validation is the mean \xC2\xB1 standard "
                                "deviation over " +
                                    Plural(r.seeds, "seed") + ", test the mean"
                              : "") +
      "; stopped trials show the best fp32 validation accuracy up to the "
      "rung where they stopped. Latency is the median per clip in "
      "\xC2\xB5s.\n\n";
  out += eval::MarkdownRow({"id", "status", "config", "epochs", "val accuracy",
                            "test accuracy", "bytes", "MACs",
                            "latency \xC2\xB5s", "pareto", "rank", "error"});
  out +=
      "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: "
      "| ---: | --- |\n";
  for (const TrialResult& t : r.trials) {
    out += eval::MarkdownRow(
        {t.mark ? "**" + eval::MarkdownText(t.id) + "**"
                : eval::MarkdownText(t.id),
         eval::MarkdownText(t.status), eval::MarkdownText(ConfigDiff(t)),
         t.epochs > 0 ? std::to_string(t.epochs) : kNotMeasured,
         ValidationCell(t), AccuracyText(t.test_accuracy, {}),
         CountText(t.model_bytes), CountText(t.macs), MicrosText(t.latency_us),
         t.pareto ? "\xE2\x9C\x93" : "",
         t.rank >= 0 ? std::to_string(t.rank) : "",
         eval::MarkdownText(t.error)});
  }
  return out + "\n";
}

}  // namespace

std::string RenderSweepMarkdown(const SweepReport& report) {
  return "# Sweep " + eval::MarkdownText(report.name) + "\n\n" +
         Settings(report) + Summary(report) + TrialTable(report);
}

}  // namespace tinykws::sweep
