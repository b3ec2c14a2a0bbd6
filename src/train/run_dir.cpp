#include "train/run_dir.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/atomic_file.hpp"
#include "tinykws/config.hpp"

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

// "checkpoint.pt.tmp.123", written by a process killed before its rename.
bool IsStaleTemporary(const std::string& name) {
  for (const char* run_file : kRunFiles) {
    const std::string prefix = std::string(run_file) + ".tmp.";
    if (name.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

bool IsRunFile(const std::string& name) {
  for (const char* run_file : kRunFiles) {
    if (name == run_file) return true;
  }
  return false;
}

// A config.toml that a run wrote (a run killed before its first checkpoint
// leaves one), not the user's.
bool IsResolvedConfig(const fs::path& path) {
  StatusOr<std::string> text = ReadWholeFile(path.string(), 1 << 20);
  return text.ok() && text->rfind(kResolvedConfigHeader, 0) == 0;
}

// The first entry of a folder holding no run that the run did not write:
// anything but its temporaries and, when its resolved config.toml is there
// (a run killed before its first checkpoint), the other run files.
std::string ForeignEntry(const std::string& path) {
  const bool run_config = IsResolvedConfig(path + "/config.toml");
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    const std::string name = entry.path().filename().string();
    if (IsStaleTemporary(name) || name == FolderLock::kFileName) continue;
    if (run_config && IsRunFile(name)) continue;
    return name;
  }
  return "";
}

// Temporaries of the run files a killed run left behind.
void RemoveRunTemporaries(const std::string& path) {
  for (const char* name : kRunFiles) {
    RemoveStaleTemporaries(path + "/" + name);
  }
}

}  // namespace

StatusOr<RunDir> RunDir::Open(const std::string& path, bool resume,
                              bool force) {
  std::error_code ec;
  if (Exists(path) && !fs::is_directory(path, ec)) {
    return InvalidArgument(path + ": exists and is not a folder");
  }
  const bool existed = Exists(path);
  StatusOr<FolderLock> lock = FolderLock::Acquire(path, "training run");
  if (!lock.ok()) return lock.status();
  StatusOr<RunDir> dir = OpenLocked(path, resume, force, existed);
  if (!dir.ok()) {
    if (!existed) {  // leave no folder behind for a refused run
      lock->ReleaseAndRemove();
      fs::remove(path, ec);
    }
    return dir.status();
  }
  dir->lock_ = std::move(*lock);
  return dir;
}

StatusOr<RunDir> RunDir::OpenLocked(const std::string& path, bool resume,
                                    bool force, bool existed) {
  RunDir dir;
  dir.path_ = path;
  std::error_code ec;
  const bool finished = Exists(dir.File("summary.json"));
  const bool started = Exists(dir.File("checkpoint.pt"));
  if (Exists(path)) RemoveRunTemporaries(path);
  if (resume && !force) {
    if (finished) {
      return InvalidArgument(path +
                             ": the run is finished; nothing to resume "
                             "(use --force to train again from scratch)");
    }
    if (started) {
      StatusOr<std::vector<EpochMetrics>> metrics =
          ReadMetrics(dir.File("metrics.jsonl"));
      if (!metrics.ok()) return metrics.status();
      dir.metrics_ = std::move(*metrics);
      dir.resuming_ = dir.has_checkpoint_ = true;
      return dir;
    }
    // Killed before the first checkpoint: the same run starts again from
    // its resolved config, or from the command's --config if it did not
    // get as far as writing one. Either way re-running the command with
    // --resume finishes the run.
    if (existed && !ForeignEntry(path).empty()) {
      return NotFound(path + ": no checkpoint.pt to resume from");
    }
    dir.resuming_ = IsResolvedConfig(dir.File("config.toml"));
    for (const char* name : kRunFiles) {
      if (!dir.resuming_ || std::string(name) != "config.toml") {
        fs::remove(dir.File(name), ec);
      }
    }
    dir.created_ = !existed;
    fs::create_directories(path, ec);
    if (!fs::is_directory(path, ec)) {
      return IoError(path + ": cannot create the run folder");
    }
    return dir;
  }
  if ((finished || started) && !force) {
    return InvalidArgument(
        path + (finished
                    ? ": holds a finished run; use --force to overwrite it"
                    : ": holds an unfinished run; use --resume to continue "
                      "it or --force to start over"));
  }
  if (!finished && !started && !force && existed) {
    const std::string foreign = ForeignEntry(path);
    if (!foreign.empty()) {
      return InvalidArgument(path + ": is not empty and holds no run (found '" +
                             foreign +
                             "'); choose a new or empty folder, or --force "
                             "to write the run files there");
    }
  }
  for (const char* name : kRunFiles) fs::remove(dir.File(name), ec);
  dir.created_ = !existed;
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

void RunDir::Abandon() {
  if (resuming_ || Exists(File("checkpoint.pt"))) return;
  std::error_code ec;
  for (const char* name : kRunFiles) fs::remove(File(name), ec);
  RemoveRunTemporaries(path_);
  if (created_) {
    lock_.ReleaseAndRemove();
    fs::remove(path_, ec);  // only if empty
  }
}

void RunDir::TruncateMetrics(size_t epochs) {
  if (metrics_.size() > epochs) metrics_.resize(epochs);
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

}  // namespace tinykws::train
