#include "train/checkpoint.hpp"

#include <sstream>

#include "common/atomic_file.hpp"

namespace tinykws::train {

namespace {

using torch::serialize::InputArchive;
using torch::serialize::OutputArchive;

void WriteModel(OutputArchive& archive, KwsNetImpl& net) {
  for (const auto& p : net.named_parameters()) {
    archive.write("model." + p.key(), p.value().detach().clone());
  }
  for (const auto& b : net.named_buffers()) {
    archive.write("model." + b.key(), b.value().detach().clone(), true);
  }
}

void ReadModel(InputArchive& archive, KwsNetImpl& net) {
  torch::NoGradGuard no_grad;
  for (auto& p : net.named_parameters()) {
    torch::Tensor t;
    archive.read("model." + p.key(), t);
    p.value().copy_(t);  // keeps the optimizer's flat storage
  }
  for (auto& b : net.named_buffers()) {
    torch::Tensor t;
    archive.read("model." + b.key(), t, true);
    b.value().copy_(t);
  }
}

torch::Tensor Scalar(double v) { return torch::tensor(v, torch::kFloat64); }
torch::Tensor Scalar(int64_t v) { return torch::tensor(v, torch::kInt64); }

template <typename Fn>
Status Guard(const std::string& path, const char* what, Fn fn) {
  try {
    fn();
    return Status::Ok();
  } catch (const std::exception& e) {
    std::string message = e.what();
    message = message.substr(0, message.find('\n'));
    return FormatError(path + ": cannot " + what + " (" + message + ")");
  }
}

// Serialized in memory, then written by WriteFileAtomically: LibTorch's own
// file writer aborts the process when the disk is full (its destructor
// throws while the first error unwinds), ours reports it.
Status SaveAtomically(const std::string& path, OutputArchive& archive) {
  std::ostringstream bytes;
  TINYKWS_RETURN_IF_ERROR(
      Guard(path, "serialize", [&] { archive.save_to(bytes); }));
  return WriteFileAtomically(path, bytes.str());
}

}  // namespace

Status SaveCheckpoint(const std::string& path, KwsNetImpl& net, FlatAdam& adam,
                      const LoopState& st) {
  OutputArchive archive;
  WriteModel(archive, net);
  archive.write("adam.exp_avg", adam.exp_avg().clone());
  archive.write("adam.exp_avg_sq", adam.exp_avg_sq().clone());
  if (adam.averaging()) archive.write("adam.average", adam.average().clone());
  archive.write("adam.steps", Scalar(adam.steps()));
  archive.write("loop.epoch", Scalar(st.epoch));
  archive.write("loop.batch", Scalar(st.batch));
  archive.write("loop.global_step", Scalar(st.global_step));
  archive.write("loop.epoch_loss_sum", Scalar(st.epoch_loss_sum));
  archive.write("loop.epoch_correct", Scalar(st.epoch_correct));
  archive.write("loop.epoch_seen", Scalar(st.epoch_seen));
  archive.write("loop.epoch_seconds", Scalar(st.epoch_seconds));
  archive.write("loop.best_val_acc", Scalar(st.best_val_acc));
  archive.write("loop.best_val_loss", Scalar(st.best_val_loss));
  archive.write("loop.best_epoch", Scalar(st.best_epoch));
  archive.write("loop.total_seconds", Scalar(st.total_seconds));
  return SaveAtomically(path, archive);
}

Status LoadCheckpoint(const std::string& path, KwsNetImpl& net, FlatAdam& adam,
                      LoopState* st) {
  return Guard(path, "read checkpoint", [&] {
    InputArchive archive;
    archive.load_from(path);
    ReadModel(archive, net);
    // A fresh tensor per read: reading into a defined tensor re-points it
    // (set_) at the stored data, whatever its dtype was.
    auto tensor = [&](const char* key) {
      torch::Tensor t;
      archive.read(key, t);
      return t;
    };
    torch::NoGradGuard no_grad;
    adam.exp_avg().copy_(tensor("adam.exp_avg"));
    adam.exp_avg_sq().copy_(tensor("adam.exp_avg_sq"));
    if (adam.averaging()) adam.average().copy_(tensor("adam.average"));
    auto i64 = [&](const char* key) { return tensor(key).item<int64_t>(); };
    auto f64 = [&](const char* key) { return tensor(key).item<double>(); };
    adam.set_steps(i64("adam.steps"));
    st->epoch = i64("loop.epoch");
    st->batch = i64("loop.batch");
    st->global_step = i64("loop.global_step");
    st->epoch_loss_sum = f64("loop.epoch_loss_sum");
    st->epoch_correct = i64("loop.epoch_correct");
    st->epoch_seen = i64("loop.epoch_seen");
    st->epoch_seconds = f64("loop.epoch_seconds");
    st->best_val_acc = f64("loop.best_val_acc");
    st->best_val_loss = f64("loop.best_val_loss");
    st->best_epoch = i64("loop.best_epoch");
    st->total_seconds = f64("loop.total_seconds");
  });
}

Status SaveWeights(const std::string& path, KwsNetImpl& net) {
  OutputArchive archive;
  WriteModel(archive, net);
  return SaveAtomically(path, archive);
}

Status LoadWeights(const std::string& path, KwsNetImpl& net) {
  return Guard(path, "read weights", [&] {
    InputArchive archive;
    archive.load_from(path);
    ReadModel(archive, net);
  });
}

}  // namespace tinykws::train
