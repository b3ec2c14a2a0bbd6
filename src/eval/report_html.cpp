// The report as one self-contained HTML file: inline CSS and inline SVG, no
// scripts, fonts or network, so it can be attached to a CI run or mailed and
// still open offline. Written XHTML-compatible (every element closed, every
// attribute quoted, all report text escaped) so a test can check structure.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "eval/report.hpp"
#include "eval/report_page.hpp"
#include "eval/svg_charts.hpp"

namespace tinykws::eval {

namespace {

using nlohmann::json;

using html::Code;
using html::E;
using html::Tile;

// Savings as the JSON has them (100 * (reference - ours) / reference), green
// when positive: a negative saving is a regression and should look like one.
std::string Saving(double percent) {
  return std::string("<span class=\"") + (percent < 0 ? "bad" : "good") +
         "\">" + FormatFixed(percent, 1) + "%</span>";
}

std::string Tiles(const json& r) {
  const json& model = Field(r, "model");
  const json& total = Field(Field(r, "latency_us"), "total");
  const double mfcc =
      NumberField(Field(Field(r, "latency_us"), "mfcc"), "median");
  const double inference =
      NumberField(Field(Field(r, "latency_us"), "inference"), "median");
  const double clips = NumberField(Field(r, "data"), "clips");
  std::string split;
  if (mfcc >= 0 && inference >= 0 && mfcc + inference > 0) {
    const double share = 100 * mfcc / (mfcc + inference);
    split = "<div class=\"split\"><div style=\"width:" + FormatFixed(share, 1) +
            "%;background:" + svg::kBlue +
            "\"></div><div style=\"width:" + FormatFixed(100 - share, 1) +
            "%;background:" + svg::kTeal + "\"></div></div>";
  }
  std::string out = "<section class=\"tiles\">";
  out +=
      Tile("hero", "Accuracy", E(FormatPercent(NumberField(r, "accuracy"), 2)),
           E(FormatGrouped(NumberField(r, "correct"))) +
               " of n = " + E(FormatGrouped(clips)) + " clips correct");
  out += Tile("", "Balanced accuracy",
              E(FormatPercent(NumberField(r, "balanced_accuracy"), 2)),
              "mean recall over " +
                  std::to_string(Field(r, "per_class").size()) + " labels");
  out += Tile("", "Model", E(FormatKilobytes(NumberField(model, "bytes"))),
              "<b>" + E(TextField(model, "precision")) + "</b> \xC2\xB7 " +
                  E(FormatGrouped(NumberField(model, "bytes"))) +
                  " bytes<br/>" + E(FormatGrouped(NumberField(model, "macs"))) +
                  " MACs per clip<br/>" + E(FrontEndText(r)) + " front end");
  out +=
      Tile("", "Median latency", E(FormatMicros(NumberField(total, "median"))),
           "<span class=\"mfcc\">MFCC " + E(FormatMicros(mfcc)) +
               "</span><br/><span class=\"inference\">+ inference " +
               E(FormatMicros(inference)) + "</span>",
           split);
  const json& ref = Field(r, "reference");
  if (ref.is_object()) {
    const json& savings = Field(ref, "savings_percent");
    out += Tile(
        "", "Saved vs reference", Saving(NumberField(savings, "latency")),
        "of the median latency<br/>" + Saving(NumberField(savings, "size")) +
            " of the file size, vs " +
            Code(Basename(TextField(Field(ref, "model"), "path"))));
  }
  return out + "</section>";
}

std::string ConfusionCard(const json& r) {
  const json& confusion = Field(r, "confusion");
  std::vector<std::string> labels;
  for (const json& l : Field(confusion, "labels"))
    labels.push_back(FormatValue(l));
  std::vector<std::vector<double>> counts;
  for (const json& row : Field(confusion, "matrix")) {
    counts.emplace_back();
    for (const json& v : row)
      counts.back().push_back(v.is_number() ? v.get<double>() : NAN);
  }
  return "<div class=\"card\"><h2>Confusion matrix</h2><p class=\"sub\">"
         "Counts per true label (rows) and prediction (columns); shading is "
         "the share of the row, blue where the model was right and red where "
         "it was not.</p><div class=\"center\">" +
         svg::RenderHeatmap(labels, counts) + "</div></div>";
}

std::string ClassCard(const json& r) {
  std::vector<svg::ClassScores> classes;
  for (const json& c : Field(r, "per_class")) {
    classes.push_back({TextField(c, "label"), NumberField(c, "precision"),
                       NumberField(c, "recall"), NumberField(c, "f1"),
                       NumberField(c, "support")});
  }
  return "<div class=\"card\"><h2>Per-label scores</h2><p class=\"sub\">"
         "Precision, recall and F1 of each label; n is the number of clips "
         "with that true label.</p>" +
         svg::RenderClassBars(classes) + "</div>";
}

std::string LatencyCard(const json& r) {
  const json& lat = Field(r, "latency_us");
  const json& hist = Field(lat, "histogram");
  std::vector<double> counts;
  for (const json& c : Field(hist, "counts"))
    counts.push_back(c.is_number() ? c.get<double>() : 0);
  const json& total = Field(lat, "total");
  const std::vector<svg::Marker> markers = {
      {"median", NumberField(total, "median"), "#1e3a8a"},
      {"p90", NumberField(total, "p90"), "#b45309"},
      {"p99", NumberField(total, "p99"), "#b91c1c"}};
  std::string out =
      "<div class=\"card\"><h2>Latency per clip</h2><p class=\"sub\">" +
      E(FormatGrouped(NumberField(lat, "clips"))) +
      " clips timed one after another on " +
      E(Plural(NumberField(lat, "threads"), "thread")) + " with the " +
      Code(TextField(lat, "kernel")) +
      " kernels, audio in to scores out; the last bin also holds every "
      "slower clip.</p><div class=\"latency\"><div>" +
      svg::RenderHistogram(NumberField(hist, "bin_us"), counts, markers,
                           "total latency per clip (\xC2\xB5s)") +
      "</div><div class=\"side\"><h3>Percentiles (\xC2\xB5s)</h3><table>"
      "<thead><tr><th>stage</th><th class=\"num\">median</th>"
      "<th class=\"num\">p90</th><th class=\"num\">p99</th>"
      "<th class=\"num\">mean</th></tr></thead><tbody>";
  auto row = [&](const std::string& name, const json& p, bool strong) {
    out += std::string(strong ? "<tr class=\"strong\">" : "<tr>") + "<td>" +
           E(name) + "</td>";
    for (const char* key : {"median", "p90", "p99", "mean"}) {
      out +=
          "<td class=\"num\">" + FormatFixed(NumberField(p, key), 1) + "</td>";
    }
    out += "</tr>";
  };
  row("MFCC", Field(lat, "mfcc"), false);
  row("inference", Field(lat, "inference"), false);
  row("total", total, true);
  const json& ref = Field(r, "reference");
  if (ref.is_object()) {
    const json& ref_lat = Field(ref, "latency_us");
    row("reference MFCC", Field(ref_lat, "mfcc"), false);
    row("reference inference", Field(ref_lat, "inference"), false);
    row("reference total", Field(ref_lat, "total"), true);
  }
  return out + "</tbody></table></div></div></div>";
}

std::string TrainingCard(const json& run) {
  std::vector<double> epoch, lr, train_loss, val_loss, train_acc, val_acc;
  for (const json& m : Field(run, "metrics")) {
    epoch.push_back(NumberField(m, "epoch"));
    lr.push_back(NumberField(m, "lr"));
    train_loss.push_back(NumberField(m, "train_loss"));
    val_loss.push_back(NumberField(m, "val_loss"));
    train_acc.push_back(NumberField(m, "train_acc"));
    val_acc.push_back(NumberField(m, "val_acc"));
  }
  const json& summary = Field(run, "summary");
  const double best = NumberField(summary, "best_epoch");
  const std::string best_label =
      std::isfinite(best) ? "best epoch " + FormatFixed(best, 0) : "";
  auto chart = [&](const char* y_label, std::vector<svg::Series> series) {
    svg::LineChart c;
    c.x_label = "epoch";
    c.y_label = y_label;
    c.x = epoch;
    c.series = std::move(series);
    c.marker_x = best;
    c.marker_label = best_label;
    return c;
  };
  svg::LineChart loss = chart("loss", {{"train", train_loss, svg::kBlue},
                                       {"validation", val_loss, svg::kOrange}});
  loss.y_from_zero = true;
  svg::LineChart acc =
      chart("accuracy", {{"train", train_acc, svg::kBlue},
                         {"validation", val_acc, svg::kOrange}});
  acc.y_percent = true;
  svg::LineChart rate =
      chart("learning rate", {{"learning rate", lr, svg::kViolet}});
  rate.marker_label.clear();  // the best epoch says nothing about the schedule
  std::string out = "<div class=\"card\"><h2>Training</h2><p class=\"sub\">" +
                    Plural(epoch.size(), "epoch") + " recorded in " +
                    Code(TextField(run, "dir")) +
                    "</p><div class=\"charts\"><div><h3>Loss</h3>" +
                    svg::RenderLineChart(loss) +
                    "</div><div><h3>Accuracy</h3>" + svg::RenderLineChart(acc) +
                    "</div><div><h3>Learning rate</h3>" +
                    svg::RenderLineChart(rate) + "</div></div>";
  out += "<div class=\"chips\">";
  for (const auto& [name, value] : TrainingHighlights(summary)) {
    out += "<span>" + E(name) + " <b>" + E(value) + "</b></span>";
  }
  return out + "</div></div>";
}

std::string MisclassifiedCard(const json& r) {
  const json& list = Field(r, "misclassified");
  const size_t shown = std::min<size_t>(list.size(), 100);
  std::string data_dir = TextField(Field(r, "data"), "dir");
  if (!data_dir.empty() && data_dir.back() != '/') data_dir += '/';
  std::string out = "<div class=\"card\"><h2>Misclassified clips</h2>";
  if (list.empty()) {
    return out +
           "<p class=\"note\">None: every clip was classified "
           "correctly.</p></div>";
  }
  out += "<p class=\"sub\">" + Plural(list.size(), "clip") +
         ", paths relative to the data folder; scores highest first, the "
         "wrong winner in red.</p><table><thead><tr><th class=\"num\">#</th>"
         "<th>clip</th><th>true</th><th>predicted</th><th>scores</th></tr>"
         "</thead><tbody>";
  for (size_t i = 0; i < shown; ++i) {
    const json& m = list[i];
    std::string path = TextField(m, "path");
    if (!data_dir.empty() && path.rfind(data_dir, 0) == 0)
      path = path.substr(data_dir.size());
    const std::string predicted = TextField(m, "predicted");
    const auto scores = ScoresHighestFirst(Field(m, "scores"));
    std::string cells;
    for (size_t k = 0; k < std::min<size_t>(scores.size(), 4); ++k) {
      const bool winner = scores[k].first == predicted;
      cells += std::string(k ? " \xC2\xB7 " : "") +
               (winner ? "<span class=\"pred\">" : "<span>") +
               E(scores[k].first) + " " + FormatFixed(scores[k].second, 3) +
               "</span>";
    }
    if (scores.size() > 4) cells += " \xC2\xB7 \xE2\x80\xA6";
    out += "<tr><td class=\"num\">" + std::to_string(i + 1) + "</td><td>" +
           Code(path) + "</td><td>" + E(TextField(m, "label")) +
           "</td><td class=\"pred\">" + E(predicted) + "</td><td>" + cells +
           "</td></tr>";
  }
  out += "</tbody></table>";
  if (shown < list.size()) {
    out += "<p class=\"note\">" + std::to_string(list.size() - shown) +
           " more are listed in the JSON report.</p>";
  }
  return out + "</div>";
}

std::string Kv(const std::string& key, const std::string& value_html) {
  return "<tr><th>" + E(key) + "</th><td>" + value_html + "</td></tr>";
}

std::string KvTable(const std::string& rows) {
  return "<table class=\"kv\"><tbody>" + rows + "</tbody></table>";
}

std::string DataCard(const json& r) {
  const json& data = Field(r, "data");
  std::string per_label, skipped, unreadable;
  for (const auto& [label, count] : Field(data, "clips_per_label").items()) {
    per_label += Kv(label, E(FormatValue(count)));
  }
  for (const json& s : Field(data, "skipped_folders")) {
    skipped += (skipped.empty() ? "" : " ") + Code(FormatValue(s));
  }
  for (const json& u : Field(data, "unreadable")) {
    unreadable += Kv(TextField(u, "path"), E(TextField(u, "error")));
  }
  return "<div class=\"card\"><h2>Data</h2><div class=\"cols\"><div>" +
         KvTable(Kv("folder", Code(TextField(data, "dir"))) +
                 Kv("split", E(SplitDescription(data))) +
                 Kv("clips", E(FormatGrouped(NumberField(data, "clips")))) +
                 Kv("skipped folders", skipped.empty() ? "none" : skipped) +
                 Kv("unreadable files",
                    std::to_string(Field(data, "unreadable").size()))) +
         "</div><div><h4>Clips per label</h4>" + KvTable(per_label) +
         "</div></div>" +
         (unreadable.empty()
              ? ""
              : "<h4>Unreadable files</h4>" + KvTable(unreadable)) +
         "</div>";
}

// One column of the model table: the evaluated model or the reference.
std::vector<std::string> ModelColumn(const json& m, const json& latency) {
  std::string labels;
  for (const json& l : Field(m, "labels")) {
    labels += (labels.empty() ? "" : ", ") + FormatValue(l);
  }
  const double bytes = NumberField(m, "bytes");
  return {Code(TextField(m, "path")),
          Code(TextField(m, "sha256")),
          E(TextField(m, "precision")),
          E(FormatGrouped(bytes) + " bytes (" + FormatKilobytes(bytes) + ")"),
          E(FormatGrouped(NumberField(m, "parameters"))),
          E(FormatGrouped(NumberField(m, "macs"))),
          E(FormatMicros(NumberField(Field(latency, "total"), "median"))),
          E(labels)};
}

std::string ModelCard(const json& r) {
  const json& ref = Field(r, "reference");
  std::vector<std::vector<std::string>> columns = {
      ModelColumn(Field(r, "model"), Field(r, "latency_us"))};
  if (ref.is_object()) {
    columns.push_back(
        ModelColumn(Field(ref, "model"), Field(ref, "latency_us")));
  }
  const char* rows[] = {"path",           "sha256",     "precision",
                        "file size",      "parameters", "MACs per clip",
                        "median latency", "labels"};
  std::string out = "<div class=\"card\"><h2>Model</h2><table class=\"kv\">";
  if (columns.size() > 1) {
    out +=
        "<thead><tr><th></th><th>evaluated</th><th>reference</th></tr></thead>";
  }
  out += "<tbody>";
  for (size_t i = 0; i < std::size(rows); ++i) {
    out += "<tr><th>" + E(rows[i]) + "</th>";
    for (const auto& column : columns) out += "<td>" + column[i] + "</td>";
    out += "</tr>";
  }
  // Features two to a row: ten short settings need not be ten rows.
  std::string features, metadata;
  size_t k = 0;
  for (const auto& [key, value] :
       Field(Field(r, "model"), "features").items()) {
    features += std::string(k % 2 ? "" : "<tr>") + "<th>" + E(key) +
                "</th><td>" + E(FormatValue(value)) + "</td>" +
                (k % 2 ? "</tr>" : "");
    ++k;
  }
  if (k % 2) features += "<td></td><td></td></tr>";
  for (const auto& [key, value] :
       Field(Field(r, "model"), "metadata").items()) {
    metadata += Kv(key, E(FormatValue(value)));
  }
  return out + "</tbody></table><div class=\"cols\"><div><h4>Features</h4>" +
         "<table class=\"kv pairs\"><tbody>" + features +
         "</tbody></table></div><div><h4>Metadata</h4>" + KvTable(metadata) +
         "</div></div></div>";
}

}  // namespace

std::string RenderHtml(const json& r) {
  const json& model = Field(r, "model");
  const json& data = Field(r, "data");
  const std::string name = Basename(TextField(model, "path"));
  std::string out = html::PageStart(
      "tinykws report: " + name, "Keyword spotting evaluation",
      Code(name) + " on the " + E(TextField(data, "split")) + " split of " +
          Code(TextField(data, "dir")),
      "tinykws " + E(TextField(r, "tinykws_version")) + "<br/>evaluated in " +
          E(FormatFixed(NumberField(r, "eval_seconds"), 2)) + " s on " +
          E(Plural(NumberField(r, "threads"), "thread")));
  out += Tiles(r);
  out += "<div class=\"row\">" + ConfusionCard(r) + ClassCard(r) + "</div>";
  out += LatencyCard(r);
  if (Field(r, "run").is_object()) out += TrainingCard(Field(r, "run"));
  out += MisclassifiedCard(r);
  out += DataCard(r) + ModelCard(r);
  return out + html::PageEnd();
}

}  // namespace tinykws::eval
