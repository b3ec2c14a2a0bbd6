#include "train/run_start.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "common/atomic_file.hpp"
#include "train/checkpoint.hpp"

namespace tinykws::train {

namespace {

// A data folder as the run's config stores it: absolute, normalized.
std::string AbsoluteFolder(const std::string& folder) {
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(folder, ec);
  return ec ? folder : absolute.lexically_normal().string();
}

Status ResolveConfig(const TrainOptions& o, const RunDir& dir,
                     KwsConfig* config) {
  if (dir.resuming()) {
    StatusOr<KwsConfig> c = LoadConfig(dir.File("config.toml"));
    if (!c.ok()) return c.status();
    *config = std::move(*c);
    // Re-running the original command with --resume must work: the same
    // values are fine, other ones would change the run.
    const TrainingSpec& t = config->training;
    const struct {
      const char* flag;
      bool given, same;
      std::string stored;
    } overrides[] = {
        {"--epochs", o.epochs >= 0, o.epochs == t.epochs,
         std::to_string(t.epochs)},
        {"--seed", o.seed >= 0, o.seed == t.seed, std::to_string(t.seed)},
        {"--batch-size", o.batch_size >= 0, o.batch_size == t.batch_size,
         std::to_string(t.batch_size)},
        {"--lr", o.learning_rate >= 0,
         static_cast<float>(o.learning_rate) == t.learning_rate,
         std::to_string(t.learning_rate)},
    };
    for (const auto& flag : overrides) {
      if (flag.given && !flag.same) {
        return InvalidArgument(std::string("--resume continues the run as "
                                           "configured: ") +
                               flag.flag + " differs from the run's (" +
                               flag.stored + ")");
      }
    }
    const std::vector<std::string>& stored = config->data.extra;
    for (const std::string& folder : o.extra_data_dirs) {
      if (std::find(stored.begin(), stored.end(), AbsoluteFolder(folder)) ==
          stored.end()) {
        return InvalidArgument(
            "--resume continues the run as configured: --data " + folder +
            " is not one of the run's data folders (its config.toml, [data] "
            "extra)");
      }
    }
    return Status::Ok();
  }
  if (o.config_path.empty()) return InvalidArgument("--config is required");
  StatusOr<KwsConfig> c = LoadConfig(o.config_path);
  if (!c.ok()) return c.status();
  *config = std::move(*c);
  TrainingSpec& t = config->training;
  if (o.epochs >= 0) t.epochs = o.epochs;
  if (o.seed >= 0) t.seed = static_cast<int>(o.seed);
  if (o.batch_size >= 0) t.batch_size = o.batch_size;
  if (o.learning_rate >= 0)
    t.learning_rate = static_cast<float>(o.learning_rate);
  if (t.epochs < 1 || t.batch_size < 1 || !(t.learning_rate > 0)) {
    return InvalidArgument("--epochs, --batch-size and --lr must be positive");
  }
  // Extra data folders (the config's and further --data), as absolute
  // paths: the run folder's config must name the same data from anywhere.
  std::vector<std::string>& extra = config->data.extra;
  extra.insert(extra.end(), o.extra_data_dirs.begin(), o.extra_data_dirs.end());
  for (std::string& folder : extra) folder = AbsoluteFolder(folder);
  // Written through the parser again so the run folder's config is valid.
  const std::string resolved = ConfigToToml(*config);
  StatusOr<KwsConfig> check = ParseConfig(resolved, dir.File("config.toml"));
  if (!check.ok()) return check.status();
  return WriteFileAtomically(dir.File("config.toml"), resolved);
}

}  // namespace

// With data parallelism, rank 0's result of writing the run files is every
// process's: they stop together.
Status AgreeOnWrite(DataParallel* dp, const Status& rank0) {
  return dp == nullptr ? rank0 : dp->Agree(rank0);
}

Status ResolveRunConfig(const TrainOptions& o, const RunDir& dir,
                        DataParallel* dp, KwsConfig* config) {
  if (dp == nullptr) return ResolveConfig(o, dir, config);
  const Status resolved =
      dp->rank() == 0 ? ResolveConfig(o, dir, config) : Status::Ok();
  TINYKWS_RETURN_IF_ERROR(dp->Agree(resolved));
  std::string text = dp->rank() == 0 ? ConfigToToml(*config) : "";
  TINYKWS_RETURN_IF_ERROR(dp->Share(&text));
  if (dp->rank() == 0) return Status::Ok();
  StatusOr<KwsConfig> shared = ParseConfig(text, "rank 0's config");
  if (!shared.ok()) return shared.status();
  *config = std::move(*shared);
  return Status::Ok();
}

// The checkpoint to continue from, read by rank 0 and sent to the others.
Status LoadRunCheckpoint(const RunDir& dir, DataParallel* dp, KwsNetImpl& net,
                         FlatAdam& adam, LoopState* st) {
  const std::string path = dir.File("checkpoint.pt");
  if (dp == nullptr) {
    return dir.has_checkpoint() ? LoadCheckpoint(path, net, adam, st)
                                : Status::Ok();
  }
  std::string bytes;
  Status read = Status::Ok();
  if (dp->rank() == 0 && dir.has_checkpoint()) {
    StatusOr<std::string> file = ReadWholeFile(path, size_t{1} << 30);
    read = file.status();
    if (file.ok()) bytes = std::move(*file);
  }
  TINYKWS_RETURN_IF_ERROR(dp->Agree(read));
  TINYKWS_RETURN_IF_ERROR(dp->Share(&bytes));
  if (bytes.empty()) return Status::Ok();
  if (dp->rank() == 0) return LoadCheckpoint(path, net, adam, st);
  const std::string copy =
      (std::filesystem::temp_directory_path() /
       ("tinykws_checkpoint_" + std::to_string(::getpid()) + ".pt"))
          .string();
  TINYKWS_RETURN_IF_ERROR(WriteFileAtomically(copy, bytes));
  const Status loaded = LoadCheckpoint(copy, net, adam, st);
  std::remove(copy.c_str());
  return loaded;
}

}  // namespace tinykws::train
