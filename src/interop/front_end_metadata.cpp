#include "interop/front_end_metadata.hpp"

#include <cstdio>

namespace tinykws::interop {

namespace {

// Shortest text that reads back as the same float.
std::string FloatText(float v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.9g", static_cast<double>(v));
  return buffer;
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", u);
      out += escape;
    } else {
      out += c;
    }
  }
  return out + "\"";
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
  std::string labels;
  for (const std::string& label : model.labels) {
    labels += (labels.empty() ? "" : ",") + label;
  }
  kv.push_back({"tinykws.labels", labels});
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
  std::string out = "{";
  for (const auto& [key, value] : FrontEndMetadata(model)) {
    if (out.size() > 1) out += ",";
    out += JsonString(key) + ":" + JsonString(value);
  }
  return out + "}";
}

}  // namespace tinykws::interop
