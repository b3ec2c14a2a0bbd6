// kws features: the MFCC matrix of one audio file, exactly as the model sees
// it (same library, same config).
#include <unistd.h>

#include <cstdio>
#include <vector>

#include "commands.hpp"
#include "common/atomic_file.hpp"
#include "matrix_output.hpp"
#include "tinykws/audio.hpp"
#include "tinykws/config.hpp"
#include "tinykws/runtime.hpp"

namespace kws {

namespace {

struct FeaturesParams {
  std::string config_path;
  std::string model_path;
  std::string audio_path;
  std::string format = "csv";
  std::string output_path;
  bool verbose = false;
};

tinykws::Status RunFeatures(const FeaturesParams& p) {
  using tinykws::Status;
  // The features come from the model file (what a deployed model computes)
  // or from a config file (what training will compute): the same struct.
  tinykws::FeatureConfig fc;
  if (p.model_path.empty() && p.config_path.empty()) {
    return tinykws::InvalidArgument("give --config FILE or --model MODEL.kws");
  }
  if (!p.model_path.empty()) {
    tinykws::StatusOr<std::shared_ptr<const tinykws::Model>> model =
        tinykws::Model::Load(p.model_path);
    if (!model.ok()) return model.status();
    fc = (*model)->features();
  } else {
    tinykws::StatusOr<tinykws::KwsConfig> config =
        tinykws::LoadConfig(p.config_path);
    if (!config.ok()) return config.status();
    fc = config->features;
  }
  tinykws::AudioReadOptions options;
  options.verbose = p.verbose;
  tinykws::StatusOr<tinykws::AudioClip> clip =
      tinykws::ReadAudio(p.audio_path, fc.sample_rate, options);
  if (!clip.ok()) return clip.status();
  if (clip->truncated) WarnTruncated(p.audio_path);
  tinykws::StatusOr<tinykws::MfccExtractor> extractor =
      tinykws::MfccExtractor::Create(fc);
  if (!extractor.ok()) return extractor.status();
  std::vector<float> mfcc(fc.num_features());
  TINYKWS_RETURN_IF_ERROR(extractor->Compute(
      clip->samples.data(), clip->samples.size(), mfcc.data(), mfcc.size()));
  if (p.verbose) {
    std::fprintf(stderr,
                 "note: %s: %zu samples, %d frames x %d MFCC (%s kernel)\n",
                 p.audio_path.c_str(), clip->samples.size(), fc.num_frames(),
                 fc.num_mfcc, extractor->kernel_name());
  }
  const std::string bytes =
      p.format == "npy" ? MatrixToNpy(mfcc, fc.num_frames(), fc.num_mfcc)
                        : MatrixToCsv(mfcc, fc.num_frames(), fc.num_mfcc);
  if (!p.output_path.empty()) {
    return tinykws::WriteFileAtomically(p.output_path, bytes);
  }
  if (p.format == "npy" && isatty(STDOUT_FILENO)) {
    return tinykws::InvalidArgument(
        "refusing to print binary .npy to a terminal; use --output FILE");
  }
  if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size()) {
    return tinykws::IoError("cannot write to standard output");
  }
  return Status::Ok();
}

}  // namespace

void AddFeaturesCommand(CLI::App& app, int* exit_code) {
  auto params = std::make_shared<FeaturesParams>();
  CLI::App* cmd = app.add_subcommand(
      "features",
      "Print the MFCC matrix (frames x coefficients) of an audio file, "
      "computed exactly as training and inference compute it.");
  CLI::Option* config =
      cmd->add_option("--config", params->config_path,
                      "Config file whose [features] section defines the MFCCs "
                      "(e.g. configs/go_stop.toml)");
  CLI::Option* model = cmd->add_option(
      "--model", params->model_path,
      "Model file (.kws) whose embedded feature config is used");
  config->excludes(model);
  model->excludes(config);
  cmd->add_option("audio", params->audio_path,
                  "Audio file (WAV, FLAC, ... ; resampled and mixed to mono "
                  "as needed)")
      ->required();
  cmd->add_option("--format", params->format,
                  "Output format: csv (one frame per line) or npy (NumPy "
                  "float32 array, shape frames x coefficients)")
      ->check(CLI::IsMember({"csv", "npy"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", params->output_path,
                  "Write to this file (atomically) instead of standard output");
  cmd->add_flag("-v,--verbose", params->verbose,
                "Print notes on stderr (resampling, channel mixing, sizes)");
  cmd->callback([params, exit_code] {
    const tinykws::Status status = RunFeatures(*params);
    *exit_code = status.ok() ? 0 : ReportError(status);
  });
}

}  // namespace kws
