#include "sweep/work_codec.hpp"

#include <cmath>
#include <limits>
#include <optional>

#include "sweep/auth.hpp"

namespace tinykws::sweep {

namespace {

using nlohmann::json;

json Number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
double NumberOr(const json& j, const char* key) {
  return j.contains(key) && j.at(key).is_number() ? j.at(key).get<double>()
                                                  : kNaN;
}

// An integer field in [lo, hi]; absent: `fallback` (nullopt: required).
// Not nlohmann's get<int>(): on a float such as 1e44 that conversion is
// undefined behaviour (found by sweep_fuzz), and other types throw.
StatusOr<int64_t> Integer(const json& j, const char* key, int64_t lo,
                          int64_t hi, std::optional<int64_t> fallback) {
  if (!j.contains(key)) {
    if (fallback) return *fallback;
    return FormatError(std::string("no \"") + key + "\"");
  }
  const json& v = j.at(key);
  int64_t value = 0;
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return FormatError(std::string("\"") + key + "\" is out of range");
    }
    value = static_cast<int64_t>(u);
  } else if (v.is_number_integer()) {
    value = v.get<int64_t>();
  } else {
    return FormatError(std::string("\"") + key + "\" is not an integer");
  }
  if (value < lo || value > hi) {
    return FormatError(std::string("\"") + key + "\" is out of range");
  }
  return value;
}

// Fields of a message header, read with their checks; the first error
// stays.
class Fields {
 public:
  explicit Fields(const json& j) : j_(j) {}
  template <typename T>
  void Int(const char* key, T* out, int64_t lo, int64_t hi,
           std::optional<int64_t> fallback = std::nullopt) {
    StatusOr<int64_t> v = Integer(j_, key, lo, hi, fallback);
    if (v.ok()) {
      *out = static_cast<T>(*v);
    } else if (status_.ok()) {
      status_ = v.status();
    }
  }
  const Status& status() const { return status_; }

 private:
  const json& j_;
  Status status_;
};

constexpr int64_t kIntMax = std::numeric_limits<int>::max();
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

std::string WithFiles(const json& header, const std::string& files) {
  return header.dump() + "\n" + files;
}

StatusOr<json> Header(const std::string& signed_bytes,
                      const std::string& secret, const std::string& key,
                      std::string* files) {
  StatusOr<std::string> verified = Verify(secret, key, signed_bytes);
  if (!verified.ok()) return verified.status();
  const std::string& bytes = *verified;
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
    r.train_seconds = j.value("train_seconds", 0.0);
  } catch (const json::exception& e) {
    return FormatError(std::string("item result: ") + e.what());
  }
  Fields f(j);
  f.Int("model_bytes", &r.model_bytes, 0, kInt64Max, 0);
  f.Int("macs", &r.macs, 0, kInt64Max, 0);
  f.Int("parameters", &r.parameters, 0, kInt64Max, 0);
  f.Int("rank", &r.rank, -1, kMaxSweepRanks - 1, -1);
  if (!f.status().ok()) return f.status().WithPrefix("item result");
  return r;
}

std::string Encode(const ItemMessage& m, const std::string& secret) {
  return Sign(secret, keys::Item(m.index),
              WithFiles({{"index", m.index},
                         {"trial", m.item.trial},
                         {"seed_index", m.item.seed_index},
                         {"epochs", m.item.epochs},
                         {"final", m.item.final},
                         {"id", m.trial_id},
                         {"seed", m.seed},
                         {"config", m.config_toml},
                         {"attempt", m.attempt}},
                        m.run_files));
}

std::string Encode(const ResultMessage& m, const std::string& secret) {
  json header = ResultToJson(m.result);
  header["index"] = m.index;
  header["id"] = m.trial_id;
  header["seed_index"] = m.seed_index;
  header["epochs"] = m.epochs;
  header["attempt"] = m.attempt;
  return Sign(secret, keys::Result(m.index), WithFiles(header, m.run_files));
}

Status Decode(const std::string& bytes, const std::string& secret, int index,
              ItemMessage* m) {
  StatusOr<json> h = Header(bytes, secret, keys::Item(index), &m->run_files);
  if (!h.ok()) return h.status();
  try {
    m->item.final = h->at("final").get<bool>();
    m->trial_id = h->at("id").get<std::string>();
    m->config_toml = h->at("config").get<std::string>();
  } catch (const json::exception& e) {
    return FormatError(std::string("sweep work item: ") + e.what());
  }
  Fields f(*h);
  f.Int("index", &m->index, index, index);
  f.Int("trial", &m->item.trial, 0, kIntMax);
  f.Int("seed_index", &m->item.seed_index, 0, kMaxSeedIndex);
  f.Int("epochs", &m->item.epochs, 1, kMaxEpochs);
  f.Int("seed", &m->seed, kInt64Min, kInt64Max);
  f.Int("attempt", &m->attempt, 1, kIntMax);
  if (!f.status().ok()) {
    return f.status().WithPrefix("sweep work item " + std::to_string(index));
  }
  if (!IsValidTrialId(m->trial_id)) {
    return FormatError("sweep work item " + std::to_string(index) +
                       ": bad trial id");
  }
  return Status::Ok();
}

Status Decode(const std::string& bytes, const std::string& secret, int index,
              ResultMessage* m) {
  StatusOr<json> h = Header(bytes, secret, keys::Result(index), &m->run_files);
  if (!h.ok()) return h.status();
  StatusOr<ItemResult> r = ResultFromJson(*h);
  if (!r.ok()) return r.status();
  m->result = *r;
  try {
    m->trial_id = h->at("id").get<std::string>();
  } catch (const json::exception& e) {
    return FormatError(std::string("sweep result: ") + e.what());
  }
  Fields f(*h);
  f.Int("index", &m->index, index, index);
  f.Int("seed_index", &m->seed_index, 0, kMaxSeedIndex);
  f.Int("epochs", &m->epochs, 1, kMaxEpochs);
  f.Int("attempt", &m->attempt, 1, kIntMax);
  f.Int("rank", &m->result.rank, 0, kMaxSweepRanks - 1);
  if (!f.status().ok()) {
    return f.status().WithPrefix("sweep result " + std::to_string(index));
  }
  return Status::Ok();
}

Status Answers(const ItemMessage& item, const ResultMessage& r) {
  if (r.index != item.index || r.trial_id != item.trial_id ||
      r.seed_index != item.item.seed_index || r.epochs != item.item.epochs ||
      r.attempt != item.attempt) {
    return FormatError("result " + std::to_string(r.index) +
                       " does not answer the item published there (" +
                       item.trial_id + " seed " +
                       std::to_string(item.item.seed_index) + ", " +
                       std::to_string(item.item.epochs) + " epochs, attempt " +
                       std::to_string(item.attempt) + ")");
  }
  return Status::Ok();
}

std::optional<int> TakenRank(const std::string& value) {
  const std::optional<int64_t> rank =
      ParseInteger(value, 0, kMaxSweepRanks - 1);
  if (!rank) return std::nullopt;
  return static_cast<int>(*rank);
}

}  // namespace tinykws::sweep
