// kws calibrate: recalibrate a model's detector on the user's recordings.
#include <sys/stat.h>

#include <cstdio>
#include <set>

#include "commands.hpp"
#include "common/atomic_file.hpp"
#include "common/parallel.hpp"
#include "detector_flags.hpp"
#include "format/model_file.hpp"
#include "streaming/model_calibration.hpp"
#include "streaming/spot_trace.hpp"
#include "tinykws/audio.hpp"

namespace kws {

namespace {

// Bed noise for the keyword stream when the positives folder has none:
// the first minutes of each negative recording (the user's own room).
constexpr double kBedMinutesPerFile = 10.0;

struct CalibrateParams {
  std::string model_path, positives, out_path;
  tinykws::streaming::ModelCalibrationOptions options;
  bool force = false;
};

tinykws::Status BedFromRecordings(const std::vector<std::string>& files,
                                  int rate, tinykws::NoiseBank* noise,
                                  std::vector<std::string>* truncated) {
  for (const std::string& path : files) {
    tinykws::AudioReadOptions options;
    options.max_seconds = 7 * 24 * 3600.0;
    tinykws::StatusOr<std::unique_ptr<tinykws::AudioFileStream>> file =
        tinykws::AudioFileStream::Open(path, rate, options);
    if (!file.ok()) return file.status();
    std::vector<int16_t> all, chunk;
    const size_t limit = static_cast<size_t>(kBedMinutesPerFile * 60 * rate);
    for (bool end = false; !end && all.size() < limit;) {
      TINYKWS_RETURN_IF_ERROR((*file)->Read(&chunk, &end));
      all.insert(all.end(), chunk.begin(), chunk.end());
    }
    all.resize(std::min(all.size(), limit));
    if ((*file)->truncated()) truncated->push_back(path);
    noise->push_back(std::move(all));
  }
  return tinykws::Status::Ok();
}

int RunCalibrate(CalibrateParams& p) {
  struct stat st {};
  if (!p.force && ::stat(p.out_path.c_str(), &st) == 0) {
    return ReportError(tinykws::InvalidArgument(
        p.out_path + ": exists (use --force to replace it)"));
  }
  tinykws::Status s = tinykws::CheckOutputFolder(p.out_path);
  if (!s.ok()) return ReportError(s);
  tinykws::StatusOr<tinykws::format::ModelFile> file =
      tinykws::format::ReadModelFile(p.model_path);
  if (!file.ok()) return ReportError(file.status());
  tinykws::StatusOr<std::shared_ptr<const tinykws::Model>> model =
      tinykws::Model::Load(p.model_path);
  if (!model.ok()) return ReportError(model.status());
  s = CheckHopFrames(**model, p.options.spotter.hop_frames);
  if (!s.ok()) return ReportUsageError(s);
  const int rate = (*model)->features().sample_rate;
  if (p.options.threads <= 0) p.options.threads = tinykws::HardwareThreads();
  {
    tinykws::StatusOr<std::vector<std::string>> files =
        tinykws::streaming::ListRecordings(p.options.negative_files);
    if (!files.ok()) return ReportError(files.status());
    p.options.negative_files = std::move(*files);
  }
  tinykws::StatusOr<std::shared_ptr<const tinykws::streaming::StreamSources>>
      sources = tinykws::streaming::LoadStreamSources(
          p.positives, (*model)->labels(), "all", rate, p.options.threads);
  if (!sources.ok()) return ReportError(sources.status());
  if ((*sources)->noise.empty() && !p.options.negative_files.empty()) {
    auto with_bed =
        std::make_shared<tinykws::streaming::StreamSources>(**sources);
    s = BedFromRecordings(p.options.negative_files, rate, &with_bed->noise,
                          &with_bed->truncated);
    if (!s.ok()) return ReportError(s);
    *sources = std::move(with_bed);
  }
  tinykws::StatusOr<tinykws::streaming::ModelCalibration> c =
      tinykws::streaming::CalibrateModel(*model, *sources, p.options);
  if (!c.ok()) return ReportError(c.status());
  // A recording read for the bed is traced again: one warning per file.
  for (const std::string& path : std::set<std::string>(
           c->truncated_files.begin(), c->truncated_files.end())) {
    WarnTruncated(path);
  }
  if (!c->warning.empty()) {
    std::fprintf(stderr, "warning: %s\n", c->warning.c_str());
  }
  const std::string description =
      tinykws::streaming::DescribeCalibration(*c, p.positives);
  file->has_detector = true;
  file->detector = c->result.params;
  bool replaced = false;
  for (auto& [key, value] : file->metadata) {
    if (key == "detector_calibration") {
      value = description;
      replaced = true;
    }
  }
  if (!replaced)
    file->metadata.push_back({"detector_calibration", description});
  s = tinykws::format::WriteModelFile(p.out_path, *file);
  if (!s.ok()) return ReportError(s);
  for (const auto& stream : c->streams) {
    std::printf("  %-28s %7.1f min  found %d/%d  false alarms %d\n",
                stream.name.c_str(), stream.seconds / 60, stream.found,
                stream.keywords, stream.false_alarms);
  }
  const tinykws::DetectorParams& d = c->result.params;
  std::printf("detector: hop %d frames, smoothing %d runs, refractory %.0f ms",
              d.hop_frames, d.smoothing_runs, d.refractory_ms);
  for (size_t k = 0; k < d.thresholds.size(); ++k) {
    if (tinykws::IsKeywordLabel((*model)->labels()[k])) {
      std::printf(", %s %.6f", (*model)->labels()[k].c_str(), d.thresholds[k]);
    }
  }
  std::printf("\nwrote %s\n%s\n", p.out_path.c_str(), description.c_str());
  return c->result.target_met ? 0 : 4;
}

}  // namespace

void AddCalibrateCommand(CLI::App& app, int* exit_code) {
  auto p = std::make_shared<CalibrateParams>();
  CLI::App* cmd = app.add_subcommand(
      "calibrate",
      "Recalibrate a model's detector on your own recordings, without "
      "retraining: thresholds that keep false alarms at or below the target "
      "rate with the most keywords found. Exit 4 when no setting meets the "
      "target (the model is still written, with the fewest false alarms).");
  cmd->add_option("--model", p->model_path, "Model file (.kws) to start from")
      ->required();
  cmd->add_option("--positives", p->positives,
                  "Folder with one sub-folder of recordings per keyword "
                  "(named as the model's labels); other word folders and "
                  "_background_noise_ are used when present")
      ->required();
  cmd->add_option("--negatives", p->options.negative_files,
                  "Keyword-free recordings of the place the detector will "
                  "listen in (files or folders of them; any length, any "
                  "format, streamed): an hour or more for a rate near 1 per "
                  "hour");
  cmd->add_option("--target-fa-per-hour", p->options.target_fa_per_hour,
                  "False alarms per hour to stay at or below")
      ->check(NumberIn(0.0, tinykws::streaming::kMaxTargetFaPerHour))
      ->capture_default_str();
  cmd->add_option("--keyword-free-minutes", p->options.keyword_free_minutes,
                  "Extra keyword-free audio built from the positives "
                  "folder's other words and noise")
      ->check(NumberIn(0.0, tinykws::streaming::kMaxKeywordFreeMinutes))
      ->capture_default_str();
  AddHopAndRefractoryFlags(
      cmd, &p->options.spotter.hop_frames, &p->options.spotter.refractory_ms,
      "Calibrate for this hop, 1 to the model's frames per clip (default: "
      "the model's)",
      "Calibrate for this refractory period (default: the model's)");
  cmd->add_option("--seed", p->options.seed, "Seed of the keyword stream")
      ->capture_default_str();
  cmd->add_option("--threads", p->options.threads,
                  "Streams spotted in parallel (default 0: all cores)")
      ->check(WholeIn(0, kMaxThreads));
  cmd->add_option("--out", p->out_path, "Model file to write (atomically)")
      ->required();
  cmd->add_flag("--force", p->force, "Replace --out if it exists");
  cmd->callback([p, exit_code] { *exit_code = RunCalibrate(*p); });
}

}  // namespace kws
