#include "train/summary.hpp"

#include <nlohmann/json.hpp>

#include "common/atomic_file.hpp"

namespace tinykws::train {

Status WriteSummary(const SummaryInputs& in, const std::string& path) {
  const LoopState& st = in.state;
  StatusOr<ModelShape> shape =
      InferModelShape(in.config.model, in.config.features,
                      static_cast<int>(in.config.labels.size()));
  if (!shape.ok()) return shape.status();
  nlohmann::json j;
  j["name"] = in.config.name;
  j["labels"] = in.config.labels;
  j["data_dir"] = in.options.data_dir;
  j["seed"] = in.config.training.seed;
  j["epochs"] = in.config.training.epochs;
  j["batch_size"] = in.config.training.batch_size;
  j["steps"] = in.total_steps;
  j["threads"] = in.threads;
  j["best_epoch"] = st.best_epoch;
  j["best_val_acc"] = st.best_val_acc;
  j["best_val_loss"] = st.best_val_loss;
  j["val_clips"] = in.data.validation().size();
  j["test_acc"] = in.test.accuracy;
  j["test_loss"] = in.test.loss;
  j["test_clips"] = in.test.clips;
  j["train_clips_per_epoch"] = in.data.training_size();
  j["bad_clips"] = in.data.bad_clips();
  j["train_seconds"] = st.total_seconds;
  j["ms_per_step"] =
      1000.0 * st.total_seconds / std::max<int64_t>(in.total_steps, 1);
  j["session_seconds"] = in.session_seconds;
  j["feature_seconds"] = in.data.feature_seconds();
  j["features_from_cache"] = in.data.features_from_cache();
  j["parameters"] = shape->parameters;
  j["macs"] = shape->macs;
  j["torch_version"] = in.torch_version;
  return WriteFileAtomically(path, j.dump(2) + "\n");
}

}  // namespace tinykws::train
