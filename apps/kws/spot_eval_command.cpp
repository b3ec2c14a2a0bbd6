// kws spot-eval: the detector on streams built from a data split.
#include <cstdio>

#include "commands.hpp"
#include "common/atomic_file.hpp"
#include "detector_flags.hpp"
#include "eval/report_format.hpp"
#include "eval/spot_evaluate.hpp"
#include "streaming/model_calibration.hpp"
#include "streaming/stream_builder.hpp"

namespace kws {

namespace {

struct SpotEvalParams {
  tinykws::eval::SpotEvalOptions options;
  DetectorFlags detector;
  std::string json_path, html_path, markdown_path;
};

// What the false alarms were counted on, distinct sound against repeats.
void PrintAudioUse(const nlohmann::json& audio) {
  using tinykws::eval::Field;
  using tinykws::eval::NumberField;
  const nlohmann::json& s = Field(audio, "streams");
  const nlohmann::json& speech = Field(s, "speech");
  const nlohmann::json& noise = Field(s, "noise");
  std::printf(
      "built streams: %.2f h from %.1f min of distinct word clips (each "
      "used %.1f times on average, at most %d) and %.1f min of distinct "
      "noise (%.1f times)\n",
      NumberField(s, "seconds") / 3600,
      NumberField(speech, "distinct_seconds") / 60,
      NumberField(speech, "mean_repeats"),
      static_cast<int>(NumberField(speech, "max_repeats")),
      NumberField(noise, "distinct_seconds") / 60,
      NumberField(noise, "mean_repeats"));
  const nlohmann::json& rec = Field(audio, "recordings");
  if (NumberField(rec, "files") > 0) {
    std::printf(
        "keyword-free recordings: %.2f h in %d files, each heard once\n",
        NumberField(rec, "seconds") / 3600,
        static_cast<int>(NumberField(rec, "files")));
  }
}

int RunSpotEval(SpotEvalParams& p) {
  for (const std::string* path :
       {&p.json_path, &p.html_path, &p.markdown_path, &p.options.save_stream}) {
    const tinykws::Status s = tinykws::CheckOutputFolder(*path);
    if (!s.ok()) return ReportError(s);
  }
  {
    tinykws::StatusOr<std::shared_ptr<const tinykws::Model>> model =
        tinykws::Model::Load(p.options.model_path);
    if (!model.ok()) return ReportError(model.status());
    tinykws::Status s =
        ResolveDetectorFlags(**model, p.detector, &p.options.overrides);
    if (!s.ok()) return ReportUsageError(s);
    // Refused before the work: a stream too long for a WAV file.
    if (!p.options.save_stream.empty()) {
      s = tinykws::streaming::CheckWavMinutes(
          "--save-stream " + p.options.save_stream, p.options.minutes,
          (*model)->features().sample_rate);
      if (!s.ok()) return ReportUsageError(s);
    }
  }
  tinykws::StatusOr<nlohmann::json> report =
      tinykws::eval::SpotEvaluate(p.options);
  if (!report.ok()) return ReportError(report.status());
  for (const nlohmann::json& path : tinykws::eval::Field(
           tinykws::eval::Field(*report, "data"), "truncated")) {
    if (path.is_string()) WarnTruncated(path.get<std::string>());
  }
  const struct {
    const std::string& path;
    std::string (*render)(const nlohmann::json&);
  } outputs[] = {
      {p.json_path, [](const nlohmann::json& j) { return j.dump(2) + "\n"; }},
      {p.html_path, tinykws::eval::RenderSpotHtml},
      {p.markdown_path, tinykws::eval::RenderSpotMarkdown},
  };
  for (const auto& out : outputs) {
    if (out.path.empty()) continue;
    const tinykws::Status s =
        tinykws::WriteFileAtomically(out.path, out.render(*report));
    if (!s.ok()) return ReportError(s);
  }
  using tinykws::eval::Field;
  using tinykws::eval::NumberField;
  const nlohmann::json& r = Field(*report, "results");
  const nlohmann::json& t = Field(*report, "timing");
  for (const nlohmann::json& k : Field(*report, "per_keyword")) {
    std::printf("  %-12s threshold %.6f  found %d/%d  false alarms %d\n",
                tinykws::eval::TextField(k, "label").c_str(),
                NumberField(k, "threshold"),
                static_cast<int>(NumberField(k, "found")),
                static_cast<int>(NumberField(k, "keywords")),
                static_cast<int>(NumberField(k, "false_alarms")));
  }
  std::printf(
      "streams: %.2f h of audio (%zu streams); spotted in %.2f s: real-time "
      "factor %.6f, %.2f us per hop (%s)\n",
      NumberField(r, "hours"), Field(*report, "streams").size(),
      NumberField(t, "spot_seconds"), NumberField(t, "real_time_factor"),
      NumberField(t, "us_per_hop"),
      tinykws::eval::TextField(t, "kernel").c_str());
  std::printf("detection delay after the word: mean %.3f s, p90 %.3f s\n",
              NumberField(r, "delay_mean_s"), NumberField(r, "delay_p90_s"));
  PrintAudioUse(Field(*report, "audio"));
  for (const nlohmann::json& point : Field(*report, "det_points")) {
    std::printf(
        "DET at <= %.1f false alarms per hour: found %.4f at threshold "
        "%.6f (chosen on this audio: an upper bound)\n",
        NumberField(point, "max_fa_per_hour"), NumberField(point, "recall"),
        NumberField(point, "threshold"));
  }
  if (!p.html_path.empty())
    std::printf("html report: %s\n", p.html_path.c_str());
  std::printf(
      "found: %.4f (%d/%d keywords), false alarms: %.3f per hour (%d in "
      "%.2f h; 95 %% interval %.3f-%.3f)\n",
      NumberField(r, "recall"), static_cast<int>(NumberField(r, "found")),
      static_cast<int>(NumberField(r, "keywords")),
      NumberField(r, "fa_per_hour"),
      static_cast<int>(NumberField(r, "false_alarms")), NumberField(r, "hours"),
      NumberField(r, "fa_per_hour_low"), NumberField(r, "fa_per_hour_high"));
  return 0;
}

}  // namespace

void AddSpotEvalCommand(CLI::App& app, int* exit_code) {
  auto p = std::make_shared<SpotEvalParams>();
  CLI::App* cmd = app.add_subcommand(
      "spot-eval",
      "Evaluate the detector on streams built from a data split: keywords "
      "found, false alarms per hour, delay, DET curve. The last line is "
      "\"found: R (F/K keywords), false alarms: X per hour (N in H h)\".");
  cmd->add_option("--model", p->options.model_path, "Model file (.kws)")
      ->required();
  cmd->add_option("--data", p->options.data_dir,
                  "Speech Commands-style folder (keyword folders, other "
                  "words, _background_noise_)")
      ->required();
  cmd->add_option("--split", p->options.split,
                  "testing, validation, training or all")
      ->check(CLI::IsMember({"testing", "validation", "training", "all"}))
      ->capture_default_str();
  cmd->add_option("--minutes", p->options.minutes,
                  "Length of the keyword stream (default 0: until every "
                  "keyword clip of the split was placed once)")
      ->check(NumberIn(0.0, tinykws::streaming::kMaxStreamMinutes));
  cmd->add_option("--keyword-free-minutes", p->options.keyword_free_minutes,
                  "Keyword-free audio built from the split's other words and "
                  "noise, for the false-alarm rate")
      ->check(NumberIn(0.0, tinykws::streaming::kMaxKeywordFreeMinutes))
      ->capture_default_str();
  cmd->add_option("--negatives", p->options.negatives,
                  "Keyword-free recordings (files or folders of them, any "
                  "length, streamed): false alarms on them count too");
  cmd->add_option("--seed", p->options.seed, "Seed of the stream recipe")
      ->capture_default_str();
  cmd->add_option("--threads", p->options.threads,
                  "Streams spotted in parallel (default 0: all cores)")
      ->check(WholeIn(0, kMaxThreads));
  cmd->add_option("--report", p->json_path, "Write the full report as JSON");
  cmd->add_option("--html", p->html_path, "Write a self-contained HTML report");
  cmd->add_option("--markdown", p->markdown_path,
                  "Write the report as Markdown");
  cmd->add_option("--save-stream", p->options.save_stream,
                  "Write the keyword stream as a WAV file (to listen to, or "
                  "to time `kws spot` on)");
  AddDetectorFlags(cmd, &p->detector);
  cmd->callback([p, exit_code] { *exit_code = RunSpotEval(*p); });
}

}  // namespace kws
