#include "eval/evaluate.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <mutex>

#include "common/atomic_file.hpp"
#include "common/parallel.hpp"
#include "dataset/noise.hpp"
#include "format/layout.hpp"
#include "tinykws/audio.hpp"

namespace tinykws::eval {

namespace {

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t)
      .count();
}

// One thread, one session: per-clip timings over the given clips.
Latency MeasureLatency(const std::shared_ptr<const Model>& model,
                       const std::vector<std::vector<int16_t>>& audio,
                       const SessionOptions& options) {
  Latency latency;
  StatusOr<Session> session = Session::Create(model, options);
  if (!session.ok() || audio.empty()) return latency;
  latency.kernel = session->kernel_name();
  const int rate = model->features().sample_rate;
  ClassifyResult r;
  for (size_t i = 0; i < std::min<size_t>(audio.size(), 20); ++i) {  // warm up
    session->Classify(audio[i].data(), audio[i].size(), rate, &r);
  }
  std::vector<double> mfcc, inference, total;
  for (const std::vector<int16_t>& clip : audio) {
    const auto t0 = std::chrono::steady_clock::now();
    if (!session->Classify(clip.data(), clip.size(), rate, &r).ok()) continue;
    total.push_back(Since(t0) * 1e6);
    mfcc.push_back(r.mfcc_us);
    inference.push_back(r.inference_us);
  }
  latency.clips = static_cast<int>(total.size());
  latency.mfcc = Summarize(mfcc);
  latency.inference = Summarize(inference);
  latency.total = Summarize(total);
  // 30 bins up to the p99 (later values go to the last bin).
  const double top = std::max(latency.total.p99, 1.0);
  latency.histogram_bin_us = top / 30.0;
  latency.histogram.assign(30, 0);
  for (double t : total) {
    ++latency.histogram[std::min<int>(
        29, static_cast<int>(t / latency.histogram_bin_us))];
  }
  return latency;
}

void ComputeMetrics(EvalReport* r) {
  const size_t n = r->model.labels.size();
  double recall_sum = 0;
  int present = 0;
  for (size_t c = 0; c < n; ++c) {
    ClassMetrics m;
    m.label = r->model.labels[c];
    int predicted = 0;
    for (size_t t = 0; t < n; ++t) {
      m.support += r->confusion[c][t];
      predicted += r->confusion[t][c];
    }
    const int hit = r->confusion[c][c];
    m.precision = predicted > 0 ? static_cast<double>(hit) / predicted : 0.0;
    m.recall = m.support > 0 ? static_cast<double>(hit) / m.support : 0.0;
    m.f1 = m.precision + m.recall > 0
               ? 2 * m.precision * m.recall / (m.precision + m.recall)
               : 0.0;
    if (m.support > 0) {
      recall_sum += m.recall;
      ++present;
    }
    r->per_class.push_back(m);
  }
  r->accuracy = r->clips > 0 ? static_cast<double>(r->correct) / r->clips : 0.0;
  r->balanced_accuracy = present > 0 ? recall_sum / present : 0.0;
}

// Deterministic silence clips for models with a _silence_ label: one per
// ten word clips of the split, each a crop of the split's part of a
// _background_noise_ recording at volume U(0, 1) (as training makes them).
Status AddSilenceClips(const DatasetIndex& index, const Split* split,
                       size_t word_clips,
                       const std::shared_ptr<const Model>& model,
                       const SessionOptions& options, int silence,
                       EvalReport* r) {
  if (index.background_noise_files.empty() || word_clips == 0) {
    return Status::Ok();
  }
  const int rate = r->model.features.sample_rate;
  NoiseBank noise;
  for (Split s : {Split::kTraining, Split::kValidation, Split::kTesting}) {
    if (split != nullptr && s != *split) continue;
    // Each file is read once per split: flagged on the first.
    StatusOr<NoiseBank> part =
        LoadNoise(index, rate, s, noise.empty() ? &r->truncated : nullptr);
    if (!part.ok()) return part.status();
    noise.resize(part->size());
    for (size_t f = 0; f < part->size(); ++f) {
      noise[f].insert(noise[f].end(), (*part)[f].begin(), (*part)[f].end());
    }
  }
  StatusOr<Session> session = Session::Create(model, options);
  if (!session.ok()) return session.status();
  const size_t count = std::max<size_t>(1, word_clips / 10);
  const int samples = r->model.features.clip_samples;
  std::vector<int16_t> pcm(static_cast<size_t>(samples));
  const size_t n = r->model.labels.size();
  for (size_t i = 0; i < count; ++i) {
    CounterRng rng(kSilenceSeed,
                   split != nullptr ? static_cast<uint64_t>(*split) : 3, i);
    MakeSilenceClip(noise, 1.0f, samples, rng, pcm.data());
    ClassifyResult result;
    TINYKWS_RETURN_IF_ERROR(
        session->Classify(pcm.data(), pcm.size(), rate, &result));
    ++r->clips_per_label[kSilenceLabel];
    ++r->confusion[silence][result.label];
    ++r->clips;
    ++r->silence_clips;
    if (result.label == silence) {
      ++r->correct;
    } else {
      r->misclassified.push_back(
          {std::string(kSilenceLabel) + "/noise crop " + std::to_string(i),
           silence, result.label,
           std::vector<float>(result.scores, result.scores + n)});
    }
  }
  return Status::Ok();
}

}  // namespace

StatusOr<std::shared_ptr<const Model>> LoadModelWithInfo(
    const std::string& path, ModelInfo* info) {
  StatusOr<std::string> bytes = ReadWholeFile(path, format::kMaxFileBytes);
  if (!bytes.ok()) return bytes.status();
  StatusOr<std::shared_ptr<const Model>> model =
      Model::LoadFromBuffer(bytes->data(), bytes->size(), path);
  if (!model.ok()) return model.status();
  const Model& m = **model;
  info->path = path;
  info->bytes = bytes->size();
  info->sha256 = Sha256Hex(*bytes);
  info->int8 = m.is_int8();
  info->labels = m.labels();
  info->features = m.features();
  info->macs = m.macs();
  info->parameters = m.parameters();
  info->metadata = m.metadata();
  return model;
}

Status Evaluate(const EvalOptions& o, EvalReport* r) {
  const auto start = std::chrono::steady_clock::now();
  Split split = Split::kTesting;
  const bool all = o.split == "all";
  if (!all && !ParseSplit(o.split, &split)) {
    return InvalidArgument(
        "--split must be testing, validation, training or all, got '" +
        o.split + "'");
  }
  StatusOr<std::shared_ptr<const Model>> model =
      LoadModelWithInfo(o.model_path, &r->model);
  if (!model.ok()) return model.status();
  SessionOptions session_options;
  session_options.front_end = o.front_end;
  r->front_end = o.front_end.value_or(r->model.features.precision);
  // A folder named as a label is scored as that label, _silence_ too (a
  // folder of recorded silence); other folders map to _unknown_ if any.
  const std::vector<std::string>& labels = r->model.labels;
  DatasetOptions dataset_options;
  dataset_options.silence_needs_noise = false;
  StatusOr<DatasetIndex> index =
      IndexDataset(o.data_dir, labels, dataset_options);
  if (!index.ok()) return index.status();
  r->data_dir = o.data_dir;
  r->split = o.split;
  r->split_from_lists = index->split_from_lists;
  r->skipped_folders = index->skipped_folders;
  std::vector<const ClipInfo*> clips;
  for (const ClipInfo& clip : index->clips) {
    if (all || clip.split == split) clips.push_back(&clip);
  }
  const size_t n = r->model.labels.size();
  r->confusion.assign(n, std::vector<int>(n, 0));
  r->threads = o.threads > 0 ? o.threads : HardwareThreads();
  const int rate = r->model.features.sample_rate;
  std::vector<int> predicted(clips.size(), -1);
  std::vector<std::vector<float>> scores(clips.size());
  std::vector<std::string> errors(clips.size());
  std::vector<char> truncated(clips.size(), 0);
  std::vector<std::vector<int16_t>> audio(clips.size());
  std::vector<std::unique_ptr<Session>> sessions(r->threads);
  std::atomic<size_t> done{0};
  const bool progress = o.progress && isatty(STDERR_FILENO);
  std::mutex print;
  ParallelFor(clips.size(), r->threads, [&](size_t i, int w) {
    if (sessions[w] == nullptr) {
      StatusOr<Session> s = Session::Create(*model, session_options);
      if (s.ok()) sessions[w] = std::make_unique<Session>(std::move(*s));
    }
    StatusOr<AudioClip> clip = ReadAudio(clips[i]->path, rate);
    ClassifyResult result;
    Status s = !clip.ok() ? clip.status()
               : sessions[w] == nullptr
                   ? InternalError("no session")
                   : sessions[w]->Classify(clip->samples.data(),
                                           clip->samples.size(), rate, &result);
    if (!s.ok()) {
      errors[i] = s.message();
    } else {
      truncated[i] = clip->truncated;
      predicted[i] = result.label;
      scores[i].assign(result.scores, result.scores + n);
      // Kept for the timing pass only (bounded memory on large splits).
      if (i < static_cast<size_t>(std::max(0, o.latency_clips))) {
        audio[i] = std::move(clip->samples);
      }
    }
    const size_t count = ++done;
    if (progress && (count % 50 == 0 || count == clips.size())) {
      std::lock_guard<std::mutex> lock(print);
      std::fprintf(stderr, "\r\033[Kevaluating %zu/%zu", count, clips.size());
    }
  });
  if (progress) std::fprintf(stderr, "\r\033[K");
  std::vector<std::vector<int16_t>> timing_clips;
  for (size_t i = 0; i < clips.size(); ++i) {
    if (!errors[i].empty()) {
      if (o.strict) return FormatError(errors[i] + " (--strict)");
      r->unreadable.push_back({clips[i]->path, errors[i]});
      continue;
    }
    if (truncated[i]) r->truncated.push_back(clips[i]->path);
    const int truth = clips[i]->label;
    ++r->clips_per_label[r->model.labels[truth]];
    ++r->confusion[truth][predicted[i]];
    ++r->clips;
    if (truth == predicted[i]) {
      ++r->correct;
    } else {
      r->misclassified.push_back(
          {clips[i]->path, truth, predicted[i], scores[i]});
    }
    if (!audio[i].empty()) timing_clips.push_back(std::move(audio[i]));
  }
  const auto silence =
      std::find(r->model.labels.begin(), r->model.labels.end(), kSilenceLabel);
  if (silence != r->model.labels.end()) {
    TINYKWS_RETURN_IF_ERROR(AddSilenceClips(
        *index, all ? nullptr : &split, static_cast<size_t>(r->clips), *model,
        session_options, static_cast<int>(silence - r->model.labels.begin()),
        r));
  }
  ComputeMetrics(r);
  r->latency = MeasureLatency(*model, timing_clips, session_options);
  if (!o.reference_path.empty()) {
    StatusOr<std::shared_ptr<const Model>> ref =
        LoadModelWithInfo(o.reference_path, &r->reference);
    if (!ref.ok()) return ref.status();
    if ((*ref)->features().sample_rate != rate) {
      return InvalidArgument(o.reference_path +
                             ": sample rate differs from the model's");
    }
    r->has_reference = true;
    r->reference_latency = MeasureLatency(*ref, timing_clips, {});
    const double ref_total = r->reference_latency.total.median;
    r->latency_savings_percent =
        ref_total > 0
            ? 100.0 * (ref_total - r->latency.total.median) / ref_total
            : 0.0;
    r->size_savings_percent =
        100.0 * (static_cast<double>(r->reference.bytes) - r->model.bytes) /
        r->reference.bytes;
  }
  r->eval_seconds = Since(start);
  return Status::Ok();
}

}  // namespace tinykws::eval
