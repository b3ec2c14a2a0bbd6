// kws-train mine: a hard-negative mining round. The model's detector runs
// over long keyword-free recordings; the windows where a keyword scored
// highest become a training-only data folder of _unknown_ clips, for the
// next training run (`--data MAIN --data MINED`).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "common/atomic_file.hpp"
#include "common/parallel.hpp"
#include "common/staged_folder.hpp"
#include "dataset/manifest.hpp"
#include "streaming/mining.hpp"
#include "streaming/spot_trace.hpp"
#include "tinykws/audio.hpp"
#include "tinykws/dataset.hpp"

namespace {

namespace fs = std::filesystem;

// The folder the mined clips go to: not a label, so it means _unknown_.
constexpr const char* kMinedFolder = "mined";

struct MineParams {
  std::string model_path, out_dir;
  std::vector<std::string> negatives;
  tinykws::streaming::MiningOptions options;
  double min_gap_ms = 500.0;
  bool force = false;
  MineParams() { options.threads = 0; }  // 0: all cores
};

// Whether a recording is synthetic: the data folder it sits in (its own or
// the one above: OUT/_speech_/x.wav) says so in its manifest; without one,
// it is a real recording. A manifest that cannot be read is an error.
tinykws::Status FromSyntheticFolder(const std::string& file, bool* synthetic) {
  *synthetic = false;
  fs::path folder = fs::path(file).parent_path();
  for (int up = 0; up < 2 && !folder.empty(); ++up) {
    std::error_code error;
    if (fs::exists(folder / tinykws::kDataManifestFile, error)) {
      bool training_only = false;
      return tinykws::dataset::ReadManifest(folder.string(), &training_only,
                                            synthetic);
    }
    folder = folder.parent_path();
  }
  return tinykws::Status::Ok();
}

tinykws::Status Mine(MineParams& p, std::string* summary) {
  using tinykws::Status;
  TINYKWS_RETURN_IF_ERROR(tinykws::CheckNewFolder(p.out_dir, p.force));
  if (!(p.min_gap_ms >= 0.0 && p.min_gap_ms <= 86400e3) ||
      p.options.max_windows == 0) {
    return tinykws::InvalidArgument(
        "--min-gap-ms must be in [0, 86400000] and --max-windows > 0");
  }
  p.options.min_gap_seconds = p.min_gap_ms / 1000.0;
  if (p.options.threads <= 0) p.options.threads = tinykws::HardwareThreads();
  tinykws::StatusOr<std::shared_ptr<const tinykws::Model>> model =
      tinykws::Model::Load(p.model_path);
  if (!model.ok()) return model.status();
  tinykws::StatusOr<std::vector<std::string>> files =
      tinykws::streaming::ListRecordings(p.negatives);
  if (!files.ok()) return files.status();
  if (files->empty())
    return tinykws::InvalidArgument("--negatives: none given");
  // One folder is real or synthetic ([data] synthetic_share weighs them
  // apart): mine the two kinds into two folders.
  bool synthetic = false;
  for (size_t i = 0; i < files->size(); ++i) {
    bool this_one = false;
    TINYKWS_RETURN_IF_ERROR(FromSyntheticFolder((*files)[i], &this_one));
    if (i > 0 && this_one != synthetic) {
      return tinykws::InvalidArgument(
          "--negatives mixes synthetic recordings (" +
          (this_one ? (*files)[i] : (*files)[0]) + ") with real ones (" +
          (this_one ? (*files)[0] : (*files)[i]) +
          "); mine each kind into its own folder");
    }
    synthetic = this_one;
  }
  tinykws::StatusOr<std::vector<tinykws::streaming::MinedWindow>> windows =
      tinykws::streaming::MineRecordings(*model, *files, p.options);
  if (!windows.ok()) return windows.status();
  const tinykws::FeatureConfig& f = (*model)->features();
  tinykws::StatusOr<std::vector<std::vector<int16_t>>> clips =
      tinykws::streaming::CutWindows(*files, *windows, f.sample_rate,
                                     f.clip_samples);
  if (!clips.ok()) return clips.status();

  tinykws::StatusOr<std::string> staging =
      tinykws::CreateStagingFolder(p.out_dir);
  if (!staging.ok()) return staging.status();
  auto fail = [&](const Status& s) {
    tinykws::AbandonStagingFolder(*staging);
    return s;
  };
  std::error_code ec;
  fs::create_directories(fs::path(*staging) / kMinedFolder, ec);
  if (ec) return fail(tinykws::IoError(*staging + ": " + ec.message()));
  std::map<std::string, int> per_keyword;
  nlohmann::json list = nlohmann::json::array();
  for (size_t i = 0; i < windows->size(); ++i) {
    const tinykws::streaming::MinedWindow& w = (*windows)[i];
    const std::string label = (*model)->labels()[static_cast<size_t>(w.label)];
    ++per_keyword[label];
    // Speaker: the recording, so a split by speaker keeps one together.
    const std::string name = std::string(kMinedFolder) + "/rec" +
                             std::to_string(w.recording) + "_nohash_" +
                             std::to_string(i) + ".wav";
    const std::vector<int16_t>& pcm = (*clips)[i];
    Status s = tinykws::WriteWav(*staging + "/" + name, pcm.data(), pcm.size(),
                                 f.sample_rate);
    if (!s.ok()) return fail(s);
    list.push_back({{"clip", name},
                    {"recording", (*files)[w.recording]},
                    {"end_s", static_cast<double>(w.end + 1) / f.sample_rate},
                    {"keyword", label},
                    {"score", w.score}});
  }
  const nlohmann::json manifest = {
      {"format", "tinykws-mined"},  {"training_only", true},
      {"synthetic", synthetic},     {"tinykws_version", TINYKWS_VERSION},
      {"model", p.model_path},      {"min_score", p.options.min_score},
      {"min_gap_ms", p.min_gap_ms}, {"recordings", *files},
      {"per_keyword", per_keyword}, {"windows", list}};
  Status s = tinykws::WriteFileAtomically(
      *staging + "/" + tinykws::kDataManifestFile, manifest.dump(2) + "\n");
  if (!s.ok()) return fail(s);
  s = tinykws::CommitStagingFolder(*staging, p.out_dir, p.force);
  if (!s.ok()) return fail(s);
  std::string counts;
  for (const auto& [label, n] : per_keyword) {
    counts += (counts.empty() ? "" : ", ") + label + ": " + std::to_string(n);
  }
  char text[512];
  std::snprintf(text, sizeof text,
                "mined %zu windows (%s) scoring %.6f down to %.6f from %zu "
                "recording%s; wrote %s (%s, training-only)",
                windows->size(), counts.empty() ? "none" : counts.c_str(),
                windows->empty() ? 0.0 : windows->front().score,
                windows->empty() ? 0.0 : windows->back().score, files->size(),
                files->size() == 1 ? "" : "s", p.out_dir.c_str(),
                synthetic ? "synthetic" : "real");
  *summary = text;
  return Status::Ok();
}

}  // namespace

void AddMine(CLI::App& app, int* exit_code) {
  auto p = std::make_shared<MineParams>();
  CLI::App* cmd = app.add_subcommand(
      "mine",
      "Hard-negative mining: run a model's detector over long keyword-free "
      "recordings and write the windows where a keyword scored highest as a "
      "training-only folder of _unknown_ clips (train again with --data "
      "MAIN --data OUT).");
  cmd->add_option("--model", p->model_path, "Model file (.kws)")->required();
  cmd->add_option("--negatives", p->negatives,
                  "Keyword-free recordings: files or folders of them (e.g. a "
                  "`kws synth` folder's _speech_)")
      ->required();
  cmd->add_option("--out", p->out_dir, "Folder to write (atomically)")
      ->required();
  cmd->add_option("--min-score", p->options.min_score,
                  "Keep runs where a keyword's smoothed score reaches this")
      ->capture_default_str();
  cmd->add_option("--max-windows", p->options.max_windows,
                  "Keep at most this many, the highest scores first")
      ->capture_default_str();
  cmd->add_option("--min-gap-ms", p->min_gap_ms,
                  "Windows of one recording at least this far apart")
      ->capture_default_str();
  cmd->add_option("--threads", p->options.threads,
                  "Recordings spotted in parallel (default: all cores)");
  cmd->add_flag("--force", p->force, "Replace --out if it exists");
  cmd->callback([p, exit_code] {
    std::string summary;
    const tinykws::Status s = Mine(*p, &summary);
    if (!s.ok()) {
      std::fprintf(stderr, "error: %s\n", s.message().c_str());
      *exit_code = s.code() == tinykws::StatusCode::kInternal ? 3 : 1;
      return;
    }
    std::printf("%s\n", summary.c_str());
  });
}
