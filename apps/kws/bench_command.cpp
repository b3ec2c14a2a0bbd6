// kws bench: per-clip latency percentiles of MFCC, inference and total.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "common/percentiles.hpp"
#include "tinykws/runtime.hpp"
#include "tinykws/spotter.hpp"

namespace kws {

namespace {

struct BenchParams {
  std::string model_path;
  int clips = 2000;
  int threads = 1;
  int warmup = 100;
  bool json = false;
  int hops = 0;           // > 0: time the streaming spotter per hop instead
  bool portable = false;  // the portable int8 kernels instead of SIMD
};

// Speech-like test clips: a pitched tone with harmonics in noise, random
// onset and length, so the timings see realistic input.
std::vector<std::vector<int16_t>> MakeClips(int count, int samples, int rate) {
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0.0f, 300.0f);
  std::uniform_real_distribution<float> pitch(100.0f, 300.0f),
      start(0.0f, 0.4f);
  std::vector<std::vector<int16_t>> clips(std::min(count, 64));
  for (auto& clip : clips) {
    clip.resize(samples);
    const float f0 = pitch(rng);
    const int on = static_cast<int>(start(rng) * samples);
    for (int i = 0; i < samples; ++i) {
      float v = noise(rng);
      if (i >= on && i < on + samples / 2) {
        for (int h = 1; h <= 4; ++h)
          v += 3000.0f / h * std::sin(6.2831853f * f0 * h * i / rate);
      }
      clip[i] = static_cast<int16_t>(std::clamp(v, -32768.0f, 32767.0f));
    }
  }
  return clips;
}

// The spotter on a stream of the test clips, pushed one hop at a time: each
// push computes hop_frames MFCC frames and runs the network once.
int RunStreamBench(const BenchParams& p,
                   const std::shared_ptr<const tinykws::Model>& model) {
  const tinykws::FeatureConfig& f = model->features();
  tinykws::SpotterOptions options;
  options.use_simd = !p.portable;
  tinykws::StatusOr<tinykws::Spotter> spotter =
      tinykws::Spotter::Create(model, options);
  if (!spotter.ok()) return ReportError(spotter.status());
  const size_t hop =
      static_cast<size_t>(spotter->params().hop_frames) * f.frame_step;
  std::vector<int16_t> stream;
  for (const auto& clip : MakeClips(64, f.clip_samples, f.sample_rate)) {
    stream.insert(stream.end(), clip.begin(), clip.end());
  }
  // One clip's worth first: the first run needs a full window.
  size_t at = 0;
  const size_t first = static_cast<size_t>(f.clip_samples) + hop;
  spotter->Push(stream.data(), first, f.sample_rate);
  at = first;
  std::vector<double> per_hop;
  for (int i = 0; i < p.warmup + p.hops; ++i) {
    if (at + hop > stream.size()) at = 0;
    const int64_t runs = spotter->network_runs();
    const auto t0 = std::chrono::steady_clock::now();
    spotter->Push(stream.data() + at, hop, f.sample_rate);
    const auto t1 = std::chrono::steady_clock::now();
    at += hop;
    if (spotter->network_runs() != runs + 1) {
      return ReportError(tinykws::InternalError("a hop did not run once"));
    }
    if (i >= p.warmup) {
      per_hop.push_back(
          std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
  }
  const tinykws::Percentiles q = tinykws::Summarize(per_hop);
  const double hop_seconds = static_cast<double>(hop) / f.sample_rate;
  if (p.json) {
    std::printf(
        "{\"hop_us\": {\"median\": %.2f, \"p90\": %.2f, \"p99\": %.2f}, "
        "\"hop_ms\": %.1f, \"hop_frames\": %d, \"real_time_factor\": %.6f, "
        "\"kernel\": \"%s\", \"hops\": %d, \"arena_bytes\": %zu}\n",
        q.median, q.p90, q.p99, 1000 * hop_seconds,
        spotter->params().hop_frames, q.mean * 1e-6 / hop_seconds,
        spotter->kernel_name(), p.hops, spotter->arena_bytes());
    return 0;
  }
  std::printf(
      "%s: spotter, hop %d frames (%.0f ms), kernel %s, %d hops, working "
      "memory %zu bytes\n",
      p.model_path.c_str(), spotter->params().hop_frames, 1000 * hop_seconds,
      spotter->kernel_name(), p.hops, spotter->arena_bytes());
  std::printf(
      "per hop (MFCC frames + network): median %.2f us, p90 %.2f, "
      "p99 %.2f; real-time factor %.6f\n",
      q.median, q.p90, q.p99, q.mean * 1e-6 / hop_seconds);
  return 0;
}

int RunBench(const BenchParams& p) {
  if (p.clips < 1 || p.threads < 1 || p.warmup < 0) {
    return ReportError(
        tinykws::InvalidArgument("--clips and --threads must be >= 1"));
  }
  tinykws::StatusOr<std::shared_ptr<const tinykws::Model>> model =
      tinykws::Model::Load(p.model_path);
  if (!model.ok()) return ReportError(model.status());
  if (p.hops > 0) return RunStreamBench(p, *model);
  const tinykws::FeatureConfig& f = (*model)->features();
  const auto clips = MakeClips(p.clips, f.clip_samples, f.sample_rate);
  std::vector<double> mfcc(p.clips), inference(p.clips), total(p.clips);
  std::string kernel;
  tinykws::Status failure;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < p.threads; ++t) {
    workers.emplace_back([&, t] {
      tinykws::SessionOptions options;
      options.use_simd = !p.portable;
      tinykws::StatusOr<tinykws::Session> session =
          tinykws::Session::Create(*model, options);
      if (!session.ok()) {
        failure = session.status();
        return;
      }
      if (t == 0) kernel = session->kernel_name();
      tinykws::ClassifyResult r;
      for (int i = 0; i < p.warmup; ++i) {
        const auto& clip = clips[i % clips.size()];
        session->Classify(clip.data(), clip.size(), f.sample_rate, &r);
      }
      for (int i = t; i < p.clips; i += p.threads) {
        const auto& clip = clips[i % clips.size()];
        const auto t0 = std::chrono::steady_clock::now();
        const tinykws::Status s =
            session->Classify(clip.data(), clip.size(), f.sample_rate, &r);
        const auto t1 = std::chrono::steady_clock::now();
        if (!s.ok()) failure = s;
        mfcc[i] = r.mfcc_us;
        inference[i] = r.inference_us;
        total[i] = std::chrono::duration<double, std::micro>(t1 - t0).count();
      }
    });
  }
  for (std::thread& w : workers) w.join();
  if (!failure.ok()) return ReportError(failure);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  const tinykws::Percentiles m = tinykws::Summarize(mfcc),
                             n = tinykws::Summarize(inference),
                             a = tinykws::Summarize(total);
  if (p.json) {
    auto obj = [](const tinykws::Percentiles& q) {
      char b[160];
      std::snprintf(b, sizeof(b),
                    "{\"median\": %.2f, \"p90\": %.2f, \"p99\": %.2f}",
                    q.median, q.p90, q.p99);
      return std::string(b);
    };
    std::printf(
        "{\"mfcc_us\": %s, \"inference_us\": %s, \"total_us\": %s, "
        "\"model\": \"%s\", \"model_bytes\": %zu, \"int8\": %s, "
        "\"kernel\": \"%s\", \"threads\": %d, \"clips\": %d, "
        "\"clips_per_second\": %.1f}\n",
        obj(m).c_str(), obj(n).c_str(), obj(a).c_str(), p.model_path.c_str(),
        (*model)->file_bytes(), (*model)->is_int8() ? "true" : "false",
        kernel.c_str(), p.threads, p.clips, p.clips / seconds);
    return 0;
  }
  std::printf(
      "%s: %s, %zu bytes, %lld MACs, kernel %s, %d thread(s), %d clips\n",
      p.model_path.c_str(), (*model)->is_int8() ? "int8" : "fp32",
      (*model)->file_bytes(), static_cast<long long>((*model)->macs()),
      kernel.c_str(), p.threads, p.clips);
  std::printf("%-10s %10s %10s %10s   (us per clip)\n", "", "median", "p90",
              "p99");
  for (const auto& [name, q] :
       {std::pair<const char*, tinykws::Percentiles>{"mfcc", m},
        {"inference", n},
        {"total", a}}) {
    std::printf("%-10s %10.1f %10.1f %10.1f\n", name, q.median, q.p90, q.p99);
  }
  std::printf("throughput: %.0f clips/s\n", p.clips / seconds);
  return 0;
}

}  // namespace

void AddBenchCommand(CLI::App& app, int* exit_code) {
  auto params = std::make_shared<BenchParams>();
  CLI::App* cmd = app.add_subcommand("bench",
                                     "Latency of MFCC, inference and the total "
                                     "per 1 s clip (median, p90, p99).");
  cmd->add_option("--model", params->model_path, "Model file (.kws)")
      ->required();
  cmd->add_option("--clips", params->clips, "Timed clips")
      ->capture_default_str();
  cmd->add_option("--threads", params->threads,
                  "Threads, each with its own session on the shared model")
      ->capture_default_str();
  cmd->add_option("--warmup", params->warmup, "Untimed clips per thread first")
      ->capture_default_str();
  cmd->add_flag("--json", params->json,
                "One JSON object: {\"mfcc_us\": {median, p90, p99}, "
                "\"inference_us\": ..., "
                "\"total_us\": ..., ...}");
  cmd->add_option("--hops", params->hops,
                  "Time the streaming spotter instead: N pushes of one hop "
                  "each (MFCC frames + one network run), one thread");
  cmd->add_flag("--portable", params->portable,
                "Use the portable int8 kernels instead of this CPU's SIMD "
                "ones (same results; shows what SIMD gains)");
  cmd->callback([params, exit_code] { *exit_code = RunBench(*params); });
}

}  // namespace kws
