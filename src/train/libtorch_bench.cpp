#include "train/libtorch_bench.hpp"

#include <algorithm>
#include <chrono>
#include <random>
#include <vector>

#include "common/percentiles.hpp"
#include "train/checkpoint.hpp"

namespace tinykws::train {

Status BenchLibTorch(const std::string& run_dir, int clips,
                     LibTorchBenchResult* result) {
  if (clips < 10) return InvalidArgument("--clips must be at least 10");
  StatusOr<KwsConfig> config = LoadConfig(run_dir + "/config.toml");
  if (!config.ok()) return config.status();
  torch::set_num_threads(1);
  KwsNet net(config->model, config->features,
             static_cast<int>(config->labels.size()));
  TINYKWS_RETURN_IF_ERROR(LoadWeights(run_dir + "/best.pt", *net));
  net->eval();
  StatusOr<MfccExtractor> extractor = MfccExtractor::Create(config->features);
  if (!extractor.ok()) return extractor.status();
  const FeatureConfig& f = config->features;
  std::mt19937 rng(1);
  std::normal_distribution<float> noise(0.0f, 2000.0f);
  std::vector<int16_t> pcm(f.clip_samples);
  for (int16_t& s : pcm) s = static_cast<int16_t>(noise(rng));
  torch::Tensor x = torch::empty({1, 1, f.num_frames(), f.num_mfcc});
  std::vector<double> mfcc_us, forward_us;
  torch::NoGradGuard no_grad;
  for (int i = 0; i < clips + 50; ++i) {  // the first 50 warm up
    const auto t0 = std::chrono::steady_clock::now();
    TINYKWS_RETURN_IF_ERROR(extractor->Compute(pcm.data(), pcm.size(),
                                               x.data_ptr<float>(), x.numel()));
    const auto t1 = std::chrono::steady_clock::now();
    const torch::Tensor logits = net->forward(x, nullptr);
    (void)logits.argmax(1).item<int64_t>();
    const auto t2 = std::chrono::steady_clock::now();
    if (i >= 50) {
      mfcc_us.push_back(
          std::chrono::duration<double, std::micro>(t1 - t0).count());
      forward_us.push_back(
          std::chrono::duration<double, std::micro>(t2 - t1).count());
    }
  }
  result->clips = clips;
  const Percentiles forward = Summarize(forward_us);
  result->mfcc_median_us = Summarize(mfcc_us).median;
  result->forward_median_us = forward.median;
  result->forward_p90_us = forward.p90;
  result->forward_p99_us = forward.p99;
  return Status::Ok();
}

}  // namespace tinykws::train
