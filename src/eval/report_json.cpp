#include <sstream>

#include "common/atomic_file.hpp"
#include "eval/report.hpp"

namespace tinykws::eval {

namespace {

using nlohmann::json;

json PercentilesJson(const Percentiles& p) {
  return {
      {"median", p.median}, {"p90", p.p90}, {"p99", p.p99}, {"mean", p.mean}};
}

json LatencyJson(const Latency& l) {
  return {
      {"clips", l.clips},
      {"threads", 1},
      {"kernel", l.kernel},
      {"mfcc", PercentilesJson(l.mfcc)},
      {"inference", PercentilesJson(l.inference)},
      {"total", PercentilesJson(l.total)},
      {"histogram", {{"bin_us", l.histogram_bin_us}, {"counts", l.histogram}}}};
}

}  // namespace

nlohmann::json ModelJson(const ModelInfo& m) {
  const FeatureConfig& f = m.features;
  json metadata = json::object();
  for (const auto& [key, value] : m.metadata) metadata[key] = value;
  return {{"path", m.path},
          {"bytes", m.bytes},
          {"sha256", m.sha256},
          {"precision", m.int8 ? "int8" : "fp32"},
          {"labels", m.labels},
          {"features",
           {{"sample_rate", f.sample_rate},
            {"clip_samples", f.clip_samples},
            {"frame_length", f.frame_length},
            {"frame_step", f.frame_step},
            {"mel_bins", f.mel_bins},
            {"fmin_hz", f.fmin_hz},
            {"fmax_hz", f.fmax_hz},
            {"num_mfcc", f.num_mfcc},
            {"log_offset", f.log_offset},
            {"precision", FeaturePrecisionName(f.precision)},
            {"num_frames", f.num_frames()}}},
          {"macs", m.macs},
          {"parameters", m.parameters},
          {"metadata", metadata}};
}

json ReportJson(const EvalReport& r) {
  json per_class = json::array();
  for (const ClassMetrics& c : r.per_class) {
    per_class.push_back({{"label", c.label},
                         {"precision", c.precision},
                         {"recall", c.recall},
                         {"f1", c.f1},
                         {"support", c.support}});
  }
  json misclassified = json::array();
  for (const Misclassified& m : r.misclassified) {
    json scores = json::object();
    for (size_t k = 0; k < m.scores.size(); ++k)
      scores[r.model.labels[k]] = m.scores[k];
    misclassified.push_back({{"path", m.path},
                             {"label", r.model.labels[m.label]},
                             {"predicted", r.model.labels[m.predicted]},
                             {"scores", scores}});
  }
  json unreadable = json::array();
  for (const Unreadable& u : r.unreadable) {
    unreadable.push_back({{"path", u.path}, {"error", u.error}});
  }
  json report = {
      {"tinykws_version", TINYKWS_VERSION},
      {"model", ModelJson(r.model)},
      {"data",
       {{"dir", r.data_dir},
        {"split", r.split},
        {"split_from_lists", r.split_from_lists},
        {"clips", r.clips},
        {"clips_per_label", r.clips_per_label},
        {"silence_clips", r.silence_clips},
        {"skipped_folders", r.skipped_folders},
        {"unreadable", unreadable},
        {"truncated", r.truncated}}},
      {"accuracy", r.accuracy},
      {"balanced_accuracy", r.balanced_accuracy},
      {"correct", r.correct},
      {"per_class", per_class},
      {"confusion", {{"labels", r.model.labels}, {"matrix", r.confusion}}},
      {"misclassified", misclassified},
      {"latency_us", LatencyJson(r.latency)},
      {"front_end", FeaturePrecisionName(r.front_end)},
      {"threads", r.threads},
      {"eval_seconds", r.eval_seconds},
  };
  if (r.has_reference) {
    report["reference"] = {{"model", ModelJson(r.reference)},
                           {"latency_us", LatencyJson(r.reference_latency)},
                           {"savings_percent",
                            {{"latency", r.latency_savings_percent},
                             {"size", r.size_savings_percent}}}};
  }
  return report;
}

Status AddRunToReport(const std::string& run_dir, json* report) {
  json run = {{"dir", run_dir}, {"metrics", json::array()}};
  StatusOr<std::string> metrics =
      ReadWholeFile(run_dir + "/metrics.jsonl", size_t{1} << 26);
  if (!metrics.ok()) return metrics.status();
  std::istringstream lines(*metrics);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    json epoch = json::parse(line, nullptr, false);
    if (epoch.is_discarded()) {
      return FormatError(run_dir + "/metrics.jsonl: a line is not JSON");
    }
    run["metrics"].push_back(epoch);
  }
  StatusOr<std::string> summary =
      ReadWholeFile(run_dir + "/summary.json", size_t{1} << 24);
  if (summary.ok()) {
    json s = json::parse(*summary, nullptr, false);
    if (!s.is_discarded()) run["summary"] = s;
  }
  (*report)["run"] = run;
  return Status::Ok();
}

}  // namespace tinykws::eval
