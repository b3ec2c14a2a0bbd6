#include "sweep/work_codec.hpp"

#include <cmath>

namespace tinykws::sweep {

namespace {

using nlohmann::json;

json Number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
double NumberOr(const json& j, const char* key) {
  return j.contains(key) && j.at(key).is_number() ? j.at(key).get<double>()
                                                  : kNaN;
}

std::string WithFiles(const json& header, const std::string& files) {
  return header.dump() + "\n" + files;
}

StatusOr<json> Header(const std::string& bytes, std::string* files) {
  const size_t newline = bytes.find('\n');
  if (newline == std::string::npos) {
    return FormatError("sweep message without a header line");
  }
  json header = json::parse(bytes.substr(0, newline), nullptr, false);
  if (!header.is_object()) return FormatError("sweep message header");
  *files = bytes.substr(newline + 1);
  return header;
}

}  // namespace

json ResultToJson(const ItemResult& r) {
  json j = {{"ok", r.ok},
            {"best_val_fp32", Number(r.best_val_fp32)},
            {"val_int8", Number(r.val_int8)},
            {"test_int8", Number(r.test_int8)},
            {"model_bytes", r.model_bytes},
            {"macs", r.macs},
            {"parameters", r.parameters},
            {"train_seconds", r.train_seconds},
            {"rank", r.rank}};
  if (!r.error.empty()) j["error"] = r.error;
  return j;
}

StatusOr<ItemResult> ResultFromJson(const json& j) {
  if (!j.is_object()) return FormatError("item result is not an object");
  ItemResult r;
  try {
    r.ok = j.value("ok", false);
    r.error = j.value("error", std::string());
    r.best_val_fp32 = NumberOr(j, "best_val_fp32");
    r.val_int8 = NumberOr(j, "val_int8");
    r.test_int8 = NumberOr(j, "test_int8");
    r.model_bytes = j.value("model_bytes", int64_t{0});
    r.macs = j.value("macs", int64_t{0});
    r.parameters = j.value("parameters", int64_t{0});
    r.train_seconds = j.value("train_seconds", 0.0);
    r.rank = j.value("rank", -1);
  } catch (const json::exception& e) {
    return FormatError(std::string("item result: ") + e.what());
  }
  return r;
}

std::string Encode(const ItemMessage& m) {
  return WithFiles({{"index", m.index},
                    {"trial", m.item.trial},
                    {"seed_index", m.item.seed_index},
                    {"epochs", m.item.epochs},
                    {"final", m.item.final},
                    {"id", m.trial_id},
                    {"seed", m.seed},
                    {"config", m.config_toml},
                    {"attempt", m.attempt}},
                   m.run_files);
}

std::string Encode(const ResultMessage& m) {
  json header = ResultToJson(m.result);
  header["index"] = m.index;
  return WithFiles(header, m.run_files);
}

Status Decode(const std::string& bytes, ItemMessage* m) {
  StatusOr<json> h = Header(bytes, &m->run_files);
  if (!h.ok()) return h.status();
  try {
    m->index = h->at("index").get<int>();
    m->item.trial = h->at("trial").get<int>();
    m->item.seed_index = h->at("seed_index").get<int>();
    m->item.epochs = h->at("epochs").get<int>();
    m->item.final = h->at("final").get<bool>();
    m->trial_id = h->at("id").get<std::string>();
    m->seed = h->at("seed").get<int64_t>();
    m->config_toml = h->at("config").get<std::string>();
    m->attempt = h->at("attempt").get<int>();
  } catch (const json::exception& e) {
    return FormatError(std::string("sweep work item: ") + e.what());
  }
  return Status::Ok();
}

Status Decode(const std::string& bytes, ResultMessage* m) {
  StatusOr<json> h = Header(bytes, &m->run_files);
  if (!h.ok()) return h.status();
  StatusOr<ItemResult> r = ResultFromJson(*h);
  if (!r.ok()) return r.status();
  m->result = *r;
  m->index = h->value("index", -1);
  return Status::Ok();
}

}  // namespace tinykws::sweep
