// The report as GitHub-flavoured Markdown: the numbers of the HTML report as
// tables, for pull requests, CI summaries and terminals.
#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "eval/report.hpp"
#include "eval/report_format.hpp"

namespace tinykws::eval {

namespace {

using nlohmann::json;

// Header row plus the separator; numeric columns (from `first_numeric` on)
// are right-aligned.
std::string Header(const std::vector<std::string>& names,
                   size_t first_numeric) {
  std::string sep = "|";
  for (size_t i = 0; i < names.size(); ++i)
    sep += i >= first_numeric ? " ---: |" : " --- |";
  return MarkdownRow(names) + sep + "\n";
}

// The JSON's savings are 100 * (reference - ours) / reference.
std::string Saving(double percent, const char* better, const char* worse) {
  return FormatFixed(std::abs(percent), 1) + "% " +
         (percent < 0 ? worse : better);
}

std::string Headline(const json& r) {
  const json& model = Field(r, "model");
  const json& lat = Field(r, "latency_us");
  std::string out = "## Headline\n\n" + Header({"metric", "value"}, 1);
  out += MarkdownRow(
      {"accuracy", FormatPercent(NumberField(r, "accuracy"), 2) + " (" +
                       FormatGrouped(NumberField(r, "correct")) + " of n = " +
                       FormatGrouped(NumberField(Field(r, "data"), "clips")) +
                       ")"});
  out += MarkdownRow({"balanced accuracy",
                      FormatPercent(NumberField(r, "balanced_accuracy"), 2)});
  out += MarkdownRow(
      {"model", MarkdownText(TextField(model, "precision")) + ", " +
                    FormatKilobytes(NumberField(model, "bytes")) + " (" +
                    FormatGrouped(NumberField(model, "bytes")) + " bytes)"});
  out += MarkdownRow({"MFCC front end", MarkdownText(FrontEndText(r))});
  out +=
      MarkdownRow({"MACs per clip", FormatGrouped(NumberField(model, "macs"))});
  out += MarkdownRow(
      {"parameters", FormatGrouped(NumberField(model, "parameters"))});
  out +=
      MarkdownRow({"median latency, total",
                   FormatMicros(NumberField(Field(lat, "total"), "median"))});
  out += MarkdownRow(
      {"median latency, MFCC + inference",
       FormatMicros(NumberField(Field(lat, "mfcc"), "median")) + " + " +
           FormatMicros(NumberField(Field(lat, "inference"), "median"))});
  const json& savings = Field(Field(r, "reference"), "savings_percent");
  if (savings.is_object()) {
    out += MarkdownRow(
        {"latency vs reference",
         Saving(NumberField(savings, "latency"), "faster", "slower")});
    out +=
        MarkdownRow({"size vs reference", Saving(NumberField(savings, "size"),
                                                 "smaller", "larger")});
  }
  return out + "\n";
}

std::string PerClass(const json& r) {
  std::string out =
      "## Per label\n\n" +
      Header({"label", "precision", "recall", "F1", "support"}, 1);
  for (const json& c : Field(r, "per_class")) {
    out += MarkdownRow({MarkdownText(TextField(c, "label")),
                        FormatFixed(NumberField(c, "precision"), 4),
                        FormatFixed(NumberField(c, "recall"), 4),
                        FormatFixed(NumberField(c, "f1"), 4),
                        FormatGrouped(NumberField(c, "support"))});
  }
  return out + "\n";
}

std::string Confusion(const json& r) {
  const json& confusion = Field(r, "confusion");
  std::vector<std::string> labels, head = {"true \\\\ predicted"};
  for (const json& l : Field(confusion, "labels"))
    labels.push_back(MarkdownText(FormatValue(l)));
  head.insert(head.end(), labels.begin(), labels.end());
  std::string out =
      "## Confusion matrix\n\nRows are the true label, columns the "
      "prediction.\n\n" +
      Header(head, 1);
  size_t i = 0;
  for (const json& row : Field(confusion, "matrix")) {
    std::vector<std::string> cells = {
        "**" + (i < labels.size() ? labels[i] : "?") + "**"};
    for (const json& v : row)
      cells.push_back(v.is_number() ? FormatGrouped(v.get<double>()) : "n/a");
    out += MarkdownRow(cells);
    ++i;
  }
  return out + "\n";
}

std::string LatencyTable(const json& r) {
  const json& lat = Field(r, "latency_us");
  std::string out = "## Latency per clip (\xC2\xB5s)\n\n" +
                    FormatGrouped(NumberField(lat, "clips")) +
                    " clips timed one after another on " +
                    Plural(NumberField(lat, "threads"), "thread") +
                    " with the " + MarkdownCode(TextField(lat, "kernel")) +
                    " kernels.\n\n" +
                    Header({"stage", "median", "p90", "p99", "mean"}, 1);
  const json& ref_lat = Field(Field(r, "reference"), "latency_us");
  for (const auto& [name, source, key] :
       {std::make_tuple("MFCC", &lat, "mfcc"),
        std::make_tuple("inference", &lat, "inference"),
        std::make_tuple("total", &lat, "total"),
        std::make_tuple("reference total", &ref_lat, "total")}) {
    if (!source->is_object()) continue;
    const json& p = Field(*source, key);
    out += MarkdownRow({name, FormatFixed(NumberField(p, "median"), 1),
                        FormatFixed(NumberField(p, "p90"), 1),
                        FormatFixed(NumberField(p, "p99"), 1),
                        FormatFixed(NumberField(p, "mean"), 1)});
  }
  return out + "\n";
}

std::string Reference(const json& r) {
  const json& ref = Field(r, "reference");
  if (!ref.is_object()) return "";
  const json& model = Field(r, "model");
  const json& other = Field(ref, "model");
  const json& savings = Field(ref, "savings_percent");
  auto total = [](const json& lat) {
    return FormatMicros(NumberField(Field(lat, "total"), "median"));
  };
  std::string out =
      "## Reference\n\n" + Header({"", "evaluated", "reference", "savings"}, 3);
  out += MarkdownRow({"path", MarkdownCode(TextField(model, "path")),
                      MarkdownCode(TextField(other, "path")), ""});
  out += MarkdownRow({"precision", MarkdownText(TextField(model, "precision")),
                      MarkdownText(TextField(other, "precision")), ""});
  out += MarkdownRow({"file size",
                      FormatGrouped(NumberField(model, "bytes")) + " bytes",
                      FormatGrouped(NumberField(other, "bytes")) + " bytes",
                      FormatPercent(NumberField(savings, "size") / 100, 1)});
  out += MarkdownRow({"median latency", total(Field(r, "latency_us")),
                      total(Field(ref, "latency_us")),
                      FormatPercent(NumberField(savings, "latency") / 100, 1)});
  out +=
      MarkdownRow({"MACs per clip", FormatGrouped(NumberField(model, "macs")),
                   FormatGrouped(NumberField(other, "macs")), ""});
  out += MarkdownRow({"parameters",
                      FormatGrouped(NumberField(model, "parameters")),
                      FormatGrouped(NumberField(other, "parameters")), ""});
  return out + "\n";
}

std::string MisclassifiedList(const json& r) {
  const json& list = Field(r, "misclassified");
  std::string out =
      "## Misclassified clips (" + std::to_string(list.size()) + ")\n\n";
  if (list.empty())
    return out + "None: every clip was classified correctly.\n\n";
  out += Header({"#", "clip", "true", "predicted", "scores"}, 5);
  const size_t shown = std::min<size_t>(list.size(), 100);
  for (size_t i = 0; i < shown; ++i) {
    const json& m = list[i];
    std::string cell;
    for (const auto& [label, score] : ScoresHighestFirst(Field(m, "scores"))) {
      cell += (cell.empty() ? "" : ", ") + MarkdownText(label) + " " +
              FormatFixed(score, 3);
    }
    out +=
        MarkdownRow({std::to_string(i + 1), MarkdownCode(TextField(m, "path")),
                     MarkdownText(TextField(m, "label")),
                     MarkdownText(TextField(m, "predicted")), cell});
  }
  if (shown < list.size()) {
    out += "\n" + std::to_string(list.size() - shown) +
           " more are listed in the JSON report.\n";
  }
  return out + "\n";
}

std::string Training(const json& r) {
  const json& run = Field(r, "run");
  if (!run.is_object()) return "";
  const json& metrics = Field(run, "metrics");
  const json& summary = Field(run, "summary");
  std::string out = "## Training\n\nRun folder " +
                    MarkdownCode(TextField(run, "dir")) + ", " +
                    Plural(metrics.size(), "epoch") + " recorded.\n\n";
  if (summary.is_object()) {
    out += Header({"summary", "value"}, 1);
    for (const auto& [name, value] : TrainingHighlights(summary)) {
      out += MarkdownRow({name, MarkdownText(value)});
    }
    out += "\n";
  }
  // First, best and last epoch: the shape of the run without 100 rows.
  std::vector<size_t> picks;
  const double best = NumberField(summary, "best_epoch");
  for (size_t i = 0; i < metrics.size(); ++i) {
    if (i == 0 || i + 1 == metrics.size() ||
        NumberField(metrics[i], "epoch") == best)
      picks.push_back(i);
  }
  if (picks.empty()) return out;
  out += Header({"epoch", "lr", "train loss", "train acc", "val loss",
                 "val acc", "seconds"},
                0);
  for (size_t i : picks) {
    const json& m = metrics[i];
    const std::string epoch =
        TextField(m, "epoch") +
        (NumberField(m, "epoch") == best ? " (best)" : "");
    out += MarkdownRow({epoch, FormatFixed(NumberField(m, "lr"), 6),
                        FormatFixed(NumberField(m, "train_loss"), 4),
                        FormatPercent(NumberField(m, "train_acc"), 2),
                        FormatFixed(NumberField(m, "val_loss"), 4),
                        FormatPercent(NumberField(m, "val_acc"), 2),
                        FormatFixed(NumberField(m, "seconds"), 2)});
  }
  return out + "\n";
}

std::string DataAndModel(const json& r) {
  const json& data = Field(r, "data");
  std::string per_label, skipped;
  for (const auto& [label, count] : Field(data, "clips_per_label").items()) {
    per_label += (per_label.empty() ? "" : ", ") + MarkdownText(label) + " " +
                 MarkdownText(FormatValue(count));
  }
  for (const json& s : Field(data, "skipped_folders"))
    skipped += (skipped.empty() ? "" : ", ") + MarkdownCode(FormatValue(s));
  std::string out = "## Data\n\n" + Header({"field", "value"}, 2);
  out += MarkdownRow({"folder", MarkdownCode(TextField(data, "dir"))});
  out += MarkdownRow({"split", MarkdownText(SplitDescription(data))});
  out += MarkdownRow({"clips", FormatGrouped(NumberField(data, "clips"))});
  out += MarkdownRow({"clips per label", per_label});
  out += MarkdownRow({"skipped folders", skipped.empty() ? "none" : skipped});
  out += MarkdownRow(
      {"unreadable files", std::to_string(Field(data, "unreadable").size())});
  for (const json& u : Field(data, "unreadable")) {
    out += MarkdownRow({"unreadable: " + MarkdownCode(TextField(u, "path")),
                        MarkdownText(TextField(u, "error"))});
  }
  const json& model = Field(r, "model");
  std::string labels;
  for (const json& l : Field(model, "labels"))
    labels += (labels.empty() ? "" : ", ") + MarkdownText(FormatValue(l));
  out += "\n## Model\n\n" + Header({"field", "value"}, 2);
  out += MarkdownRow({"path", MarkdownCode(TextField(model, "path"))});
  out += MarkdownRow({"sha256", MarkdownCode(TextField(model, "sha256"))});
  out +=
      MarkdownRow({"precision", MarkdownText(TextField(model, "precision"))});
  out += MarkdownRow({"labels", labels});
  for (const auto& [key, value] : Field(model, "features").items()) {
    out += MarkdownRow(
        {"feature " + MarkdownCode(key), MarkdownText(FormatValue(value))});
  }
  for (const auto& [key, value] : Field(model, "metadata").items()) {
    out += MarkdownRow(
        {"metadata " + MarkdownCode(key), MarkdownText(FormatValue(value))});
  }
  return out;
}

}  // namespace

std::string RenderMarkdown(const json& r) {
  const json& data = Field(r, "data");
  std::string out =
      "# Keyword spotting evaluation: " +
      MarkdownCode(Basename(TextField(Field(r, "model"), "path"))) + "\n\n" +
      "tinykws " + MarkdownText(TextField(r, "tinykws_version")) + ", " +
      MarkdownText(TextField(data, "split")) + " split of " +
      MarkdownCode(TextField(data, "dir")) + ", evaluated in " +
      FormatFixed(NumberField(r, "eval_seconds"), 2) + " s on " +
      Plural(NumberField(r, "threads"), "thread") + ".\n\n";
  return out + Headline(r) + PerClass(r) + Confusion(r) + LatencyTable(r) +
         Reference(r) + MisclassifiedList(r) + Training(r) + DataAndModel(r);
}

}  // namespace tinykws::eval
