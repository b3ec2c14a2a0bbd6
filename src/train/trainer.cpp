#include "train/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "common/atomic_file.hpp"
#include "common/parallel.hpp"
#include "tinykws/config.hpp"
#include "train/checkpoint.hpp"
#include "train/data_parallel.hpp"
#include "train/lr_schedule.hpp"
#include "train/progress.hpp"
#include "train/run_dir.hpp"
#include "train/run_start.hpp"
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

// The run itself; RunTraining cleans up after it on failure. With dp, this
// process is one of several: rank 0 resolves the config and owns the run
// folder, every process computes.
Status Train(const TrainOptions& o, RunDir* dir, DataParallel* dp,
             TrainResult* result) {
  const auto session_start = std::chrono::steady_clock::now();
  const bool writer = dp == nullptr || dp->rank() == 0;
  const int64_t rank = dp == nullptr ? 0 : dp->rank();
  const int64_t processes = dp == nullptr ? 1 : dp->world_size();
  KwsConfig config;
  TINYKWS_RETURN_IF_ERROR(ResolveRunConfig(o, *dir, dp, &config));
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
  if (!o.quiet && writer) {
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
  TINYKWS_RETURN_IF_ERROR(LoadRunCheckpoint(*dir, dp, *net, adam, &st));
  if (writer) dir->TruncateMetrics(static_cast<size_t>(st.epoch));
  const int64_t train_size = static_cast<int64_t>(data.training_size());
  const int64_t batch = spec.batch_size;  // per process
  const int64_t global_batch = batch * processes;
  const int64_t steps_per_epoch =
      (train_size + global_batch - 1) / global_batch;
  const int64_t total_steps = steps_per_epoch * spec.epochs;
  torch::Tensor x = torch::empty({batch, 1, frames, coeffs});
  torch::Tensor y = torch::empty({batch}, torch::kInt64);
  std::vector<torch::Tensor> masks;
  LabeledSet epoch_set;
  Progress progress(o.quiet || !writer, spec.epochs, steps_per_epoch);
  g_interrupted = 0;
  if (o.handle_interrupt) std::signal(SIGINT, OnInterrupt);
  int64_t session_steps = 0;
  bool stop_agreed = false;
  net->train();

  for (; st.epoch < spec.epochs; ++st.epoch) {
    // Checked before an epoch too: a run resumed at or past the stop
    // (a sweep item's folder) trains nothing more.
    if (o.stop_after_epoch > 0 && st.epoch >= o.stop_after_epoch) {
      std::signal(SIGINT, SIG_DFL);
      result->interrupted = true;
      result->best_val_acc = st.best_val_acc;
      result->best_epoch = static_cast<int>(st.best_epoch);
      result->train_seconds = st.total_seconds;
      return Status::Ok();
    }
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
      // With dp, a Ctrl-C travels with the previous step's gradients, so
      // every process stops before the same step.
      const bool stop = session_steps == o.stop_after_steps ||
                        (dp == nullptr ? g_interrupted != 0 : stop_agreed);
      if (stop) {
        st.epoch_seconds = seconds_before + Seconds(epoch_start);
        st.total_seconds += Seconds(epoch_start);
        TINYKWS_RETURN_IF_ERROR(AgreeOnWrite(
            dp, writer
                    ? SaveCheckpoint(dir->File("checkpoint.pt"), *net, adam, st)
                    : Status::Ok()));
        std::signal(SIGINT, SIG_DFL);
        result->interrupted = true;
        return Status::Ok();
      }
      // This process's rows of the global batch: [first, first + count).
      const int64_t global_first = st.batch * global_batch;
      const int64_t global_count =
          std::min(global_batch, train_size - global_first);
      const int64_t first = global_first + rank * batch;
      const int64_t count =
          std::clamp<int64_t>(global_count - rank * batch, 0, batch);
      lr = LearningRate(spec, st.global_step, total_steps, steps_per_epoch);
      adam.ZeroGrad();
      // loss sum, correct, rows, interrupted: summed over processes
      double stats[4] = {0, 0, static_cast<double>(count),
                         static_cast<double>(g_interrupted != 0)};
      if (count > 0) {
        torch::Tensor bx = count == batch ? x : x.narrow(0, 0, count);
        torch::Tensor by = count == batch ? y : y.narrow(0, 0, count);
        FillBatch(epoch_set, order, first, count, per_clip, bx, by);
        // The masks of the global batch's rows, so every process drops
        // what one process with the whole batch would.
        MakeDropoutMasks(*net, global_count, seed, st.global_step, &masks);
        if (dp != nullptr) {
          for (torch::Tensor& mask : masks) {
            mask = mask.narrow(0, rank * batch, count);
          }
        }
        const torch::Tensor logits = net->forward(bx, &masks);
        const torch::Tensor loss = torch::nn::functional::cross_entropy(
            logits, by,
            torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(
                spec.label_smoothing));
        // The gradient of the global batch's mean loss, once summed.
        if (dp != nullptr) {
          (loss * (static_cast<double>(count) / global_count)).backward();
        } else {
          loss.backward();
        }
        stats[0] = loss.item<double>() * count;
        stats[1] =
            static_cast<double>(logits.argmax(1).eq(by).sum().item<int64_t>());
      }
      if (dp != nullptr) {
        TINYKWS_RETURN_IF_ERROR(dp->SumStep(adam.grad(), stats, 4));
        stop_agreed = stats[3] > 0;
      }
      adam.Step(lr);
      ++st.global_step;
      ++session_steps;
      st.epoch_loss_sum += stats[0];
      st.epoch_correct += static_cast<int64_t>(stats[1]);
      st.epoch_seen += static_cast<int64_t>(stats[2]);
      const double elapsed = Seconds(epoch_start) + seconds_before;
      const double rate = st.epoch_seen / std::max(elapsed, 1e-9);
      progress.Step(
          static_cast<int>(st.epoch + 1), st.batch + 1,
          st.epoch_loss_sum / st.epoch_seen,
          static_cast<double>(st.epoch_correct) / st.epoch_seen, rate,
          (total_steps - st.global_step) * global_batch / std::max(rate, 1e-9));
    }
    if (dp != nullptr) TINYKWS_RETURN_IF_ERROR(dp->AverageBuffers(*net));
    // With weight averaging on, the average is what is validated and saved.
    adam.SwapAverage();
    Evaluation val = EvaluateSet(*net, data.validation(), frames, coeffs);
    if (dp != nullptr) {
      // Rank 0's numbers decide for all (thread counts may differ between
      // processes, and with them the last bits of the validation loss).
      double shared[2] = {rank == 0 ? val.accuracy : 0.0,
                          rank == 0 ? val.loss : 0.0};
      TINYKWS_RETURN_IF_ERROR(dp->Sum(shared, 2));
      val.accuracy = shared[0];
      val.loss = shared[1];
    }
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
      TINYKWS_RETURN_IF_ERROR(AgreeOnWrite(
          dp, writer ? SaveWeights(dir->File("best.pt"), *net) : Status::Ok()));
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
    Status saved = writer ? dir->AppendMetrics(m) : Status::Ok();
    if (saved.ok() && writer) {
      saved = SaveCheckpoint(dir->File("checkpoint.pt"), *net, adam, next);
    }
    TINYKWS_RETURN_IF_ERROR(AgreeOnWrite(dp, saved));
    const double per_epoch = st.total_seconds / m.epoch;
    progress.EndEpoch(m, best, per_epoch * (spec.epochs - m.epoch));
    st = next;
    --st.epoch;  // the for loop's ++ moves to next.epoch
  }
  std::signal(SIGINT, SIG_DFL);
  result->best_val_acc = st.best_val_acc;
  result->best_epoch = static_cast<int>(st.best_epoch);
  result->train_seconds = st.total_seconds;
  result->replica = !writer;
  if (!writer) return Status::Ok();

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
  result->test_clips = static_cast<int64_t>(data.testing().size());
  result->train_seconds = st.total_seconds;
  return Status::Ok();
}

Status RunTraining(const TrainOptions& o, TrainResult* result) {
  StatusOr<std::unique_ptr<DataParallel>> dp =
      o.data_parallel ? DataParallel::FromEnvironment(o.token_file)
                      : std::unique_ptr<DataParallel>();
  if (!dp.ok()) return dp.status();
  DataParallel* team = dp->get();
  if (team != nullptr && team->rank() != 0) {
    TINYKWS_RETURN_IF_ERROR(team->Agree(Status::Ok()));  // rank 0's folder
    RunDir replica = RunDir::Replica();
    return Train(o, &replica, team, result);
  }
  StatusOr<RunDir> dir = RunDir::Open(o.out_dir, o.resume, o.force);
  if (team != nullptr) {
    TINYKWS_RETURN_IF_ERROR(
        team->Agree(dir.ok() ? Status::Ok() : dir.status()));
  }
  if (!dir.ok()) return dir.status();
  const Status status = Train(o, &*dir, team, result);
  if (!status.ok()) dir->Abandon();
  return status;
}

}  // namespace tinykws::train
