#include "dataset/manifest.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tinykws/dataset.hpp"

namespace tinykws::dataset {

namespace {

Status ReadFlag(const nlohmann::json& j, const std::string& path,
                const char* key, bool* out) {
  *out = false;
  const auto it = j.find(key);
  if (it == j.end()) return Status::Ok();
  if (!it->is_boolean()) {
    return FormatError(path + ": \"" + key + "\" must be true or false, got " +
                       it->dump());
  }
  *out = it->get<bool>();
  return Status::Ok();
}

}  // namespace

Status ReadManifest(const std::string& data_dir, bool* training_only,
                    bool* synthetic) {
  *training_only = false;
  *synthetic = false;
  const std::string path =
      (std::filesystem::path(data_dir) / kDataManifestFile).string();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Ok();  // no manifest: an ordinary data folder
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json j =
      nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    return FormatError(path + ": not a JSON object");
  }
  TINYKWS_RETURN_IF_ERROR(ReadFlag(j, path, "training_only", training_only));
  return ReadFlag(j, path, "synthetic", synthetic);
}

}  // namespace tinykws::dataset
