#include "interop/front_end_metadata.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace tinykws::interop {

namespace {

// Nine significant digits: reads back as the same float.
std::string FloatText(float v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.9g", static_cast<double>(v));
  return buffer;
}

}  // namespace

KeyValues FrontEndMetadata(const format::ModelFile& model) {
  const FeatureConfig& f = model.features;
  KeyValues kv = {
      {"tinykws.format", "tinykws model, converted by kws convert (tinykws " +
                             std::string(TINYKWS_VERSION) + ")"},
      {"tinykws.input", "MFCC [1][" + std::to_string(f.num_frames()) + "][" +
                            std::to_string(f.num_mfcc) +
                            "][1] float32, frame-major (docs/deploy.md)"},
      {"tinykws.output", "logits [1][" + std::to_string(model.labels.size()) +
                             "] float32, softmax gives the scores"},
      {"tinykws.features.sample_rate", std::to_string(f.sample_rate)},
      {"tinykws.features.clip_samples", std::to_string(f.clip_samples)},
      {"tinykws.features.frame_length", std::to_string(f.frame_length)},
      {"tinykws.features.frame_step", std::to_string(f.frame_step)},
      {"tinykws.features.mel_bins", std::to_string(f.mel_bins)},
      {"tinykws.features.fmin_hz", FloatText(f.fmin_hz)},
      {"tinykws.features.fmax_hz", FloatText(f.fmax_hz)},
      {"tinykws.features.num_mfcc", std::to_string(f.num_mfcc)},
      {"tinykws.features.log_offset", FloatText(f.log_offset)},
      {"tinykws.features.precision", FeaturePrecisionName(f.precision)},
  };
  kv.push_back({"tinykws.labels", JoinedLabels(model)});
  if (model.precision == format::Precision::kInt8) {
    kv.push_back({"tinykws.input_scale", FloatText(model.input_scale)});
    kv.push_back(
        {"tinykws.input_zero_point", std::to_string(model.input_zero_point)});
  }
  if (model.has_detector) {
    const DetectorParams& d = model.detector;
    kv.push_back({"tinykws.detector.hop_frames", std::to_string(d.hop_frames)});
    kv.push_back(
        {"tinykws.detector.smoothing_runs", std::to_string(d.smoothing_runs)});
    kv.push_back(
        {"tinykws.detector.refractory_ms", FloatText(d.refractory_ms)});
    std::string thresholds;
    for (float t : d.thresholds) {
      thresholds += (thresholds.empty() ? "" : ",") + FloatText(t);
    }
    kv.push_back({"tinykws.detector.thresholds", thresholds});
  }
  for (const auto& [key, value] : model.metadata) {
    kv.push_back({"tinykws.meta." + key, value});
  }
  return kv;
}

std::string FrontEndMetadataJson(const format::ModelFile& model) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  for (const auto& [key, value] : FrontEndMetadata(model)) json[key] = value;
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string JoinedLabels(const format::ModelFile& model) {
  std::string labels;
  for (const std::string& label : model.labels) {
    labels += (labels.empty() ? "" : ",") + label;
  }
  return labels;
}

}  // namespace tinykws::interop
