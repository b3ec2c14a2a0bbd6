#include "train/trainer.hpp"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "common/atomic_file.hpp"
#include "common/parallel.hpp"
#include "tinykws/config.hpp"
#include "train/checkpoint.hpp"
#include "train/lr_schedule.hpp"
#include "train/progress.hpp"
#include "train/run_dir.hpp"
#include "train/summary.hpp"
#include "train/training_data.hpp"

namespace tinykws::train {

namespace {

volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void OnInterrupt(int) {
  g_interrupted = 1;
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C stops at once
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since)
      .count();
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
  // Written through the parser again so the run folder's config is valid.
  const std::string resolved = ConfigToToml(*config);
  StatusOr<KwsConfig> check = ParseConfig(resolved, dir.File("config.toml"));
  if (!check.ok()) return check.status();
  return WriteFileAtomically(dir.File("config.toml"), resolved);
}

// Copies the rows `order[first..first+count)` of set into x / y.
void FillBatch(const LabeledSet& set, const std::vector<int64_t>& order,
               size_t first, int64_t count, int per_clip, torch::Tensor& x,
               torch::Tensor& y) {
  float* xp = x.data_ptr<float>();
  int64_t* yp = y.data_ptr<int64_t>();
  for (int64_t i = 0; i < count; ++i) {
    const int64_t row = order[first + i];
    std::memcpy(xp + i * per_clip, &set.features[row * per_clip],
                per_clip * sizeof(float));
    yp[i] = set.labels[row];
  }
}

Evaluation EvaluateSet(KwsNetImpl& net, const LabeledSet& set, int frames,
                       int coeffs) {
  return Evaluate(net, set.features.data(), set.labels.data(),
                  static_cast<int64_t>(set.size()), frames, coeffs);
}

}  // namespace

// The run itself; RunTraining cleans up after it on failure.
Status Train(const TrainOptions& o, RunDir* dir, TrainResult* result) {
  const auto session_start = std::chrono::steady_clock::now();
  KwsConfig config;
  TINYKWS_RETURN_IF_ERROR(ResolveConfig(o, *dir, &config));
  const TrainingSpec& spec = config.training;
  const uint64_t seed = static_cast<uint64_t>(spec.seed);
  const int threads = o.threads > 0 ? o.threads : HardwareThreads();
  torch::set_num_threads(threads);

  StatusOr<std::unique_ptr<TrainingData>> prepared = TrainingData::Prepare(
      config, {o.data_dir, o.cache_dir, threads, o.skip_bad_clips, o.verbose});
  if (!prepared.ok()) return prepared.status();
  const TrainingData& data = **prepared;
  const int frames = config.features.num_frames();
  const int coeffs = config.features.num_mfcc;
  const int per_clip = data.per_clip();
  if (!o.quiet) {
    std::fprintf(
        stderr,
        "data: %s (%s features in %.2fs)\n  training: %s\n  "
        "validation: %s\n  testing: %s\n",
        o.data_dir.c_str(), data.features_from_cache() ? "cached" : "computed",
        data.feature_seconds(), data.Describe(Split::kTraining).c_str(),
        data.Describe(Split::kValidation).c_str(),
        data.Describe(Split::kTesting).c_str());
  }

  torch::manual_seed(spec.seed);
  KwsNet net(config.model, config.features,
             static_cast<int>(config.labels.size()));
  FlatAdam adam(*net, spec);
  LoopState st;
  if (dir->has_checkpoint()) {
    TINYKWS_RETURN_IF_ERROR(
        LoadCheckpoint(dir->File("checkpoint.pt"), *net, adam, &st));
    dir->TruncateMetrics(static_cast<size_t>(st.epoch));
  }
  const int64_t train_size = static_cast<int64_t>(data.training_size());
  const int64_t batch = spec.batch_size;
  const int64_t steps_per_epoch = (train_size + batch - 1) / batch;
  const int64_t total_steps = steps_per_epoch * spec.epochs;
  torch::Tensor x = torch::empty({batch, 1, frames, coeffs});
  torch::Tensor y = torch::empty({batch}, torch::kInt64);
  std::vector<torch::Tensor> masks;
  LabeledSet epoch_set;
  Progress progress(o.quiet, spec.epochs, steps_per_epoch);
  g_interrupted = 0;
  std::signal(SIGINT, OnInterrupt);
  int64_t session_steps = 0;
  net->train();

  for (; st.epoch < spec.epochs; ++st.epoch) {
    const auto epoch_start = std::chrono::steady_clock::now();
    const double seconds_before = st.epoch_seconds;
    data.BuildEpoch(seed, static_cast<int>(st.epoch), &epoch_set);
    std::vector<int64_t> order(epoch_set.size());
    for (size_t i = 0; i < order.size(); ++i)
      order[i] = static_cast<int64_t>(i);
    Rng shuffle(seed, Stream::kShuffle, static_cast<uint64_t>(st.epoch));
    Shuffle(order.begin(), order.end(), shuffle);
    double lr = 0.0;
    for (; st.batch < steps_per_epoch; ++st.batch) {
      if (g_interrupted || session_steps == o.stop_after_steps) {
        st.epoch_seconds = seconds_before + Seconds(epoch_start);
        st.total_seconds += Seconds(epoch_start);
        TINYKWS_RETURN_IF_ERROR(
            SaveCheckpoint(dir->File("checkpoint.pt"), *net, adam, st));
        std::signal(SIGINT, SIG_DFL);
        result->interrupted = true;
        return Status::Ok();
      }
      const int64_t first = st.batch * batch;
      const int64_t count = std::min(batch, train_size - first);
      torch::Tensor bx = count == batch ? x : x.narrow(0, 0, count);
      torch::Tensor by = count == batch ? y : y.narrow(0, 0, count);
      FillBatch(epoch_set, order, first, count, per_clip, bx, by);
      MakeDropoutMasks(*net, count, seed, st.global_step, &masks);
      lr = LearningRate(spec, st.global_step, total_steps, steps_per_epoch);
      adam.ZeroGrad();
      const torch::Tensor logits = net->forward(bx, &masks);
      const torch::Tensor loss = torch::nn::functional::cross_entropy(
          logits, by,
          torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(
              spec.label_smoothing));
      loss.backward();
      adam.Step(lr);
      ++st.global_step;
      ++session_steps;
      st.epoch_loss_sum += loss.item<double>() * count;
      st.epoch_correct += logits.argmax(1).eq(by).sum().item<int64_t>();
      st.epoch_seen += count;
      const double elapsed = Seconds(epoch_start) + seconds_before;
      const double rate = st.epoch_seen / std::max(elapsed, 1e-9);
      progress.Step(
          static_cast<int>(st.epoch + 1), st.batch + 1,
          st.epoch_loss_sum / st.epoch_seen,
          static_cast<double>(st.epoch_correct) / st.epoch_seen, rate,
          (total_steps - st.global_step) * batch / std::max(rate, 1e-9));
    }
    // With weight averaging on, the average is what is validated and saved.
    adam.SwapAverage();
    const Evaluation val = EvaluateSet(*net, data.validation(), frames, coeffs);
    EpochMetrics m;
    m.epoch = static_cast<int>(st.epoch + 1);
    m.lr = lr;
    m.train_loss = st.epoch_loss_sum / std::max<int64_t>(st.epoch_seen, 1);
    m.train_acc = static_cast<double>(st.epoch_correct) /
                  std::max<int64_t>(st.epoch_seen, 1);
    m.val_loss = val.loss;
    m.val_acc = val.accuracy;
    m.seconds = seconds_before + Seconds(epoch_start);
    const bool best =
        st.best_epoch < 0 || val.accuracy > st.best_val_acc ||
        (val.accuracy == st.best_val_acc && val.loss < st.best_val_loss);
    if (best) {
      st.best_val_acc = val.accuracy;
      st.best_val_loss = val.loss;
      st.best_epoch = m.epoch;
      TINYKWS_RETURN_IF_ERROR(SaveWeights(dir->File("best.pt"), *net));
    }
    adam.SwapAverage();
    st.total_seconds += Seconds(epoch_start);
    LoopState next = st;
    next.epoch = st.epoch + 1;
    next.batch = 0;
    next.epoch_loss_sum = 0.0;
    next.epoch_correct = next.epoch_seen = 0;
    next.epoch_seconds = 0.0;
    // Metrics first: a crash between the two renames leaves a metrics line
    // for an epoch the checkpoint does not have yet, which --resume drops
    // and writes again (the other order would lose the line).
    TINYKWS_RETURN_IF_ERROR(dir->AppendMetrics(m));
    TINYKWS_RETURN_IF_ERROR(
        SaveCheckpoint(dir->File("checkpoint.pt"), *net, adam, next));
    const double per_epoch = st.total_seconds / m.epoch;
    progress.EndEpoch(m, best, per_epoch * (spec.epochs - m.epoch));
    st = next;
    --st.epoch;  // the for loop's ++ moves to next.epoch
  }
  std::signal(SIGINT, SIG_DFL);

  // The best epoch's weights on the testing split, for the summary.
  TINYKWS_RETURN_IF_ERROR(LoadWeights(dir->File("best.pt"), *net));
  const Evaluation test = EvaluateSet(*net, data.testing(), frames, coeffs);
  SummaryInputs in{config,
                   o,
                   data,
                   st,
                   test,
                   threads,
                   Seconds(session_start),
                   total_steps,
                   TORCH_VERSION};
  TINYKWS_RETURN_IF_ERROR(WriteSummary(in, dir->File("summary.json")));
  result->best_val_acc = st.best_val_acc;
  result->best_epoch = static_cast<int>(st.best_epoch);
  result->test_acc = test.accuracy;
  result->train_seconds = st.total_seconds;
  return Status::Ok();
}

Status RunTraining(const TrainOptions& o, TrainResult* result) {
  StatusOr<RunDir> dir = RunDir::Open(o.out_dir, o.resume, o.force);
  if (!dir.ok()) return dir.status();
  const Status status = Train(o, &*dir, result);
  if (!status.ok()) dir->Abandon();
  return status;
}

}  // namespace tinykws::train
