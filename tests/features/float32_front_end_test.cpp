// The float32 front end: its kernels agree bit for bit across instruction
// sets and with the stream; its distance to the float64 recipe (the golden
// files) is no worse than PyTorch's float32 version of the same recipe
// (tests/features/golden/float32_peer_error.txt, tools/float32_peer_error.py).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <random>

#include "../common/seed_config.hpp"
#include "common/cpu.hpp"
#include "features/mfcc_tables.hpp"
#include "golden.hpp"

namespace tinykws {
namespace {

const char* const kGoldenClips[] = {"silence", "sine_1khz", "chirp",
                                    "white_noise", "short_clip"};

FeatureConfig Float32Config() {
  FeatureConfig config = testing::SeedFeatureConfig();
  config.precision = FeaturePrecision::kFloat32;
  return config;
}

std::vector<float> Extract(const FeatureConfig& config,
                           const std::vector<int16_t>& pcm) {
  StatusOr<MfccExtractor> extractor = MfccExtractor::Create(config);
  EXPECT_TRUE(extractor.ok());
  std::vector<float> out(config.num_features());
  EXPECT_TRUE(
      extractor->Compute(pcm.data(), pcm.size(), out.data(), out.size()).ok());
  return out;
}

std::vector<uint32_t> Bits(const std::vector<float>& values) {
  std::vector<uint32_t> bits(values.size());
  std::memcpy(bits.data(), values.data(), values.size() * sizeof(float));
  return bits;
}

std::vector<int16_t> Noise(size_t n, double level, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, level);
  std::vector<int16_t> pcm(n);
  for (int16_t& s : pcm) {
    s = static_cast<int16_t>(std::clamp(normal(rng), -32768.0, 32767.0));
  }
  return pcm;
}

TEST(Float32FrontEnd, IsaKernelsAreBitIdentical) {
  std::vector<std::pair<const char*, features::MfccKernelFn>> kernels;
#if defined(TINYKWS_HAVE_X86_KERNELS)
  if (CpuHasAvx2())
    kernels.push_back({"avx2", features::avx2_f32::ComputeMfcc});
  if (CpuHasAvx512()) {
    kernels.push_back({"avx512", features::avx512_f32::ComputeMfcc});
  }
#endif
  if (kernels.empty()) GTEST_SKIP() << "this CPU runs only the portable kernel";
  for (int frame_length : {800, 480, 512, 998}) {  // radices 4,5 / 3 / 2 / 499
    FeatureConfig config = Float32Config();
    config.frame_length = frame_length;
    const features::MfccTables tables = features::MakeMfccTables(config);
    features::MfccScratch scratch(tables);
    std::vector<std::vector<int16_t>> clips = {Noise(16000, 3000.0, 7),
                                               Noise(9000, 30.0, 8)};
    for (const char* name : kGoldenClips) {
      clips.push_back(testing::LoadGoldenPcm(name));
    }
    for (const std::vector<int16_t>& pcm : clips) {
      std::vector<float> expected(config.num_features());
      features::portable_f32::ComputeMfcc(tables, scratch, pcm.data(),
                                          pcm.size(), expected.data());
      for (const auto& [name, kernel] : kernels) {
        std::vector<float> out(config.num_features());
        kernel(tables, scratch, pcm.data(), pcm.size(), out.data());
        // Bits, not ==: -0.0 and +0.0 must not pass for each other.
        EXPECT_EQ(Bits(out), Bits(expected))
            << name << ", frame_length " << frame_length;
      }
    }
  }
}

TEST(Float32FrontEnd, DiffersFromFloat64AndTheExtractorSaysWhichItRuns) {
  const std::vector<int16_t> pcm = testing::LoadGoldenPcm("chirp");
  const std::vector<float> f32 = Extract(Float32Config(), pcm);
  const std::vector<float> f64 = Extract(testing::SeedFeatureConfig(), pcm);
  EXPECT_NE(f32, f64);  // a different path, not the float64 one renamed
  StatusOr<MfccExtractor> extractor = MfccExtractor::Create(Float32Config());
  ASSERT_TRUE(extractor.ok());
  EXPECT_EQ(extractor->config().precision, FeaturePrecision::kFloat32);
}

TEST(Float32FrontEnd, StreamEqualsWholeClipBitForBit) {
  const FeatureConfig config = Float32Config();
  const std::vector<int16_t> pcm = Noise(16000, 2000.0, 3);
  const std::vector<float> clip = Extract(config, pcm);
  for (size_t chunk : {1u, 77u, 448u, 16000u}) {
    StatusOr<MfccStream> stream = MfccStream::Create(config, 8);
    ASSERT_TRUE(stream.ok());
    std::vector<float> frames, out(8 * config.num_mfcc);
    for (size_t at = 0; at < pcm.size();) {
      const size_t n = std::min(chunk, pcm.size() - at);
      size_t fed = 0;
      while (fed < n) {
        fed += stream->Append(pcm.data() + at + fed, n - fed);
        StatusOr<int> got = stream->ComputeReady(out.data(), out.size());
        ASSERT_TRUE(got.ok());
        frames.insert(frames.end(), out.begin(),
                      out.begin() + *got * config.num_mfcc);
      }
      at += n;
    }
    EXPECT_EQ(Bits(frames), Bits(clip)) << "chunk " << chunk;
  }
}

struct Distance {
  double max = 0.0;  // largest abs difference
  double rms = 0.0;  // root mean square difference
};

Distance DistanceTo(const std::vector<float>& a, const std::vector<double>& b) {
  EXPECT_EQ(a.size(), b.size());
  Distance d;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const double e = a[i] - b[i];
    d.max = std::max(d.max, std::fabs(e));
    d.rms += e * e;
  }
  d.rms = std::sqrt(d.rms / static_cast<double>(a.size()));
  return d;
}

// PyTorch's float32 recipe from the golden files, per clip, as
// tools/float32_peer_error.py measured it.
std::map<std::string, Distance> PeerDistances() {
  std::map<std::string, Distance> distances;
  std::ifstream in(testing::GoldenDir() + "float32_peer_error.txt");
  std::string name;
  Distance d;
  while (in >> name >> d.max >> d.rms) distances[name] = d;
  return distances;
}

TEST(Float32FrontEnd, NoFurtherFromTheRecipeThanPyTorchFloat32) {
  const std::map<std::string, Distance> peer = PeerDistances();
  ASSERT_EQ(peer.size(), std::size(kGoldenClips));
  for (const char* name : kGoldenClips) {
    const std::vector<float> mfcc =
        Extract(Float32Config(), testing::LoadGoldenPcm(name));
    const Distance ours =
        DistanceTo(mfcc, testing::LoadGoldenMfcc(name).values);
    const Distance& torch = peer.at(name);
    std::printf("%-12s max %.3g (PyTorch float32 %.3g), rms %.3g (%.3g)\n",
                name, ours.max, torch.max, ours.rms, torch.rms);
    // Both are float32 DFTs at the same round-off floor: on some clips one
    // is closer, on others the other (measured: ours 0.70-1.12x PyTorch's),
    // so the bar is "as close, within 15 %" on both measures. The golden
    // values are printed with 9 digits: 1e-7 is their floor.
    EXPECT_LE(ours.rms, std::max(1.15 * torch.rms, 1e-7)) << name;
    EXPECT_LE(ours.max, std::max(1.15 * torch.max, 1e-7)) << name;
  }
}

}  // namespace
}  // namespace tinykws
