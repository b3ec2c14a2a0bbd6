// kws predict: label and score of each audio file.
#include <cstdio>
#include <vector>

#include "commands.hpp"
#include "tinykws/audio.hpp"
#include "tinykws/runtime.hpp"

namespace kws {

namespace {

struct PredictParams {
  std::string model_path;
  std::vector<std::string> files;
  bool verbose = false;
};

// Prints one line per file; a file that cannot be read is reported on
// stderr and makes the exit code 1, the other files are still classified.
int RunPredict(const PredictParams& p) {
  tinykws::StatusOr<std::shared_ptr<const tinykws::Model>> model =
      tinykws::Model::Load(p.model_path);
  if (!model.ok()) return ReportError(model.status());
  tinykws::StatusOr<tinykws::Session> session =
      tinykws::Session::Create(*model);
  if (!session.ok()) return ReportError(session.status());
  const int rate = (*model)->features().sample_rate;
  tinykws::AudioReadOptions options;
  options.verbose = p.verbose;
  int exit_code = 0;
  for (const std::string& path : p.files) {
    tinykws::StatusOr<tinykws::AudioClip> clip =
        tinykws::ReadAudio(path, rate, options);
    tinykws::ClassifyResult result;
    tinykws::Status status =
        clip.ok() ? session->Classify(clip->samples.data(),
                                      clip->samples.size(), rate, &result)
                  : clip.status();
    if (!status.ok()) {
      exit_code = ReportError(status);
      continue;
    }
    if (clip->truncated) WarnTruncated(path);
    const size_t clip_samples =
        static_cast<size_t>((*model)->features().clip_samples);
    if (clip->samples.size() > clip_samples) {
      std::fprintf(stderr,
                   "warning: %s is %.2f s long; the model classifies its "
                   "first %.2f s (use `kws spot` to find keywords in longer "
                   "audio)\n",
                   path.c_str(),
                   static_cast<double>(clip->samples.size()) / rate,
                   static_cast<double>(clip_samples) / rate);
    }
    std::printf("%s\t%s\t%.6f\n", path.c_str(),
                (*model)->labels()[result.label].c_str(), result.score);
  }
  return exit_code;
}

}  // namespace

void AddPredictCommand(CLI::App& app, int* exit_code) {
  auto params = std::make_shared<PredictParams>();
  CLI::App* cmd = app.add_subcommand(
      "predict",
      "Classify audio files: one line per file with path, label and score "
      "(tab-separated).");
  cmd->add_option("--model", params->model_path, "Model file (.kws)")
      ->required();
  cmd->add_option("files", params->files, "Audio files (WAV, FLAC, ...)")
      ->required();
  cmd->add_flag("-v,--verbose", params->verbose,
                "Notes on stderr (resampling, mixing)");
  cmd->callback([params, exit_code] { *exit_code = RunPredict(*params); });
}

}  // namespace kws
