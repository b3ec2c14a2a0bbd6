// The stream evaluation report as Markdown tables (from SpotEvaluate's JSON).
#include <string>

#include "eval/report_format.hpp"
#include "eval/spot_evaluate.hpp"

namespace tinykws::eval {

using nlohmann::json;

std::string RenderSpotMarkdown(const json& r) {
  const json& res = Field(r, "results");
  const json& d = Field(r, "detector");
  const json& timing = Field(r, "timing");
  const json& model = Field(r, "model");
  std::string out = "# Keyword spotting on continuous audio\n\n`" +
                    Basename(TextField(model, "path")) + "` (" +
                    TextField(model, "precision") + ", " +
                    FormatGrouped(NumberField(model, "bytes")) +
                    " bytes) on streams built from the " +
                    TextField(Field(r, "data"), "split") + " split of `" +
                    TextField(Field(r, "data"), "dir") + "`.\n\n";
  out +=
      "| keywords found | false alarms | per hour | hours | mean delay | "
      "p90 delay | real-time factor | per hop |\n|---:|---:|---:|---:|---:|"
      "---:|---:|---:|\n";
  out += "| " + FormatGrouped(NumberField(res, "found")) + " / " +
         FormatGrouped(NumberField(res, "keywords")) + " (" +
         FormatPercent(NumberField(res, "recall"), 2) + ") | " +
         FormatGrouped(NumberField(res, "false_alarms")) + " | " +
         FormatFixed(NumberField(res, "fa_per_hour"), 3) + " | " +
         FormatFixed(NumberField(res, "hours"), 2) + " | " +
         FormatFixed(NumberField(res, "delay_mean_s"), 3) + " s | " +
         FormatFixed(NumberField(res, "delay_p90_s"), 3) + " s | " +
         FormatFixed(NumberField(timing, "real_time_factor"), 6) + " | " +
         FormatMicros(NumberField(timing, "us_per_hop")) + " |\n\n";
  out += "False alarms: " + FormatRateInterval(res) + ". " +
         MarkdownText(DescribeAudioUse(Field(r, "audio"))) + "\n\n";
  out +=
      "Best keywords found with one threshold chosen on this audio (an "
      "upper bound): ";
  for (const json& p : Field(r, "det_points")) {
    out += FormatPercent(NumberField(p, "recall"), 1) +
           " at <= " + FormatFixed(NumberField(p, "max_fa_per_hour"), 1) +
           "/h; ";
  }
  out += "\n\n";
  out += "Detector: hop " + FormatValue(Field(d, "hop_frames")) +
         " frames, smoothing over " + FormatValue(Field(d, "smoothing_runs")) +
         " runs, refractory " +
         FormatFixed(NumberField(d, "refractory_ms"), 0) + " ms" +
         (TextField(d, "calibration").empty()
              ? ""
              : "; calibrated on " + TextField(d, "calibration")) +
         ".\n\n| keyword | threshold | found | recall | false alarms |\n"
         "|---|---:|---:|---:|---:|\n";
  for (const json& k : Field(r, "per_keyword")) {
    out += "| `" + TextField(k, "label") + "` | " +
           FormatScore(NumberField(k, "threshold")) + " | " +
           FormatGrouped(NumberField(k, "found")) + " / " +
           FormatGrouped(NumberField(k, "keywords")) + " | " +
           FormatPercent(NumberField(k, "recall"), 1) + " | " +
           FormatGrouped(NumberField(k, "false_alarms")) + " |\n";
  }
  out +=
      "\n## Streams\n\n| stream | kind | minutes | found | false alarms "
      "|\n|---|---|---:|---:|---:|\n";
  for (const json& s : Field(r, "streams")) {
    out += "| " + TextField(s, "name") + " | " + TextField(s, "kind") + " | " +
           FormatFixed(NumberField(s, "seconds") / 60, 1) + " | " +
           FormatGrouped(NumberField(s, "found")) + " / " +
           FormatGrouped(NumberField(s, "keywords")) + " | " +
           FormatGrouped(NumberField(s, "false_alarms")) + " |\n";
  }
  out +=
      "\n## DET curve (one threshold for every keyword)\n\n| threshold | "
      "missed | false alarms per hour |\n|---:|---:|---:|\n";
  for (const json& p : Field(r, "det")) {
    out += "| " + FormatScore(NumberField(p, "threshold")) + " | " +
           FormatPercent(NumberField(p, "miss_rate"), 2) + " | " +
           FormatFixed(NumberField(p, "fa_per_hour"), 3) + " |\n";
  }
  out += "\n## False alarms\n\n";
  if (Field(r, "false_alarm_list").empty()) out += "None.\n";
  for (const json& f : Field(r, "false_alarm_list")) {
    out += "- " + TextField(f, "stream") + " at " +
           FormatFixed(NumberField(f, "time_s"), 2) + " s: `" +
           TextField(f, "label") + "` " + FormatScore(NumberField(f, "score")) +
           " on `" + TextField(f, "context") + "`\n";
  }
  out += "\n## Missed keywords\n\n";
  if (Field(r, "missed_list").empty()) out += "None.\n";
  for (const json& m : Field(r, "missed_list")) {
    out += "- `" + TextField(m, "clip") + "` at " +
           FormatFixed(NumberField(m, "time_s"), 2) + " s (best score " +
           FormatScore(NumberField(m, "best_score")) + ")\n";
  }
  return out;
}

}  // namespace tinykws::eval
