#include "train/exporter.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "common/atomic_file.hpp"
#include "common/parallel.hpp"
#include "format/model_file.hpp"
#include "quant/conv_from_spec.hpp"
#include "quant/int8_reference.hpp"
#include "quant/quantizer.hpp"
#include "streaming/model_calibration.hpp"
#include "streaming/spot_trace.hpp"
#include "tinykws/runtime.hpp"
#include "train/checkpoint.hpp"
#include "train/run_dir.hpp"
#include "train/training_data.hpp"

namespace tinykws::train {

namespace {

std::vector<float> ToVector(const torch::Tensor& t) {
  const torch::Tensor c = t.detach().contiguous().to(torch::kFloat32);
  return std::vector<float>(c.data_ptr<float>(),
                            c.data_ptr<float>() + c.numel());
}

// The trained network with batch norm folded, in the .kws layout.
quant::FloatModel FoldedModel(KwsNetImpl& net, const KwsConfig& config) {
  quant::FloatModel m;
  m.features = config.features;
  m.labels = config.labels;
  int h = config.features.num_frames(), w = config.features.num_mfcc, in = 1;
  for (const ConvUnit& unit : net.units()) {
    const BlockSpec& b = unit.spec;
    const ConvGeometry& g = unit.geometry;
    format::ConvLayer c = quant::ConvLayerFromSpec(b, h, w, in, unit.relu);
    // torch [out][in][kh][kw] -> .kws [out][kh][kw][in]
    c.float_weights = ToVector(unit.conv->weight.permute({0, 2, 3, 1}));
    if (b.bias) c.float_bias = ToVector(unit.conv->bias);
    if (unit.batch_norm) {
      const auto& bn = unit.batch_norm;
      quant::FoldBatchNorm(
          ToVector(bn->weight), ToVector(bn->bias), ToVector(bn->running_mean),
          ToVector(bn->running_var), static_cast<float>(bn->options.eps()), &c);
    }
    if (c.float_bias.empty()) c.float_bias.assign(b.filters, 0.0f);
    m.convs.push_back(std::move(c));
    h = g.out_height;
    w = g.out_width;
    in = b.filters;
  }
  m.dense.in_channels = in;
  m.dense.out_channels = static_cast<int32_t>(config.labels.size());
  m.dense.pool_count = h * w;
  m.dense.float_weights = ToVector(net.dense()->weight);
  m.dense.float_bias = ToVector(net.dense()->bias);
  return m;
}

int Argmax(const std::vector<float>& v) {
  return static_cast<int>(std::max_element(v.begin(), v.end()) - v.begin());
}

std::string Fixed(double v, int digits) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.*f", digits, v);
  return buffer;
}

// Calibrates the detector of `file` on streams from the validation split and
// stores it (section 'detector' and the metadata key detector_calibration).
Status CalibrateDetector(const ExportOptions& o, const KwsConfig& config,
                         int threads, format::ModelFile* file,
                         ExportReport* report) {
  file->has_detector = true;
  file->detector = DefaultDetectorParams(file->labels.size());
  if (o.hop_frames > 0) file->detector.hop_frames = o.hop_frames;
  if (o.refractory_ms >= 0.0f) file->detector.refractory_ms = o.refractory_ms;
  TINYKWS_RETURN_IF_ERROR(format::Validate(*file, o.out_path));
  const std::string bytes = format::Serialize(*file);
  StatusOr<std::shared_ptr<const Model>> model =
      Model::LoadFromBuffer(bytes.data(), bytes.size(), o.out_path);
  if (!model.ok()) return model.status();
  StatusOr<std::shared_ptr<const streaming::StreamSources>> sources =
      streaming::LoadStreamSources(o.data_dir, config.labels, "validation",
                                   config.features.sample_rate, threads);
  if (!sources.ok()) return sources.status();
  if ((*sources)->keywords.empty()) {
    return InvalidArgument(o.data_dir +
                           ": the validation split has no keyword clips to "
                           "calibrate the detector on (or use "
                           "--no-detector-calibration)");
  }
  streaming::ModelCalibrationOptions options;
  options.target_fa_per_hour = o.target_fa_per_hour;
  options.keyword_free_minutes = o.detector_minutes;
  options.threads = threads;
  StatusOr<std::vector<std::string>> negatives =
      streaming::ListRecordings(o.detector_negatives);
  if (!negatives.ok()) return negatives.status();
  options.negative_files = std::move(*negatives);
  StatusOr<streaming::ModelCalibration> c =
      streaming::CalibrateModel(*model, *sources, options);
  if (!c.ok()) return c.status();
  if (!c->warning.empty()) {
    std::fprintf(stderr, "warning: detector calibration: %s\n",
                 c->warning.c_str());
  }
  file->detector = c->result.params;
  report->detector_calibrated = true;
  report->detector = c->result.params;
  report->detector_calibration =
      streaming::DescribeCalibration(*c, "validation split");
  return Status::Ok();
}

// "43 of 160 epochs" for a run without summary.json, else "".
std::string UnfinishedRunNote(const std::string& run_dir,
                              const KwsConfig& config) {
  if (std::filesystem::exists(run_dir + "/summary.json")) return "";
  StatusOr<std::vector<EpochMetrics>> metrics =
      ReadMetrics(run_dir + "/metrics.jsonl");
  const size_t done = metrics.ok() ? metrics->size() : 0;
  return std::to_string(done) + " of " +
         std::to_string(config.training.epochs) + " epochs";
}

}  // namespace

Status RunExport(const ExportOptions& o, ExportReport* report) {
  // Before any work: the output folder exists, and nothing of the user's is
  // replaced without --force.
  TINYKWS_RETURN_IF_ERROR(CheckOutputFolder(o.out_path));
  std::error_code exists_error;
  if (!o.force && std::filesystem::exists(o.out_path, exists_error)) {
    return InvalidArgument(o.out_path + ": exists (use --force to replace it)");
  }
  RemoveStaleTemporaries(o.out_path);
  if (o.precision != "int8" && o.precision != "fp32") {
    return InvalidArgument("--precision must be int8 or fp32, got " +
                           o.precision);
  }
  std::vector<std::string> methods = {o.calibration};
  if (o.calibration == "auto") methods = {"minmax", "percentile", "mse"};
  quant::QuantizeOptions qopt;
  for (const std::string& m : methods) {
    if (!quant::ParseCalibrationMethod(m, &qopt.method)) {
      return InvalidArgument(
          "--calibration must be auto, minmax, percentile or mse, got " +
          o.calibration);
    }
  }
  qopt.percentile = o.percentile;
  if (o.calibration_clips < 1)
    return InvalidArgument("--calibration-clips must be >= 1");
  StatusOr<KwsConfig> config = LoadConfig(o.run_dir + "/config.toml");
  if (!config.ok()) return config.status();
  report->unfinished_note = UnfinishedRunNote(o.run_dir, *config);
  report->unfinished_run = !report->unfinished_note.empty();
  if (report->unfinished_run) {
    // Said before the minutes of calibration, so an accidental export can
    // be stopped.
    std::fprintf(stderr,
                 "warning: %s is an unfinished run (%s, no summary.json): the "
                 "model will be its best epoch so far; finish it with "
                 "`kws-train train --out %s --resume` first to ship it\n",
                 o.run_dir.c_str(), report->unfinished_note.c_str(),
                 o.run_dir.c_str());
  }
  const int threads = o.threads > 0 ? o.threads : HardwareThreads();
  torch::set_num_threads(threads);
  KwsNet net(config->model, config->features,
             static_cast<int>(config->labels.size()));
  TINYKWS_RETURN_IF_ERROR(LoadWeights(o.run_dir + "/best.pt", *net));
  net->eval();
  const quant::FloatModel folded = FoldedModel(*net, *config);

  StatusOr<std::unique_ptr<TrainingData>> data = TrainingData::Prepare(
      *config, {o.data_dir, o.cache_dir, threads, false, false});
  if (!data.ok()) return data.status();
  const LabeledSet& val = (*data)->validation();
  const int per_clip = (*data)->per_clip();

  // The folded float model must compute what LibTorch computes.
  {
    torch::NoGradGuard no_grad;
    const int64_t n = static_cast<int64_t>(val.size());
    const torch::Tensor x = torch::from_blob(
        const_cast<float*>(val.features.data()),
        {n, 1, config->features.num_frames(), config->features.num_mfcc});
    const torch::Tensor logits = net->forward(x, nullptr).contiguous();
    quant::FloatExecutor executor(folded);
    std::vector<float> ours(config->labels.size());
    for (int64_t i = 0; i < n; ++i) {
      executor.Run(&val.features[i * per_clip], ours.data(), nullptr);
      for (size_t k = 0; k < ours.size(); ++k) {
        report->torch_max_logit_diff =
            std::max(report->torch_max_logit_diff,
                     static_cast<double>(
                         std::fabs(ours[k] - logits[i][k].item<float>())));
      }
    }
  }

  format::ModelFile file;
  quant::FloatExecutor executor(folded);
  std::vector<float> logits(config->labels.size());
  if (o.precision == "int8") {
    LabeledSet calibration;
    (*data)->CalibrationSet(static_cast<size_t>(o.calibration_clips),
                            &calibration);
    quant::ActivationRanges ranges;
    std::vector<int> float_labels;
    for (size_t i = 0; i < calibration.size(); ++i) {
      executor.Run(&calibration.features[i * per_clip], logits.data(), &ranges);
      float_labels.push_back(Argmax(logits));
    }
    // Best agreement with the float model on the calibration clips; the
    // validation split stays unseen by this choice.
    int best_agreement = -1;
    for (const std::string& method : methods) {
      quant::ParseCalibrationMethod(method, &qopt.method);
      StatusOr<format::ModelFile> quantized =
          quant::QuantizeModel(folded, ranges, qopt);
      if (!quantized.ok()) return quantized.status();
      int agreement = 0;
      quant::Int8Trace trace;
      for (size_t i = 0; i < calibration.size(); ++i) {
        quant::RunInt8Reference(*quantized, &calibration.features[i * per_clip],
                                &trace);
        agreement += Argmax(trace.logits) == float_labels[i];
      }
      if (agreement > best_agreement) {
        best_agreement = agreement;
        file = std::move(*quantized);
        report->calibration = method;
      }
    }
  } else {
    file = quant::FloatModelFile(folded);
  }

  // fp32 vs int8 on the validation split.
  int64_t fp32_correct = 0, int8_correct = 0, agree = 0;
  quant::Int8Trace trace;
  for (size_t i = 0; i < val.size(); ++i) {
    executor.Run(&val.features[i * per_clip], logits.data(), nullptr);
    const int fp32 = Argmax(logits);
    int int8 = fp32;
    if (o.precision == "int8") {
      quant::RunInt8Reference(file, &val.features[i * per_clip], &trace);
      int8 = Argmax(trace.logits);
    }
    fp32_correct += fp32 == val.labels[i];
    int8_correct += int8 == val.labels[i];
    agree += fp32 == int8;
  }
  const double n = std::max<double>(1.0, static_cast<double>(val.size()));
  report->val_clips = static_cast<int64_t>(val.size());
  report->val_acc_fp32 = fp32_correct / n;
  report->val_acc_int8 = int8_correct / n;
  report->agreement = agree / n;

  file.metadata = {
      {"created_by", std::string("tinykws ") + TINYKWS_VERSION},
      {"config", config->name},
      {"run", std::filesystem::path(o.run_dir).filename().string()},
      {"val_acc_fp32", Fixed(report->val_acc_fp32, 4)},
  };
  if (report->unfinished_run) {
    file.metadata.push_back(
        {"training", "unfinished: " + report->unfinished_note});
  }
  if (o.precision == "int8") {
    file.metadata.push_back({"val_acc_int8", Fixed(report->val_acc_int8, 4)});
    file.metadata.push_back(
        {"calibration", report->calibration + ", " +
                            std::to_string(o.calibration_clips) + " clips"});
  }
  if (o.calibrate_detector) {
    TINYKWS_RETURN_IF_ERROR(
        CalibrateDetector(o, *config, threads, &file, report));
    file.metadata.push_back(
        {"detector_calibration", report->detector_calibration});
  }
  // WriteModelFile validates, serializes once and writes atomically.
  TINYKWS_RETURN_IF_ERROR(format::WriteModelFile(o.out_path, file));
  std::error_code ec;
  report->file_bytes = std::filesystem::file_size(o.out_path, ec);
  return Status::Ok();
}

}  // namespace tinykws::train
