#include "streaming/model_calibration.hpp"

#include <cmath>
#include <cstdio>

#include "common/rng.hpp"

namespace tinykws::streaming {

namespace {

std::string Number(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", x);
  return text;
}

// NaN fails both comparisons.
Status CheckKeywordFreeMinutes(double minutes) {
  if (minutes >= 0.0 && minutes <= kMaxKeywordFreeMinutes) return Status::Ok();
  return InvalidArgument("keyword-free minutes must be a number in 0.." +
                         Number(kMaxKeywordFreeMinutes) + ", got " +
                         Number(minutes));
}

}  // namespace

uint64_t PartSeed(uint64_t seed, int index) {
  return SplitMix64(seed ^ SplitMix64(static_cast<uint64_t>(index) + 1));
}

StatusOr<std::vector<std::unique_ptr<SyntheticStream>>> PlanKeywordFree(
    const std::shared_ptr<const StreamSources>& sources, double minutes,
    uint64_t seed) {
  TINYKWS_RETURN_IF_ERROR(CheckKeywordFreeMinutes(minutes));
  std::vector<std::unique_ptr<SyntheticStream>> parts;
  double left = minutes;
  for (int part = 0; left > 1e-9; ++part) {
    const double length = std::min(left, kKeywordFreePartMinutes);
    StatusOr<SyntheticStream> s =
        SyntheticStream::Plan(sources, {length, false, PartSeed(seed, part)});
    if (!s.ok()) return s.status();
    parts.push_back(std::make_unique<SyntheticStream>(std::move(*s)));
    left -= length;
  }
  return parts;
}

StatusOr<ModelCalibration> CalibrateModel(
    const std::shared_ptr<const Model>& model,
    const std::shared_ptr<const StreamSources>& positives,
    const ModelCalibrationOptions& options) {
  if (!(options.target_fa_per_hour >= 0.0 &&
        options.target_fa_per_hour <= kMaxTargetFaPerHour)) {
    return InvalidArgument(
        "target false alarms per hour must be a number in 0.." +
        Number(kMaxTargetFaPerHour) + ", got " +
        Number(options.target_fa_per_hour));
  }
  TINYKWS_RETURN_IF_ERROR(
      CheckKeywordFreeMinutes(options.keyword_free_minutes));
  // Stream 0: every keyword clip once; then keyword-free parts; then files.
  std::vector<std::unique_ptr<SyntheticStream>> synthetic;
  std::vector<std::string> names;
  StatusOr<SyntheticStream> keywords =
      SyntheticStream::Plan(positives, {0.0, true, options.seed});
  if (!keywords.ok()) return keywords.status();
  synthetic.push_back(std::make_unique<SyntheticStream>(std::move(*keywords)));
  names.push_back("keywords");
  StatusOr<std::vector<std::unique_ptr<SyntheticStream>>> free =
      PlanKeywordFree(positives, options.keyword_free_minutes, options.seed);
  if (!free.ok()) return free.status();
  for (auto& part : *free) {
    synthetic.push_back(std::move(part));
    names.push_back("keyword-free " + std::to_string(synthetic.size() - 1));
  }
  for (const std::string& f : options.negative_files) names.push_back(f);

  StatusOr<Spotter> probe = Spotter::Create(model, options.spotter);
  if (!probe.ok()) return probe.status();
  std::vector<const SyntheticStream*> planned;
  for (const auto& s : synthetic) planned.push_back(s.get());
  std::vector<SpotTrace> traces;
  TINYKWS_RETURN_IF_ERROR(TraceAll(model, options.spotter, planned,
                                   options.negative_files, options.threads,
                                   &traces));
  const size_t count = names.size();

  std::vector<TracedStream> traced;
  ModelCalibration out;
  out.target_fa_per_hour = options.target_fa_per_hour;
  out.truncated_files = positives->truncated;
  for (size_t i = 0; i < count; ++i) {
    if (traces[i].truncated) out.truncated_files.push_back(names[i]);
    traced.push_back(
        {&traces[i], i < synthetic.size() ? &synthetic[i]->events() : nullptr});
    out.spot_seconds += traces[i].spot_seconds;
  }
  const int rate = model->features().sample_rate;
  // The target is this function's option; the search's own copy follows it.
  CalibrationOptions search = options.search;
  search.target_fa_per_hour = options.target_fa_per_hour;
  out.result = Calibrate(traced, model->labels(), probe->params(), rate,
                         model->features().clip_samples, search);
  // A target of 0 asks for no false alarm whatever the length: no advice.
  if (out.result.budget == 0 && options.target_fa_per_hour > 0.0) {
    out.warning =
        ShortAudioWarning(out.result.hours, options.target_fa_per_hour);
  }
  // Per stream, at the chosen parameters.
  for (size_t i = 0; i < count; ++i) {
    const StreamScore s =
        ScoreAll({traced[i]}, model->labels(), out.result.params, rate,
                 model->features().clip_samples);
    out.streams.push_back(
        {names[i], s.seconds, s.keywords, s.found, s.false_alarms});
  }
  return out;
}

std::string ShortAudioWarning(double hours, double target_fa_per_hour) {
  char text[512];
  // The audio that allows one false alarm at the target; 0 false alarms
  // asked of an hour of audio is a target the thresholds cannot be checked
  // against.
  const double needed_minutes =
      60.0 * (target_fa_per_hour > 0 ? 1.0 / target_fa_per_hour : 1.0);
  char needed[64];
  if (needed_minutes >= 60.0) {  // hours, rounded up to a tenth
    std::snprintf(needed, sizeof needed, "%g h",
                  std::ceil(needed_minutes / 6.0) / 10.0);
  } else {
    std::snprintf(needed, sizeof needed, "%.0f min", std::ceil(needed_minutes));
  }
  std::snprintf(text, sizeof text,
                "%.1f min of audio at a target of %g false alarms per hour: 0 "
                "false alarms allowed, so the thresholds only keep these "
                "minutes quiet and say little about an hour; record >= %s of "
                "keyword-free audio for this target",
                hours * 60.0, target_fa_per_hour, needed);
  return text;
}

std::string DescribeCalibration(const ModelCalibration& c,
                                const std::string& source) {
  const CalibrationResult& r = c.result;
  char text[512];
  const double recall =
      r.score.keywords > 0 ? 100.0 * r.score.found / r.score.keywords : 0.0;
  std::snprintf(text, sizeof text,
                "%s, %.2f h in %zu streams: found %d/%d keywords (%.1f %%), "
                "%d false alarm%s (%.2f per hour; target %g per hour: %d "
                "allowed)%s",
                source.c_str(), r.hours, c.streams.size(), r.score.found,
                r.score.keywords, recall, r.score.false_alarms,
                r.score.false_alarms == 1 ? "" : "s",
                r.hours > 0 ? r.score.false_alarms / r.hours : 0.0,
                c.target_fa_per_hour, r.budget,
                r.target_met ? "" : "; target not met");
  return text;
}

}  // namespace tinykws::streaming
