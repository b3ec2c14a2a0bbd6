#include "tinykws/config.hpp"

#include <algorithm>
#include <set>

#include "common/atomic_file.hpp"
#include "config/sections.hpp"
#include "tinykws/dataset.hpp"

namespace tinykws {

namespace {

using config::TableReader;

Status ReadFeatures(const toml::table& table, const std::string& origin,
                    FeatureConfig* f) {
  TableReader r(table, origin, "features");
  TINYKWS_RETURN_IF_ERROR(r.Int("sample_rate", &f->sample_rate));
  TINYKWS_RETURN_IF_ERROR(r.Int("clip_samples", &f->clip_samples));
  TINYKWS_RETURN_IF_ERROR(r.Int("frame_length", &f->frame_length));
  TINYKWS_RETURN_IF_ERROR(r.Int("frame_step", &f->frame_step));
  TINYKWS_RETURN_IF_ERROR(r.Int("mel_bins", &f->mel_bins));
  TINYKWS_RETURN_IF_ERROR(r.Float("fmin_hz", &f->fmin_hz));
  TINYKWS_RETURN_IF_ERROR(r.Float("fmax_hz", &f->fmax_hz));
  TINYKWS_RETURN_IF_ERROR(r.Int("num_mfcc", &f->num_mfcc));
  TINYKWS_RETURN_IF_ERROR(r.Float("log_offset", &f->log_offset));
  std::string precision;
  TINYKWS_RETURN_IF_ERROR(r.String("precision", &precision, "float64"));
  if (precision == "float32") {
    f->precision = FeaturePrecision::kFloat32;
  } else if (precision == "float64") {
    f->precision = FeaturePrecision::kFloat64;
  } else {
    return InvalidArgument(r.Where("precision") +
                           " must be \"float64\" or \"float32\", got \"" +
                           precision + "\"");
  }
  TINYKWS_RETURN_IF_ERROR(r.CheckAllKeysUsed());
  return ValidateFeatureConfig(*f).WithPrefix(origin);
}

Status CheckLabels(const TableReader& r,
                   const std::vector<std::string>& labels) {
  if (labels.size() < 2) {
    return InvalidArgument(r.Where("labels") + " must name at least 2 labels");
  }
  std::set<std::string> seen;
  for (const std::string& label : labels) {
    if (label.empty() || label.find('/') != std::string::npos) {
      return InvalidArgument(r.Where("labels") + ": \"" + label +
                             "\" is not a folder name");
    }
    if (!seen.insert(label).second) {
      return InvalidArgument(r.Where("labels") + ": \"" + label +
                             "\" is listed twice");
    }
  }
  return Status::Ok();
}

}  // namespace

StatusOr<KwsConfig> ParseConfig(const std::string& toml_text,
                                const std::string& origin) {
  toml::table root;
  try {
    root = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    return InvalidArgument(origin + ":" +
                           std::to_string(e.source().begin.line) +
                           ": not valid TOML: " + std::string(e.description()));
  }
  KwsConfig cfg;
  cfg.source_path = origin;
  TableReader r(root, origin, "");
  TINYKWS_RETURN_IF_ERROR(r.String("name", &cfg.name));
  TINYKWS_RETURN_IF_ERROR(r.StringList("labels", &cfg.labels));
  TINYKWS_RETURN_IF_ERROR(CheckLabels(r, cfg.labels));
  const toml::table* section = nullptr;
  TINYKWS_RETURN_IF_ERROR(r.Table("features", &section));
  TINYKWS_RETURN_IF_ERROR(ReadFeatures(*section, origin, &cfg.features));
  TINYKWS_RETURN_IF_ERROR(r.Table("model", &section));
  TINYKWS_RETURN_IF_ERROR(config::ReadModel(*section, origin, &cfg.model));
  TINYKWS_RETURN_IF_ERROR(r.Table("training", &section));
  TINYKWS_RETURN_IF_ERROR(
      config::ReadTraining(*section, origin, &cfg.training));
  if (r.Has("data")) {
    TINYKWS_RETURN_IF_ERROR(r.Table("data", &section));
    TINYKWS_RETURN_IF_ERROR(config::ReadData(*section, origin, &cfg.data));
  }
  if (r.Has("augment")) {
    TINYKWS_RETURN_IF_ERROR(r.Table("augment", &section));
    TINYKWS_RETURN_IF_ERROR(
        config::ReadAugment(*section, origin, &cfg.augment));
  }
  TINYKWS_RETURN_IF_ERROR(r.CheckAllKeysUsed());
  const bool has_unknown = std::find(cfg.labels.begin(), cfg.labels.end(),
                                     kUnknownLabel) != cfg.labels.end();
  const bool has_silence = std::find(cfg.labels.begin(), cfg.labels.end(),
                                     kSilenceLabel) != cfg.labels.end();
  if ((cfg.data.unknown_share > 0.0f) != has_unknown) {
    return InvalidArgument(
        origin + ": data.unknown_share > 0 goes with the \"" +
        std::string(kUnknownLabel) + "\" label (both or neither)");
  }
  if ((cfg.data.silence_share > 0.0f) != has_silence) {
    return InvalidArgument(
        origin + ": data.silence_share > 0 goes with the \"" +
        std::string(kSilenceLabel) + "\" label (both or neither)");
  }
  const StatusOr<ModelShape> shape = InferModelShape(
      cfg.model, cfg.features, static_cast<int>(cfg.labels.size()));
  if (!shape.ok()) return shape.status().WithPrefix(origin);
  return cfg;
}

StatusOr<KwsConfig> LoadConfig(const std::string& path) {
  constexpr size_t kMaxConfigBytes = 1 << 20;
  StatusOr<std::string> text = ReadWholeFile(path, kMaxConfigBytes);
  if (!text.ok()) return text.status();
  return ParseConfig(*text, path);
}

}  // namespace tinykws
