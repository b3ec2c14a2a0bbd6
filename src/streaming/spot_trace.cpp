#include "streaming/spot_trace.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <set>

#include "common/parallel.hpp"
#include "runtime/detection_logic.hpp"
#include "tinykws/audio.hpp"
#include "tinykws/dataset.hpp"

namespace tinykws::streaming {

namespace {

constexpr size_t kChunk = 16000;

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t)
      .count();
}

void Record(const SpotterRun& run, void* user) {
  auto* trace = static_cast<SpotTrace*>(user);
  trace->samples.push_back(run.sample);
  trace->scores.insert(trace->scores.end(), run.scores,
                       run.scores + trace->labels);
}

void Detected(const Detection& d, void* user) {
  static_cast<SpotTrace*>(user)->detections.push_back(d);
}

void Begin(Spotter& spotter, SpotTrace* trace) {
  *trace = SpotTrace();
  trace->labels = spotter.model().labels().size();
  spotter.Reset();
  spotter.SetRunObserver(Record, trace);
}

}  // namespace

Status SpotStream(Spotter& spotter, const SyntheticStream& stream,
                  SpotTrace* trace) {
  Begin(spotter, trace);
  std::vector<float> work(kChunk);
  std::vector<int16_t> pcm(kChunk);
  const int rate = spotter.model().features().sample_rate;
  Status status;
  for (int64_t at = 0; at < stream.size() && status.ok(); at += kChunk) {
    const size_t n =
        static_cast<size_t>(std::min<int64_t>(kChunk, stream.size() - at));
    auto t0 = std::chrono::steady_clock::now();
    stream.Render(at, n, work.data(), pcm.data());
    trace->decode_seconds += Since(t0);
    t0 = std::chrono::steady_clock::now();
    status = spotter.Push(pcm.data(), n, rate, Detected, trace);
    trace->spot_seconds += Since(t0);
    trace->audio_samples += static_cast<int64_t>(n);
  }
  spotter.SetRunObserver(nullptr, nullptr);
  return status;
}

Status SpotFile(Spotter& spotter, const std::string& path, SpotTrace* trace) {
  Begin(spotter, trace);
  const int rate = spotter.model().features().sample_rate;
  auto t0 = std::chrono::steady_clock::now();
  // Streamed in chunks: any length, constant memory for the audio (the
  // trace keeps one posterior vector per run, ~1 MB per hour).
  AudioReadOptions read;
  read.max_seconds = kMaxRecordingSeconds;
  StatusOr<std::unique_ptr<AudioFileStream>> file =
      AudioFileStream::Open(path, rate, read);
  Status status = file.ok() ? Status::Ok() : file.status();
  std::vector<int16_t> pcm;
  bool end = false;
  while (status.ok() && !end) {
    status = (*file)->Read(&pcm, &end);
    trace->decode_seconds += Since(t0);
    if (!status.ok()) break;
    t0 = std::chrono::steady_clock::now();
    status = spotter.Push(pcm.data(), pcm.size(), rate, Detected, trace);
    trace->spot_seconds += Since(t0);
    trace->audio_samples += static_cast<int64_t>(pcm.size());
    t0 = std::chrono::steady_clock::now();
  }
  if (file.ok()) trace->truncated = (*file)->truncated();
  spotter.SetRunObserver(nullptr, nullptr);
  return status;
}

std::vector<float> SmoothedScores(const SpotTrace& trace, int runs) {
  runtime::PosteriorSmoother smoother(runs, trace.labels);
  std::vector<float> out(trace.scores.size());
  for (size_t r = 0; r < trace.runs(); ++r) {
    const float* s = smoother.Add(&trace.scores[r * trace.labels]);
    std::copy(s, s + trace.labels, out.begin() + r * trace.labels);
  }
  return out;
}

std::vector<Detection> GateDetections(const SpotTrace& trace,
                                      const std::vector<float>& smoothed,
                                      const std::vector<std::string>& labels,
                                      const std::vector<float>& thresholds,
                                      int64_t refractory_samples,
                                      int sample_rate) {
  runtime::DetectionGate gate(labels, thresholds, refractory_samples);
  std::vector<Detection> out;
  for (size_t r = 0; r < trace.runs(); ++r) {
    const float* s = &smoothed[r * trace.labels];
    const int label = gate.Check(s, trace.samples[r]);
    if (label < 0) continue;
    Detection d;
    d.label = label;
    d.score = s[label];
    d.sample = trace.samples[r];
    d.time_s = static_cast<double>(d.sample + 1) / sample_rate;
    out.push_back(d);
  }
  return out;
}

std::vector<Detection> Replay(const SpotTrace& trace,
                              const std::vector<std::string>& labels,
                              const DetectorParams& params, int sample_rate) {
  return GateDetections(
      trace, SmoothedScores(trace, params.smoothing_runs), labels,
      params.thresholds,
      runtime::RefractorySamples(params.refractory_ms, sample_rate),
      sample_rate);
}

StatusOr<std::vector<std::string>> ListRecordings(
    const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  std::set<std::string> seen;
  auto add = [&](const std::string& file) {
    std::error_code ec;
    const std::string key =
        std::filesystem::weakly_canonical(file, ec).string();
    if (seen.insert(ec ? file : key).second) files.push_back(file);
  };
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!std::filesystem::is_directory(path, ec)) {
      add(path);  // a file; opening it reports what is wrong
      continue;
    }
    StatusOr<std::vector<std::string>> inside = ListAudioFiles(path);
    if (!inside.ok()) return inside.status();
    if (inside->empty()) {
      return NotFound(path + ": the folder holds no audio files");
    }
    for (const std::string& file : *inside) add(file);
  }
  return files;
}

Status TraceAll(const std::shared_ptr<const Model>& model,
                const SpotterOptions& options,
                const std::vector<const SyntheticStream*>& streams,
                const std::vector<std::string>& files, int threads,
                std::vector<SpotTrace>* traces) {
  const size_t count = streams.size() + files.size();
  traces->assign(count, SpotTrace());
  std::vector<Status> errors(count);
  const int workers = std::max(1, threads);
  std::vector<std::unique_ptr<Spotter>> spotters(workers);
  ParallelFor(count, workers, [&](size_t i, int w) {
    if (spotters[w] == nullptr) {
      StatusOr<Spotter> s = Spotter::Create(model, options);
      if (!s.ok()) {
        errors[i] = s.status();
        return;
      }
      spotters[w] = std::make_unique<Spotter>(std::move(*s));
    }
    errors[i] =
        i < streams.size()
            ? SpotStream(*spotters[w], *streams[i], &(*traces)[i])
            : SpotFile(*spotters[w], files[i - streams.size()], &(*traces)[i]);
  });
  for (const Status& s : errors) TINYKWS_RETURN_IF_ERROR(s);
  return Status::Ok();
}

}  // namespace tinykws::streaming
