#include "train/run_dir.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/atomic_file.hpp"

namespace tinykws::train {

namespace fs = std::filesystem;

namespace {

// Files a run writes; --force removes exactly these.
const char* const kRunFiles[] = {"config.toml", "metrics.jsonl",
                                 "checkpoint.pt", "best.pt", "summary.json"};

bool Exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

StatusOr<std::vector<EpochMetrics>> ReadMetrics(const std::string& path) {
  std::vector<EpochMetrics> metrics;
  if (!Exists(path)) return metrics;
  StatusOr<std::string> text = ReadWholeFile(path, size_t{1} << 26);
  if (!text.ok()) return text.status();
  std::istringstream lines(*text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (line.empty()) continue;
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      return FormatError(path + ":" + std::to_string(number) +
                         ": not a JSON object");
    }
    EpochMetrics m;
    m.epoch = j.value("epoch", 0);
    m.lr = j.value("lr", 0.0);
    m.train_loss = j.value("train_loss", 0.0);
    m.train_acc = j.value("train_acc", 0.0);
    m.val_loss = j.value("val_loss", 0.0);
    m.val_acc = j.value("val_acc", 0.0);
    m.seconds = j.value("seconds", 0.0);
    metrics.push_back(m);
  }
  return metrics;
}

}  // namespace

StatusOr<RunDir> RunDir::Open(const std::string& path, bool resume,
                              bool force) {
  RunDir dir;
  dir.path_ = path;
  std::error_code ec;
  if (Exists(path) && !fs::is_directory(path, ec)) {
    return InvalidArgument(path + ": exists and is not a folder");
  }
  const bool finished = Exists(dir.File("summary.json"));
  const bool started = Exists(dir.File("checkpoint.pt"));
  if (resume && !force) {
    if (finished) {
      return InvalidArgument(path +
                             ": the run is finished; nothing to resume "
                             "(use --force to train again from scratch)");
    }
    if (!started) {
      return NotFound(path + ": no checkpoint.pt to resume from");
    }
    StatusOr<std::vector<EpochMetrics>> metrics =
        ReadMetrics(dir.File("metrics.jsonl"));
    if (!metrics.ok()) return metrics.status();
    dir.metrics_ = std::move(*metrics);
    dir.resuming_ = true;
    return dir;
  }
  if ((finished || started) && !force) {
    return InvalidArgument(
        path + (finished
                    ? ": holds a finished run; use --force to overwrite it"
                    : ": holds an unfinished run; use --resume to continue "
                      "it or --force to start over"));
  }
  for (const char* name : kRunFiles) fs::remove(dir.File(name), ec);
  fs::create_directories(path, ec);
  if (!fs::is_directory(path, ec)) {
    return IoError(path + ": cannot create the run folder");
  }
  return dir;
}

Status RunDir::AppendMetrics(const EpochMetrics& m) {
  metrics_.push_back(m);
  std::string text;
  for (const EpochMetrics& e : metrics_) {
    const nlohmann::json j = {
        {"epoch", e.epoch},           {"lr", e.lr},
        {"train_loss", e.train_loss}, {"train_acc", e.train_acc},
        {"val_loss", e.val_loss},     {"val_acc", e.val_acc},
        {"seconds", e.seconds}};
    text += j.dump() + "\n";
  }
  return WriteFileAtomically(File("metrics.jsonl"), text);
}

void RunDir::TruncateMetrics(size_t epochs) {
  if (metrics_.size() > epochs) metrics_.resize(epochs);
}

}  // namespace tinykws::train
