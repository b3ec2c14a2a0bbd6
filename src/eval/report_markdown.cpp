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

// Report text is data, not markup: backslash-escape what Markdown or inline
// HTML would interpret ('|' would also split a table cell).
std::string Text(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '\n' || ch == '\r') {
      out += ' ';
      continue;
    }
    if (std::string_view("\\`*_[]<>&|~").find(ch) != std::string_view::npos)
      out += '\\';
    out += ch;
  }
  return out;
}

// Paths and hashes as code spans: readable raw, no escapes needed inside
// except '|' (tables); the fence is longer than any backtick run in s.
std::string Code(const std::string& s) {
  size_t run = 0, longest = 0;
  std::string body;
  for (char ch : s) {
    run = ch == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
    body += ch == '|' ? "\\|" : ch == '\n' ? " " : std::string(1, ch);
  }
  const std::string fence(longest + 1, '`');
  const std::string pad =
      !s.empty() && (s.front() == '`' || s.back() == '`') ? " " : "";
  return fence + pad + body + pad + fence;
}

std::string Row(const std::vector<std::string>& cells) {
  std::string out = "|";
  for (const std::string& c : cells) out += " " + c + " |";
  return out + "\n";
}

// Header row plus the separator; numeric columns (from `first_numeric` on)
// are right-aligned.
std::string Header(const std::vector<std::string>& names,
                   size_t first_numeric) {
  std::string sep = "|";
  for (size_t i = 0; i < names.size(); ++i)
    sep += i >= first_numeric ? " ---: |" : " --- |";
  return Row(names) + sep + "\n";
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
  out += Row({"accuracy",
              FormatPercent(NumberField(r, "accuracy"), 2) + " (" +
                  FormatGrouped(NumberField(r, "correct")) + " of n = " +
                  FormatGrouped(NumberField(Field(r, "data"), "clips")) + ")"});
  out += Row({"balanced accuracy",
              FormatPercent(NumberField(r, "balanced_accuracy"), 2)});
  out += Row({"model", Text(TextField(model, "precision")) + ", " +
                           FormatKilobytes(NumberField(model, "bytes")) + " (" +
                           FormatGrouped(NumberField(model, "bytes")) +
                           " bytes)"});
  out += Row({"MACs per clip", FormatGrouped(NumberField(model, "macs"))});
  out += Row({"parameters", FormatGrouped(NumberField(model, "parameters"))});
  out += Row({"median latency, total",
              FormatMicros(NumberField(Field(lat, "total"), "median"))});
  out +=
      Row({"median latency, MFCC + inference",
           FormatMicros(NumberField(Field(lat, "mfcc"), "median")) + " + " +
               FormatMicros(NumberField(Field(lat, "inference"), "median"))});
  const json& savings = Field(Field(r, "reference"), "savings_percent");
  if (savings.is_object()) {
    out += Row({"latency vs reference",
                Saving(NumberField(savings, "latency"), "faster", "slower")});
    out += Row({"size vs reference",
                Saving(NumberField(savings, "size"), "smaller", "larger")});
  }
  return out + "\n";
}

std::string PerClass(const json& r) {
  std::string out =
      "## Per label\n\n" +
      Header({"label", "precision", "recall", "F1", "support"}, 1);
  for (const json& c : Field(r, "per_class")) {
    out += Row({Text(TextField(c, "label")),
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
    labels.push_back(Text(FormatValue(l)));
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
    out += Row(cells);
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
                    " with the " + Code(TextField(lat, "kernel")) +
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
    out += Row({name, FormatFixed(NumberField(p, "median"), 1),
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
  out += Row({"path", Code(TextField(model, "path")),
              Code(TextField(other, "path")), ""});
  out += Row({"precision", Text(TextField(model, "precision")),
              Text(TextField(other, "precision")), ""});
  out +=
      Row({"file size", FormatGrouped(NumberField(model, "bytes")) + " bytes",
           FormatGrouped(NumberField(other, "bytes")) + " bytes",
           FormatPercent(NumberField(savings, "size") / 100, 1)});
  out += Row({"median latency", total(Field(r, "latency_us")),
              total(Field(ref, "latency_us")),
              FormatPercent(NumberField(savings, "latency") / 100, 1)});
  out += Row({"MACs per clip", FormatGrouped(NumberField(model, "macs")),
              FormatGrouped(NumberField(other, "macs")), ""});
  out += Row({"parameters", FormatGrouped(NumberField(model, "parameters")),
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
      cell += (cell.empty() ? "" : ", ") + Text(label) + " " +
              FormatFixed(score, 3);
    }
    out += Row({std::to_string(i + 1), Code(TextField(m, "path")),
                Text(TextField(m, "label")), Text(TextField(m, "predicted")),
                cell});
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
  std::string out = "## Training\n\nRun folder " + Code(TextField(run, "dir")) +
                    ", " + Plural(metrics.size(), "epoch") + " recorded.\n\n";
  if (summary.is_object()) {
    out += Header({"summary", "value"}, 1);
    for (const auto& [name, value] : TrainingHighlights(summary)) {
      out += Row({name, Text(value)});
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
    out += Row({epoch, FormatFixed(NumberField(m, "lr"), 6),
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
    per_label += (per_label.empty() ? "" : ", ") + Text(label) + " " +
                 Text(FormatValue(count));
  }
  for (const json& s : Field(data, "skipped_folders"))
    skipped += (skipped.empty() ? "" : ", ") + Code(FormatValue(s));
  std::string out = "## Data\n\n" + Header({"field", "value"}, 2);
  out += Row({"folder", Code(TextField(data, "dir"))});
  out += Row({"split", Text(SplitDescription(data))});
  out += Row({"clips", FormatGrouped(NumberField(data, "clips"))});
  out += Row({"clips per label", per_label});
  out += Row({"skipped folders", skipped.empty() ? "none" : skipped});
  out += Row(
      {"unreadable files", std::to_string(Field(data, "unreadable").size())});
  for (const json& u : Field(data, "unreadable")) {
    out += Row({"unreadable: " + Code(TextField(u, "path")),
                Text(TextField(u, "error"))});
  }
  const json& model = Field(r, "model");
  std::string labels;
  for (const json& l : Field(model, "labels"))
    labels += (labels.empty() ? "" : ", ") + Text(FormatValue(l));
  out += "\n## Model\n\n" + Header({"field", "value"}, 2);
  out += Row({"path", Code(TextField(model, "path"))});
  out += Row({"sha256", Code(TextField(model, "sha256"))});
  out += Row({"precision", Text(TextField(model, "precision"))});
  out += Row({"labels", labels});
  for (const auto& [key, value] : Field(model, "features").items()) {
    out += Row({"feature " + Code(key), Text(FormatValue(value))});
  }
  for (const auto& [key, value] : Field(model, "metadata").items()) {
    out += Row({"metadata " + Code(key), Text(FormatValue(value))});
  }
  return out;
}

}  // namespace

std::string RenderMarkdown(const json& r) {
  const json& data = Field(r, "data");
  std::string out = "# Keyword spotting evaluation: " +
                    Code(Basename(TextField(Field(r, "model"), "path"))) +
                    "\n\n" + "tinykws " +
                    Text(TextField(r, "tinykws_version")) + ", " +
                    Text(TextField(data, "split")) + " split of " +
                    Code(TextField(data, "dir")) + ", evaluated in " +
                    FormatFixed(NumberField(r, "eval_seconds"), 2) + " s on " +
                    Plural(NumberField(r, "threads"), "thread") + ".\n\n";
  return out + Headline(r) + PerClass(r) + Confusion(r) + LatencyTable(r) +
         Reference(r) + MisclassifiedList(r) + Training(r) + DataAndModel(r);
}

}  // namespace tinykws::eval
