#include "tinykws/config.hpp"

#include "common/atomic_file.hpp"
#include "config/table_reader.hpp"

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
  TINYKWS_RETURN_IF_ERROR(r.CheckAllKeysUsed());
  return ValidateFeatureConfig(*f).WithPrefix(origin);
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
  const toml::table* features = nullptr;
  TINYKWS_RETURN_IF_ERROR(r.Table("features", &features));
  TINYKWS_RETURN_IF_ERROR(ReadFeatures(*features, origin, &cfg.features));
  TINYKWS_RETURN_IF_ERROR(r.CheckAllKeysUsed());
  return cfg;
}

StatusOr<KwsConfig> LoadConfig(const std::string& path) {
  constexpr size_t kMaxConfigBytes = 1 << 20;
  StatusOr<std::string> text = ReadWholeFile(path, kMaxConfigBytes);
  if (!text.ok()) return text.status();
  return ParseConfig(*text, path);
}

}  // namespace tinykws
