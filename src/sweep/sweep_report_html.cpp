// The sweep report as one self-contained HTML page: the evaluation reports'
// page and style (eval/report_page.hpp), headline tiles, accuracy against
// latency and against size as SVG scatter charts, and one row per trial.
// XHTML-compatible like the other reports, so a test can check structure.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "eval/report_format.hpp"
#include "eval/report_page.hpp"
#include "eval/svg_charts.hpp"
#include "sweep/sweep_charts.hpp"
#include "sweep/sweep_report.hpp"

namespace tinykws::sweep {

namespace {

using eval::FormatGrouped;
using eval::FormatKilobytes;
using eval::FormatMicros;
using eval::FormatPercent;
using eval::Plural;
using eval::html::Code;
using eval::html::E;
using eval::html::Tile;
using namespace report_text;  // NOLINT: the shared pieces of both renderings

constexpr const char* kDot = " \xC2\xB7 ";

std::string Processes(int n) {
  return std::to_string(n) + (n == 1 ? " process" : " processes");
}

std::string KilobytesText(int64_t bytes) {
  return bytes > 0 ? FormatKilobytes(static_cast<double>(bytes)) : kNotMeasured;
}

std::string LatencyText(double us) {
  return std::isfinite(us) ? FormatMicros(us)
                           : "latency " + std::string(kNotMeasured);
}

// Ids on the Pareto front, the first few: a tile is not a list.
std::string FrontIds(const std::vector<TrialResult>& trials) {
  constexpr size_t kShown = 8;
  const std::vector<const TrialResult*> front = ParetoTrials(trials);
  if (front.empty()) return "none yet";
  std::string out;
  for (size_t i = 0; i < std::min(front.size(), kShown); ++i) {
    out += (i ? ", " : "") + E(front[i]->id);
  }
  return front.size() > kShown ? out + ", \xE2\x80\xA6" : out;
}

std::string Tiles(const SweepReport& r) {
  const StatusCounts n = CountStatuses(r.trials);
  const TrialResult* best = BestTrial(r.trials);
  std::string out = "<section class=\"tiles\">";
  if (best != nullptr) {
    out += Tile(
        "hero", "Best validation accuracy",
        E(FormatPercent(best->val_accuracy, 2)),
        "<b>" + E(best->id) + "</b>" +
            (best->val_accuracies.size() > 1
                 ? kDot +
                       E("\xC2\xB1 " +
                         FormatPercent(SampleStd(best->val_accuracies), 2) +
                         " over " + Plural(best->val_accuracies.size(), "seed"))
                 : "") +
            kDot + "test " + E(AccuracyText(best->test_accuracy, {})));
    out += Tile("", "Best trial's model", E(KilobytesText(best->model_bytes)),
                E(LatencyText(best->latency_us)) + " per clip" + kDot +
                    E(CountText(best->macs)) + " MACs");
  } else {
    out += Tile("hero", "Best validation accuracy", kNotMeasured,
                "no trial has finished yet");
  }
  out += Tile("", "Trials", E(std::to_string(r.trials.size())),
              "<span class=\"good\">" + std::to_string(n.ok) + " ok</span>" +
                  kDot + std::to_string(n.stopped) + " stopped" + kDot +
                  (n.failed ? "<span class=\"bad\">" : "<span>") +
                  std::to_string(n.failed) + " failed</span>" + kDot +
                  std::to_string(n.pending) + " pending");
  out += Tile(
      "", "Pareto front",
      E(Plural(static_cast<double>(ParetoTrials(r.trials).size()), "trial")),
      FrontIds(r.trials));
  out += Tile("", "Wall time", E(DurationText(r.wall_seconds)),
              "on " + E(Processes(r.world_size)) + kDot +
                  E(Plural(r.seeds, "seed")) + " per trial");
  return out + "</section>";
}

std::string Chip(const std::string& name, const std::string& value_html) {
  return "<span>" + E(name) + " <b>" + value_html + "</b></span>";
}

std::string SettingsCard(const SweepReport& r) {
  return "<div class=\"card\"><h2>Settings</h2><div class=\"chips\">" +
         Chip("strategy", E(r.strategy)) +
         Chip("early stopping", E(EarlyStoppingText(r))) +
         Chip("seeds per trial", E(std::to_string(r.seeds))) +
         Chip("epochs", E(std::to_string(r.epochs))) +
         Chip("processes", E(std::to_string(r.world_size))) +
         Chip("wall time", E(DurationText(r.wall_seconds))) +
         Chip("data", Code(r.data_dir)) +
         Chip("latency", Code(r.latency_kernel) + " kernel, " +
                             E(Plural(r.latency_clips, "clip"))) +
         "</div></div>";
}

std::string Tooltip(const TrialResult& t) {
  return t.id + ": val " + AccuracyText(t.val_accuracy, t.val_accuracies) +
         ", " + LatencyText(t.latency_us) + ", " +
         KilobytesText(t.model_bytes) + " (" +
         FormatGrouped(static_cast<double>(t.model_bytes)) +
         " bytes) \xE2\x80\x94 " + ConfigDiff(t);
}

// Accuracy against one cost; `cost` is NaN where a trial has none.
std::string ChartCard(const SweepReport& r, const std::string& title,
                      const std::string& sub_html, const std::string& x_label,
                      double (*cost)(const TrialResult&)) {
  ScatterChart chart;
  chart.x_label = x_label;
  chart.y_label = "validation accuracy";
  chart.y_percent = true;
  for (const TrialResult& t : r.trials) {
    if (t.status != "ok") continue;  // others have no int8 measurements
    chart.points.push_back(
        {cost(t), t.val_accuracy, t.id, Tooltip(t), t.pareto, t.mark});
  }
  return "<div class=\"card\"><h2>" + E(title) + "</h2><p class=\"sub\">" +
         sub_html + "</p>" + RenderScatterChart(chart) + "</div>";
}

double Latency(const TrialResult& t) { return t.latency_us; }
double Kilobytes(const TrialResult& t) {
  return t.model_bytes > 0 ? static_cast<double>(t.model_bytes) / 1024 : NAN;
}

std::string Charts(const SweepReport& r) {
  const std::string common =
      "Finished trials: int8 validation accuracy" +
      std::string(r.seeds > 1 ? " (mean over seeds)" : "") +
      ". Filled: the Pareto front over accuracy, latency and size; "
      "diamonds: reference configs. Hover a point for its numbers.";
  return "<div class=\"row\">" +
         ChartCard(r, "Accuracy against latency",
                   E(common) + " Latency is the median per clip with the " +
                       Code(r.latency_kernel) + " kernel, one thread.",
                   "median latency per clip (\xC2\xB5s)", Latency) +
         ChartCard(r, "Accuracy against model size",
                   E(common) +
                       " Size is the int8 .kws file; 1 KiB = 1024 "
                       "bytes.",
                   "model size (KiB)", Kilobytes) +
         "</div>";
}

std::string ConfigCell(const TrialResult& t) {
  if (t.mark) return "mark: " + Code(t.mark_config);
  if (t.overrides.empty()) return "<span class=\"sub\">base config</span>";
  std::string out;
  for (const auto& [key, value] : t.overrides) {
    // Whole chips per line: a key broken mid-word is hard to read.
    out += std::string(out.empty() ? "" : " ") +
           "<code style=\"word-break:normal;white-space:nowrap\">" +
           E(key + "=" + eval::FormatValue(value)) + "</code>";
  }
  return out;
}

std::string StatusCell(const std::string& status) {
  const char* cls = status == "ok"       ? "good"
                    : status == "failed" ? "bad"
                                         : "sub";
  return std::string("<span class=\"") + cls + "\">" + E(status) + "</span>";
}

// The page pads cells 10 px a side; twelve columns need tighter ones.
std::string Td(const std::string& html, const char* cls = "",
               const char* style = "") {
  return std::string("<td") + (*cls ? " class=\"" : "") + cls +
         (*cls ? "\"" : "") + " style=\"padding:6px 6px;" + style + "\">" +
         html + "</td>";
}

// Validation as mean ± std (a stopped trial's marked as fp32), test as the
// mean only, to keep the table narrow; each seed's value on hover.
std::string AccuracyCell(const TrialResult& t, bool validation) {
  const double mean = validation ? t.val_accuracy : t.test_accuracy;
  const std::vector<double>& per_seed =
      validation ? t.val_accuracies : t.test_accuracies;
  const std::string seeds = PerSeedText(t.seeds, per_seed);
  std::string text =
      E(AccuracyText(mean, validation ? per_seed : std::vector<double>{}));
  if (validation && t.status == "stopped" && std::isfinite(mean)) {
    text += "<br/><span class=\"sub\">fp32 at epoch " +
            std::to_string(t.epochs) + "</span>";
  }
  if (!seeds.empty())
    text = "<span title=\"" + E(seeds) + "\">" + text + "</span>";
  return Td(text, "num", "white-space:nowrap");
}

std::string TrialRow(const TrialResult& t) {
  return "<tr class=\"trial\">" +
         Td(t.mark ? "<b>" + E(t.id) + "</b>" : E(t.id), "",
            "min-width:5.5em;overflow-wrap:anywhere") +
         Td(StatusCell(t.status)) + Td(ConfigCell(t)) +
         Td(E(t.epochs > 0 ? std::to_string(t.epochs) : kNotMeasured), "num") +
         AccuracyCell(t, true) + AccuracyCell(t, false) +
         Td(E(CountText(t.model_bytes)), "num") +
         Td(E(CountText(t.macs)), "num") +
         Td(E(MicrosText(t.latency_us)), "num") +
         Td(t.pareto ? "<b class=\"front\" style=\"color:#ea580c\">"
                       "\xE2\x9C\x93</b>"
                     : "",
            "", "text-align:center") +
         Td(t.rank >= 0 ? std::to_string(t.rank) : "", "num") +
         Td(E(t.error), "bad", "min-width:170px;overflow-wrap:anywhere") +
         "</tr>";
}

std::string TrialsCard(const SweepReport& r) {
  std::string out =
      "<div class=\"card\"><h2>Trials</h2><p class=\"sub\">Marks "
      "(reference configs) first, then the trials in the order of the "
      "space. Accuracies are of the int8 model through the runtime" +
      std::string(r.seeds > 1 ? "; validation is the mean \xC2\xB1 standard "
                                "deviation over " +
                                    Plural(r.seeds, "seed") +
                                    ", test the mean (hover for each seed)"
                              : "") +
      "; stopped trials show the best fp32 validation accuracy up to the "
      "rung where they stopped.</p><div style=\"overflow-x:auto\"><table>"
      "<thead><tr>";
  const std::pair<const char*, const char*> columns[] = {
      {"id", ""},
      {"status", ""},
      {"config", ""},
      {"epochs", "num"},
      {"val accuracy", "num"},
      {"test accuracy", "num"},
      {"bytes", "num"},
      {"MACs", "num"},
      {"latency <span class=\"unit\">\xC2\xB5s</span>", "num"},
      {"pareto", ""},
      {"rank", "num"},
      {"error", ""}};
  for (const auto& [name, cls] : columns) {
    out += std::string("<th") + (*cls ? " class=\"num\"" : "") +
           " style=\"padding:6px 6px\">" + name + "</th>";
  }
  out += "</tr></thead><tbody>";
  for (const TrialResult& t : r.trials) out += TrialRow(t);
  return out + "</tbody></table></div></div>";
}

}  // namespace

std::string RenderSweepHtml(const SweepReport& r) {
  std::string out = eval::html::PageStart(
      "tinykws sweep: " + r.name, "Hyperparameter sweep",
      Code(r.name) + kDot + E(r.strategy) + " search over " +
          Code(r.space_path) + " from " + Code(r.base_config),
      E(Plural(static_cast<double>(r.trials.size()), "trial")) + " on " +
          E(Processes(r.world_size)) + "<br/>wall time " +
          E(DurationText(r.wall_seconds)));
  out += Tiles(r);
  out += SettingsCard(r);
  out += Charts(r);
  out += TrialsCard(r);
  return out + eval::html::PageEnd();
}

}  // namespace tinykws::sweep
