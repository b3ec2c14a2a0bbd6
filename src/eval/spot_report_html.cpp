// The stream evaluation report as one self-contained HTML page (inline CSS
// and SVG, no scripts), rendered from the JSON of SpotEvaluate. Same style
// and XHTML discipline as report_html.cpp.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "eval/report_format.hpp"
#include "eval/report_page.hpp"
#include "eval/spot_charts.hpp"
#include "eval/spot_evaluate.hpp"

namespace tinykws::eval {

namespace {

using nlohmann::json;

using html::Code;
using html::E;
using html::Tile;

std::string Seconds(double s) { return FormatFixed(s, 2) + " s"; }

std::string Tiles(const json& r) {
  const json& res = Field(r, "results");
  const json& timing = Field(r, "timing");
  const json& model = Field(r, "model");
  std::string out = "<section class=\"tiles\">";
  out += Tile("hero", "Keywords found",
              E(FormatPercent(NumberField(res, "recall"), 1)),
              E(FormatGrouped(NumberField(res, "found"))) + " of " +
                  E(FormatGrouped(NumberField(res, "keywords"))) +
                  " keywords in the stream");
  out += Tile("", "False alarms per hour",
              E(FormatFixed(NumberField(res, "fa_per_hour"), 2)),
              E(Plural(NumberField(res, "false_alarms"), "false alarm")) +
                  " in " + E(FormatFixed(NumberField(res, "hours"), 2)) +
                  " h of audio; 95 % interval " +
                  E(FormatFixed(NumberField(res, "fa_per_hour_low"), 2)) + "-" +
                  E(FormatFixed(NumberField(res, "fa_per_hour_high"), 2)));
  out +=
      Tile("", "Detection delay", E(Seconds(NumberField(res, "delay_mean_s"))),
           "mean after the end of the word; p90 " +
               E(Seconds(NumberField(res, "delay_p90_s"))));
  out += Tile("", "Real-time factor",
              E(FormatFixed(NumberField(timing, "real_time_factor"), 6)),
              E(FormatMicros(NumberField(timing, "us_per_hop"))) +
                  " per hop (MFCC + network), one thread, " +
                  Code(TextField(timing, "kernel")));
  out += Tile("", "Model", E(FormatKilobytes(NumberField(model, "bytes"))),
              "<b>" + E(TextField(model, "precision")) + "</b> \xC2\xB7 " +
                  E(FormatGrouped(NumberField(model, "bytes"))) + " bytes");
  return out + "</section>";
}

std::string DetCard(const json& r) {
  std::vector<svg::DetChartPoint> curve;
  for (const json& p : Field(r, "det")) {
    curve.push_back(
        {NumberField(p, "fa_per_hour"), NumberField(p, "miss_rate")});
  }
  const json& res = Field(r, "results");
  const svg::DetChartPoint op{NumberField(res, "fa_per_hour"),
                              1.0 - NumberField(res, "recall")};
  return "<div class=\"card\"><h2>Misses against false alarms</h2><p "
         "class=\"sub\">The DET curve: every keyword at one threshold, swept "
         "over the thresholds the calibration considers (replayed over the "
         "recorded posteriors), and the stored per-keyword thresholds.</p>"
         "<div class=\"center\">" +
         svg::RenderDetChart(curve, op) + "</div></div>";
}

std::string DetectorCard(const json& r) {
  const json& d = Field(r, "detector");
  std::string rows;
  auto row = [&](const std::string& k, const std::string& v) {
    rows += "<tr><th>" + E(k) + "</th><td>" + v + "</td></tr>";
  };
  row("hop", E(FormatFixed(NumberField(d, "hop_frames"), 0)) + " frames (" +
                 E(FormatFixed(NumberField(d, "hop_ms"), 0)) + " ms)");
  row("smoothing", E(Plural(NumberField(d, "smoothing_runs"), "run")));
  row("refractory", E(FormatFixed(NumberField(d, "refractory_ms"), 0)) + " ms");
  std::string thresholds;
  for (const auto& [label, value] : Field(d, "thresholds").items()) {
    thresholds += (thresholds.empty() ? "" : ", ") + Code(label) + " " +
                  E(FormatScore(value.get<double>()));
  }
  row("thresholds", thresholds);
  row("from", Field(d, "stored_in_model").is_boolean() &&
                      Field(d, "stored_in_model").get<bool>()
                  ? "the model file"
                  : "defaults (the model stores no detector)");
  if (!TextField(d, "calibration").empty()) {
    row("calibration", E(TextField(d, "calibration")));
  }
  std::string keywords;
  for (const json& k : Field(r, "per_keyword")) {
    keywords +=
        "<tr><td>" + Code(TextField(k, "label")) + "</td><td class=\"num\">" +
        E(FormatScore(NumberField(k, "threshold"))) +
        "</td><td class=\"num\">" + E(FormatGrouped(NumberField(k, "found"))) +
        " / " + E(FormatGrouped(NumberField(k, "keywords"))) +
        "</td><td class=\"num\">" +
        E(FormatPercent(NumberField(k, "recall"), 1)) +
        "</td><td class=\"num\">" +
        E(FormatGrouped(NumberField(k, "false_alarms"))) + "</td></tr>";
  }
  return "<div class=\"card\"><h2>Detector</h2><table class=\"kv\"><tbody>" +
         rows +
         "</tbody></table><h3>Per keyword</h3><table><thead><tr><th>keyword"
         "</th><th class=\"num\">threshold</th><th class=\"num\">found</th><th "
         "class=\"num\">recall</th><th class=\"num\">false alarms</th></tr>"
         "</thead><tbody>" +
         keywords + "</tbody></table></div>";
}

std::string TimelineCard(const json& r) {
  const json& t = Field(r, "timeline");
  std::vector<std::string> keywords;
  for (const json& k : Field(r, "per_keyword")) {
    keywords.push_back(TextField(k, "label"));
  }
  auto keyword_index = [&](const std::string& label) {
    for (size_t k = 0; k < keywords.size(); ++k) {
      if (keywords[k] == label) return static_cast<int>(k);
    }
    return -1;
  };
  std::vector<svg::TimelineEvent> events;
  for (const json& e : Field(t, "events")) {
    const std::string label = TextField(e, "label");
    const bool found =
        Field(e, "found").is_boolean() && Field(e, "found").get<bool>();
    events.push_back(
        {NumberField(e, "start_s"), NumberField(e, "end_s"),
         keyword_index(label), found,
         TextField(e, "clip") + " at " +
             FormatFixed(NumberField(e, "start_s"), 2) + " s" +
             (keyword_index(label) >= 0 ? (found ? " (found)" : " (missed)")
                                        : "")});
  }
  std::vector<svg::TimelineDetection> detections;
  for (const json& d : Field(t, "detections")) {
    const bool hit =
        Field(d, "hit").is_boolean() && Field(d, "hit").get<bool>();
    detections.push_back(
        {NumberField(d, "time_s"), keyword_index(TextField(d, "label")), hit,
         TextField(d, "label") + " " + FormatScore(NumberField(d, "score")) +
             " at " + FormatFixed(NumberField(d, "time_s"), 2) + " s" +
             (hit ? "" : " (false alarm)")});
  }
  return "<div class=\"card\"><h2>Timeline of the keyword stream</h2><p "
         "class=\"sub\">One row per minute. Bars are the words placed in the "
         "stream over its noise bed; triangles are detections. Hover for the "
         "clip and the score.</p>" +
         svg::RenderTimeline(NumberField(t, "seconds"), keywords, events,
                             detections) +
         "</div>";
}

// Rows shown per list; the JSON report has them all.
constexpr size_t kListed = 50;

std::string More(const json& list) {
  return list.size() > kListed ? "<p class=\"note\">" +
                                     E(FormatGrouped(static_cast<double>(
                                         list.size() - kListed))) +
                                     " more in the JSON report.</p>"
                               : "";
}

std::string ListCard(const json& r) {
  std::string out =
      "<div class=\"row\"><div class=\"card\"><h2>False alarms"
      "</h2>";
  const json& fa = Field(r, "false_alarm_list");
  if (fa.empty()) {
    out += "<p class=\"note\">None.</p>";
  } else {
    out +=
        "<table><thead><tr><th>stream</th><th class=\"num\">time</th><th>"
        "label</th><th class=\"num\">score</th><th>what was there</th></tr>"
        "</thead><tbody>";
    for (size_t i = 0; i < std::min(fa.size(), kListed); ++i) {
      const json& f = fa[i];
      out += "<tr><td>" + E(TextField(f, "stream")) +
             "</td><td class=\"num\">" + E(Seconds(NumberField(f, "time_s"))) +
             "</td><td>" + Code(TextField(f, "label")) +
             "</td><td class=\"num\">" +
             E(FormatScore(NumberField(f, "score"))) + "</td><td>" +
             Code(TextField(f, "context")) + "</td></tr>";
    }
    out += "</tbody></table>" + More(fa);
  }
  out += "</div><div class=\"card\"><h2>Missed keywords</h2>";
  const json& miss = Field(r, "missed_list");
  if (miss.empty()) {
    out += "<p class=\"note\">None: every keyword was found.</p>";
  } else {
    out +=
        "<table><thead><tr><th class=\"num\">time</th><th>clip</th><th "
        "class=\"num\">best score</th></tr></thead><tbody>";
    for (size_t i = 0; i < std::min(miss.size(), kListed); ++i) {
      const json& m = miss[i];
      out += "<tr><td class=\"num\">" + E(Seconds(NumberField(m, "time_s"))) +
             "</td><td>" + Code(TextField(m, "clip")) +
             "</td><td class=\"num\">" +
             E(FormatScore(NumberField(m, "best_score"))) + "</td></tr>";
    }
    out += "</tbody></table>" + More(miss);
  }
  return out + "</div></div>";
}

std::string StreamsCard(const json& r) {
  std::string rows;
  for (const json& s : Field(r, "streams")) {
    rows += "<tr><td>" + E(TextField(s, "name")) + "</td><td>" +
            E(TextField(s, "kind")) + "</td><td class=\"num\">" +
            E(FormatFixed(NumberField(s, "seconds") / 60, 1)) +
            " min</td><td class=\"num\">" +
            E(FormatGrouped(NumberField(s, "found"))) + " / " +
            E(FormatGrouped(NumberField(s, "keywords"))) +
            "</td><td class=\"num\">" +
            E(FormatGrouped(NumberField(s, "false_alarms"))) + "</td></tr>";
  }
  const json& timing = Field(r, "timing");
  return "<div class=\"card\"><h2>Streams</h2><p class=\"sub\">Built from the "
         "split with the documented recipe (docs/streaming.md), seed " +
         E(FormatValue(Field(Field(r, "data"), "seed"))) +
         "; recordings are the keyword-free files given. " +
         E(DescribeAudioUse(Field(r, "audio"))) + " " +
         E(FormatGrouped(NumberField(timing, "network_runs"))) +
         " network runs in " +
         E(FormatFixed(NumberField(timing, "spot_seconds"), 2)) +
         " s of spotting.</p><table><thead><tr><th>stream</th><th>kind</th>"
         "<th class=\"num\">length</th><th class=\"num\">found</th><th "
         "class=\"num\">false alarms</th></tr></thead><tbody>" +
         rows + "</tbody></table></div>";
}

}  // namespace

std::string RenderSpotHtml(const json& r) {
  const json& model = Field(r, "model");
  const json& data = Field(r, "data");
  const std::string name = Basename(TextField(model, "path"));
  std::string out = html::PageStart(
      "tinykws stream report: " + name, "Keyword spotting on continuous audio",
      Code(name) + " on streams built from the " + E(TextField(data, "split")) +
          " split of " + Code(TextField(data, "dir")),
      "tinykws " + E(TextField(r, "tinykws_version")) + "<br/>evaluated in " +
          E(FormatFixed(NumberField(r, "eval_seconds"), 2)) + " s");
  out += Tiles(r);
  out += "<div class=\"row\">" + DetCard(r) + DetectorCard(r) + "</div>";
  out += TimelineCard(r);
  out += ListCard(r);
  out += StreamsCard(r);
  return out + html::PageEnd();
}

}  // namespace tinykws::eval
