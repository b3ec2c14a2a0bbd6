#include "sweep/sweep_result.hpp"

#include <cmath>

namespace tinykws::sweep {

namespace {

using nlohmann::json;

bool Measured(const TrialResult& t) {
  return t.status == "ok" && std::isfinite(t.val_accuracy) &&
         std::isfinite(t.latency_us) && t.model_bytes > 0;
}

// a is at least as good as b everywhere and better somewhere.
bool Dominates(const TrialResult& a, const TrialResult& b) {
  const bool no_worse = a.val_accuracy >= b.val_accuracy &&
                        a.latency_us <= b.latency_us &&
                        a.model_bytes <= b.model_bytes;
  const bool better = a.val_accuracy > b.val_accuracy ||
                      a.latency_us < b.latency_us ||
                      a.model_bytes < b.model_bytes;
  return no_worse && better;
}

// NaN is not JSON: written as null, read back as NaN.
json Number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

template <typename T>
Status Read(const json& j, const char* key, T* out, const std::string& what) {
  if (!j.contains(key) || j.at(key).is_null()) return Status::Ok();
  try {
    *out = j.at(key).get<T>();
  } catch (const json::exception&) {
    return FormatError(what + ": '" + key + "' has the wrong type");
  }
  return Status::Ok();
}

Status ReadNumber(const json& j, const char* key, double* out,
                  const std::string& what) {
  if (j.contains(key) && j.at(key).is_null()) {
    *out = kNaN;
    return Status::Ok();
  }
  return Read(j, key, out, what);
}

}  // namespace

void MarkParetoFront(std::vector<TrialResult>* trials) {
  for (TrialResult& t : *trials) {
    t.pareto = Measured(t);
    if (!t.pareto) continue;
    for (const TrialResult& other : *trials) {
      if (&other != &t && Measured(other) && Dominates(other, t)) {
        t.pareto = false;
        break;
      }
    }
  }
}

json ToJson(const TrialResult& t) {
  json overrides = json::object();
  // nlohmann's object is sorted; "override_order" keeps the space's order.
  json order = json::array();
  for (const auto& [key, value] : t.overrides) {
    overrides[key] = value;
    order.push_back(key);
  }
  json val = json::array(), test = json::array();
  for (double v : t.val_accuracies) val.push_back(Number(v));
  for (double v : t.test_accuracies) test.push_back(Number(v));
  json j = {{"id", t.id},
            {"status", t.status},
            {"overrides", overrides},
            {"override_order", order},
            {"epochs", t.epochs},
            {"seeds", t.seeds},
            {"val_accuracy", Number(t.val_accuracy)},
            {"test_accuracy", Number(t.test_accuracy)},
            {"val_accuracies", val},
            {"test_accuracies", test},
            {"model_bytes", t.model_bytes},
            {"macs", t.macs},
            {"parameters", t.parameters},
            {"latency_us", Number(t.latency_us)},
            {"pareto", t.pareto},
            {"rank", t.rank},
            {"train_seconds", t.train_seconds}};
  if (!t.error.empty()) j["error"] = t.error;
  if (t.mark) {
    j["mark"] = true;
    j["mark_config"] = t.mark_config;
  }
  return j;
}

json ToJson(const SweepReport& r) {
  json trials = json::array();
  for (const TrialResult& t : r.trials) trials.push_back(ToJson(t));
  return {{"name", r.name},
          {"space", r.space_path},
          {"base_config", r.base_config},
          {"strategy", r.strategy},
          {"early_stopping", r.early_stopping},
          {"rungs", r.rungs},
          {"epochs", r.epochs},
          {"seeds", r.seeds},
          {"world_size", r.world_size},
          {"wall_seconds", r.wall_seconds},
          {"latency_kernel", r.latency_kernel},
          {"latency_clips", r.latency_clips},
          {"data", r.data_dir},
          {"trials", trials}};
}

StatusOr<TrialResult> TrialFromJson(const json& j) {
  TrialResult t;
  if (!j.is_object()) return FormatError("a trial is not a JSON object");
  TINYKWS_RETURN_IF_ERROR(Read(j, "id", &t.id, "trial"));
  const std::string what = "trial " + t.id;
  TINYKWS_RETURN_IF_ERROR(Read(j, "status", &t.status, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "error", &t.error, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "mark", &t.mark, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "mark_config", &t.mark_config, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "epochs", &t.epochs, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "seeds", &t.seeds, what));
  TINYKWS_RETURN_IF_ERROR(ReadNumber(j, "val_accuracy", &t.val_accuracy, what));
  TINYKWS_RETURN_IF_ERROR(
      ReadNumber(j, "test_accuracy", &t.test_accuracy, what));
  TINYKWS_RETURN_IF_ERROR(ReadNumber(j, "latency_us", &t.latency_us, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "model_bytes", &t.model_bytes, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "macs", &t.macs, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "parameters", &t.parameters, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "pareto", &t.pareto, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "rank", &t.rank, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "train_seconds", &t.train_seconds, what));
  for (const char* key : {"val_accuracies", "test_accuracies"}) {
    std::vector<double>& out =
        key[0] == 'v' ? t.val_accuracies : t.test_accuracies;
    if (!j.contains(key)) continue;
    if (!j.at(key).is_array()) {
      return FormatError(what + ": '" + key + "' is not a list");
    }
    for (const json& v : j.at(key)) {
      out.push_back(v.is_number() ? v.get<double>() : kNaN);
    }
  }
  const json& overrides = j.value("overrides", json::object());
  const json& order = j.value("override_order", json::array());
  if (!overrides.is_object() || !order.is_array()) {
    return FormatError(what + ": 'overrides' is not an object");
  }
  for (const json& key : order) {
    if (key.is_string() && overrides.contains(key.get<std::string>())) {
      t.overrides.push_back(
          {key.get<std::string>(), overrides.at(key.get<std::string>())});
    }
  }
  return t;
}

StatusOr<SweepReport> SweepFromJson(const json& j) {
  SweepReport r;
  if (!j.is_object()) return FormatError("sweep.json is not a JSON object");
  const std::string what = "sweep.json";
  TINYKWS_RETURN_IF_ERROR(Read(j, "name", &r.name, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "space", &r.space_path, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "base_config", &r.base_config, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "strategy", &r.strategy, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "early_stopping", &r.early_stopping, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "rungs", &r.rungs, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "epochs", &r.epochs, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "seeds", &r.seeds, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "world_size", &r.world_size, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "wall_seconds", &r.wall_seconds, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "latency_kernel", &r.latency_kernel, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "latency_clips", &r.latency_clips, what));
  TINYKWS_RETURN_IF_ERROR(Read(j, "data", &r.data_dir, what));
  if (!j.contains("trials") || !j.at("trials").is_array()) {
    return FormatError(what + ": 'trials' is missing or not a list");
  }
  for (const json& t : j.at("trials")) {
    StatusOr<TrialResult> trial = TrialFromJson(t);
    if (!trial.ok()) return trial.status();
    r.trials.push_back(std::move(*trial));
  }
  return r;
}

}  // namespace tinykws::sweep
