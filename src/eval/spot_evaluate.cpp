#include "eval/spot_evaluate.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "common/parallel.hpp"
#include "common/percentiles.hpp"
#include "eval/evaluate.hpp"
#include "eval/report.hpp"
#include "streaming/audio_usage.hpp"
#include "streaming/model_calibration.hpp"
#include "tinykws/audio.hpp"

namespace tinykws::eval {

namespace {

using nlohmann::json;
using streaming::StreamEvent;
using streaming::StreamScore;

constexpr size_t kMaxListed = 300;  // false alarms and misses in the report

struct Evaluated {
  std::string name, kind;
  std::unique_ptr<streaming::SyntheticStream> stream;  // null for files
  streaming::SpotTrace trace;
  StreamScore score;
};

const std::vector<StreamEvent>& EventsOf(const Evaluated& e) {
  static const std::vector<StreamEvent> kNone;
  return e.stream != nullptr ? e.stream->events() : kNone;
}

std::string ClipName(const streaming::SyntheticStream& s,
                     const StreamEvent& e) {
  return e.label >= 0 ? s.sources().keywords[e.clip].name
                      : s.sources().others[e.clip].name;
}

// What was in the window that fired: the last event overlapping it.
std::string Context(const Evaluated& e, int64_t sample, int64_t window) {
  if (e.stream == nullptr) return "recording";
  const std::vector<StreamEvent>& events = e.stream->events();
  for (size_t i = events.size(); i-- > 0;) {
    const StreamEvent& ev = events[i];
    if (ev.start > sample) continue;
    if (ev.end + window < sample) break;
    return ClipName(*e.stream, ev);
  }
  return "background noise";
}

json DetectorJson(const Model& model, const DetectorParams& p) {
  json thresholds = json::object();
  for (size_t k = 0; k < model.labels().size(); ++k) {
    if (IsKeywordLabel(model.labels()[k])) {
      thresholds[model.labels()[k]] = p.thresholds[k];
    }
  }
  std::string calibration;
  for (const auto& [key, value] : model.metadata()) {
    if (key == "detector_calibration") calibration = value;
  }
  return {{"hop_frames", p.hop_frames},
          {"hop_ms", 1000.0 * p.hop_frames * model.features().frame_step /
                         model.features().sample_rate},
          {"smoothing_runs", p.smoothing_runs},
          {"refractory_ms", p.refractory_ms},
          {"thresholds", thresholds},
          {"stored_in_model", model.has_detector()},
          {"calibration", calibration}};
}

// What the false alarms were counted on: for the synthetic streams, the
// distinct seconds of speech and noise behind them and how often each
// repeats; for recordings, their length (each file counted once).
json AudioJson(const std::vector<Evaluated>& streams) {
  std::vector<const streaming::SyntheticStream*> all, free;
  double recording_seconds = 0.0, free_seconds = 0.0;
  int recordings = 0;
  for (const Evaluated& e : streams) {
    if (e.stream == nullptr) {
      ++recordings;
      recording_seconds += e.score.seconds;
      continue;
    }
    all.push_back(e.stream.get());
    if (e.kind != "keywords") {
      free.push_back(e.stream.get());
      free_seconds += e.score.seconds;
    }
  }
  auto use_json = [](const streaming::SourceUse& u) {
    return json{{"seconds", u.seconds},
                {"distinct_seconds", u.distinct_seconds},
                {"sources", u.sources},
                {"mean_repeats", u.mean_repeats()},
                {"max_repeats", u.max_repeats}};
  };
  auto streams_json =
      [&](const std::vector<const streaming::SyntheticStream*>& list,
          double seconds) {
        const streaming::StreamAudioUse use = streaming::AudioUseOf(list);
        return json{{"seconds", seconds},
                    {"speech", use_json(use.speech)},
                    {"noise", use_json(use.noise)}};
      };
  double all_seconds = 0.0;
  for (const auto* s : all) all_seconds += s->seconds();
  return {
      {"streams", streams_json(all, all_seconds)},
      {"keyword_free_streams", streams_json(free, free_seconds)},
      {"recordings", {{"files", recordings}, {"seconds", recording_seconds}}}};
}

// The best recall of the DET curve at or below each false-alarm rate: the
// operating points a threshold chosen on this very audio would reach.
json DetPointsJson(const json& det) {
  json points = json::array();
  for (double rate : {0.5, 1.0, 2.0}) {
    double best = NAN, threshold = NAN, at = NAN;
    for (const json& p : det) {
      const double fa = p["fa_per_hour"].get<double>();
      const double recall = 1.0 - p["miss_rate"].get<double>();
      if (fa <= rate && (std::isnan(best) || recall > best)) {
        best = recall;
        threshold = p["threshold"].get<double>();
        at = fa;
      }
    }
    points.push_back({{"max_fa_per_hour", rate},
                      {"recall", best},
                      {"fa_per_hour", at},
                      {"threshold", threshold}});
  }
  return points;
}

// The data, and the files shorter than their headers say (read as far as
// they go): the split's clips and noise, and the recordings.
json DataJson(const SpotEvalOptions& o,
              const std::vector<std::string>& truncated_sources,
              const std::vector<Evaluated>& streams) {
  json truncated = truncated_sources;
  for (const Evaluated& e : streams) {
    if (e.trace.truncated) truncated.push_back(e.name);
  }
  return {{"dir", o.data_dir},
          {"split", o.split},
          {"seed", o.seed},
          {"truncated", truncated}};
}

}  // namespace

StatusOr<json> SpotEvaluate(const SpotEvalOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  ModelInfo info;
  StatusOr<std::shared_ptr<const Model>> loaded =
      LoadModelWithInfo(o.model_path, &info);
  if (!loaded.ok()) return loaded.status();
  const std::shared_ptr<const Model> model = *loaded;
  StatusOr<Spotter> probe = Spotter::Create(model, o.overrides);
  if (!probe.ok()) return probe.status();
  const DetectorParams params = probe->params();
  const int threads = o.threads > 0 ? o.threads : HardwareThreads();
  const int rate = model->features().sample_rate;
  const int64_t window = model->features().clip_samples;
  if (!(o.minutes >= 0.0) || !(o.keyword_free_minutes >= 0.0)) {
    return InvalidArgument("--minutes and --keyword-free-minutes must be >= 0");
  }
  // Refused before anything is built (the stream is written as it renders).
  if (!o.save_stream.empty()) {
    TINYKWS_RETURN_IF_ERROR(
        streaming::CheckWavMinutes(o.save_stream, o.minutes, rate));
  }

  StatusOr<std::shared_ptr<const streaming::StreamSources>> sources =
      streaming::LoadStreamSources(o.data_dir, model->labels(), o.split, rate,
                                   threads);
  if (!sources.ok()) return sources.status();
  std::vector<Evaluated> streams;
  {
    StatusOr<streaming::SyntheticStream> s =
        streaming::SyntheticStream::Plan(*sources, {o.minutes, true, o.seed});
    if (!s.ok()) return s.status();
    streams.push_back(
        {"keywords",
         "keywords",
         std::make_unique<streaming::SyntheticStream>(std::move(*s)),
         {},
         {}});
  }
  if (!o.save_stream.empty()) {
    TINYKWS_RETURN_IF_ERROR(
        streaming::SaveStreamWav(*streams[0].stream, o.save_stream));
  }
  StatusOr<std::vector<std::unique_ptr<streaming::SyntheticStream>>> free =
      streaming::PlanKeywordFree(*sources, o.keyword_free_minutes, o.seed);
  if (!free.ok()) return free.status();
  for (size_t part = 0; part < free->size(); ++part) {
    streams.push_back({"keyword-free " + std::to_string(part + 1),
                       "keyword-free",
                       std::move((*free)[part]),
                       {},
                       {}});
  }
  StatusOr<std::vector<std::string>> recordings =
      streaming::ListRecordings(o.negatives);
  if (!recordings.ok()) return recordings.status();
  for (const std::string& f : *recordings) {
    streams.push_back({f, "recording", nullptr, {}, {}});
  }
  std::vector<const streaming::SyntheticStream*> planned;
  for (const Evaluated& e : streams) {
    if (e.stream != nullptr) planned.push_back(e.stream.get());
  }
  std::vector<streaming::SpotTrace> traces;
  TINYKWS_RETURN_IF_ERROR(streaming::TraceAll(model, o.overrides, planned,
                                              *recordings, threads, &traces));
  for (size_t i = 0; i < streams.size(); ++i) {
    streams[i].trace = std::move(traces[i]);
  }

  // Scores of what the spotters reported.
  StreamScore total;
  std::vector<streaming::TracedStream> traced;
  json stream_list = json::array(), false_alarms = json::array(),
       misses = json::array();
  double spot_seconds = 0, render_seconds = 0;
  int64_t runs = 0;
  for (Evaluated& e : streams) {
    e.score = streaming::ScoreDetections(EventsOf(e), e.trace.detections,
                                         model->labels().size(), window, rate,
                                         e.trace.audio_samples);
    total.Add(e.score);
    traced.push_back({&e.trace, &EventsOf(e)});
    spot_seconds += e.trace.spot_seconds;
    render_seconds += e.trace.decode_seconds;
    runs += static_cast<int64_t>(e.trace.runs());
    stream_list.push_back({{"name", e.name},
                           {"kind", e.kind},
                           {"seconds", e.score.seconds},
                           {"keywords", e.score.keywords},
                           {"found", e.score.found},
                           {"false_alarms", e.score.false_alarms}});
    for (size_t d = 0; d < e.trace.detections.size(); ++d) {
      if (e.score.detection_event[d] >= 0 || false_alarms.size() >= kMaxListed)
        continue;
      const Detection& det = e.trace.detections[d];
      false_alarms.push_back(
          {{"stream", e.name},
           {"time_s", det.time_s},
           {"label", model->labels()[static_cast<size_t>(det.label)]},
           {"score", det.score},
           {"context", Context(e, det.sample, window)}});
    }
    // Misses, with the best smoothed score the keyword reached in its window.
    const std::vector<float> smoothed =
        streaming::SmoothedScores(e.trace, params.smoothing_runs);
    const std::vector<StreamEvent>& events = EventsOf(e);
    for (size_t i = 0; i < events.size(); ++i) {
      const StreamEvent& ev = events[i];
      if (ev.label < 0 || e.score.event_hit[i] >= 0 ||
          misses.size() >= kMaxListed) {
        continue;
      }
      float best = 0.0f;
      for (size_t r = 0; r < e.trace.runs(); ++r) {
        const int64_t s = e.trace.samples[r];
        if (s >= ev.start && s <= ev.end + window) {
          best = std::max(best, smoothed[r * e.trace.labels + ev.label]);
        }
      }
      misses.push_back(
          {{"stream", e.name},
           {"time_s", static_cast<double>(ev.start) / rate},
           {"label", model->labels()[static_cast<size_t>(ev.label)]},
           {"clip", ClipName(*e.stream, ev)},
           {"best_score", best}});
    }
  }

  json per_keyword = json::array();
  for (size_t k = 0; k < model->labels().size(); ++k) {
    if (!IsKeywordLabel(model->labels()[k])) continue;
    const int n = total.keywords_per_label[k];
    per_keyword.push_back(
        {{"label", model->labels()[k]},
         {"threshold", params.thresholds[k]},
         {"keywords", n},
         {"found", total.found_per_label[k]},
         {"recall",
          n > 0 ? static_cast<double>(total.found_per_label[k]) / n : NAN},
         {"false_alarms", total.false_alarms_per_label[k]}});
  }
  json det_curve = json::array();
  for (const streaming::DetPoint& p :
       streaming::DetCurve(traced, model->labels(), params, rate, window)) {
    det_curve.push_back({{"threshold", p.threshold},
                         {"miss_rate", p.miss_rate},
                         {"fa_per_hour", p.fa_per_hour}});
  }
  // The keyword stream's timeline.
  const Evaluated& k = streams[0];
  json events = json::array(), detections = json::array();
  for (size_t i = 0; i < k.stream->events().size(); ++i) {
    const StreamEvent& ev = k.stream->events()[i];
    events.push_back(
        {{"start_s", static_cast<double>(ev.start) / rate},
         {"end_s", static_cast<double>(ev.end) / rate},
         {"label", ev.label >= 0
                       ? model->labels()[static_cast<size_t>(ev.label)]
                       : std::string(kUnknownLabel)},
         {"clip", ClipName(*k.stream, ev)},
         {"found", k.score.event_hit[i] >= 0}});
  }
  for (size_t d = 0; d < k.trace.detections.size(); ++d) {
    const Detection& det = k.trace.detections[d];
    detections.push_back(
        {{"time_s", det.time_s},
         {"label", model->labels()[static_cast<size_t>(det.label)]},
         {"score", det.score},
         {"hit", k.score.detection_event[d] >= 0}});
  }
  const double hours = total.seconds / 3600.0;
  double fa_low = NAN, fa_high = NAN;
  streaming::PoissonRateInterval(total.false_alarms, hours, 0.95, &fa_low,
                                 &fa_high);
  const Percentiles delay = Summarize(total.delays_s);
  const double audio_seconds = total.seconds;
  json report = {
      {"tinykws_version", TINYKWS_VERSION},
      {"kind", "spot-eval"},
      {"model", ModelJson(info)},
      {"detector", DetectorJson(*model, params)},
      {"data", DataJson(o, (*sources)->truncated, streams)},
      {"streams", stream_list},
      {"results",
       {{"keywords", total.keywords},
        {"found", total.found},
        {"missed", total.keywords - total.found},
        {"recall", total.keywords > 0
                       ? static_cast<double>(total.found) / total.keywords
                       : NAN},
        {"false_alarms", total.false_alarms},
        {"hours", hours},
        {"fa_per_hour", hours > 0 ? total.false_alarms / hours : NAN},
        {"fa_per_hour_low", fa_low},
        {"fa_per_hour_high", fa_high},
        {"delay_mean_s", total.delays_s.empty() ? NAN : delay.mean},
        {"delay_p90_s", total.delays_s.empty() ? NAN : delay.p90}}},
      {"audio", AudioJson(streams)},
      {"per_keyword", per_keyword},
      {"det", det_curve},
      {"det_points", DetPointsJson(det_curve)},
      {"timeline",
       {{"stream", k.name},
        {"seconds", k.score.seconds},
        {"events", events},
        {"detections", detections}}},
      {"false_alarm_list", false_alarms},
      {"missed_list", misses},
      {"timing",
       {{"audio_seconds", audio_seconds},
        {"spot_seconds", spot_seconds},
        {"render_seconds", render_seconds},
        {"real_time_factor",
         audio_seconds > 0 ? spot_seconds / audio_seconds : NAN},
        {"network_runs", runs},
        {"us_per_hop", runs > 0 ? 1e6 * spot_seconds / runs : NAN},
        {"kernel", probe->kernel_name()},
        {"threads", threads}}},
  };
  report["eval_seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return report;
}

}  // namespace tinykws::eval
