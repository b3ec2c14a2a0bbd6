// MFCC extractor: golden values from tools/golden_mfcc.py (numpy, float64),
// the double-precision reference twin, ISA variants, padding, allocation.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "../common/alloc_counter.hpp"
#include "../common/seed_config.hpp"
#include "common/cpu.hpp"
#include "features/mfcc_reference.hpp"
#include "features/mfcc_tables.hpp"
#include "golden.hpp"

namespace tinykws {
namespace {

const char* const kGoldenClips[] = {"silence", "sine_1khz", "chirp",
                                    "white_noise", "short_clip"};

std::vector<float> Extract(MfccExtractor& extractor,
                           const std::vector<int16_t>& pcm) {
  std::vector<float> out(extractor.config().num_features());
  const Status status =
      extractor.Compute(pcm.data(), pcm.size(), out.data(), out.size());
  EXPECT_TRUE(status.ok()) << status.message();
  return out;
}

double MaxAbsDiff(const std::vector<float>& a, const std::vector<double>& b) {
  EXPECT_EQ(a.size(), b.size());
  double worst = 0.0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    worst = std::max(worst, std::fabs(a[i] - b[i]));
  }
  return worst;
}

TEST(Mfcc, MatchesGoldenValuesWithin1e4) {
  StatusOr<MfccExtractor> extractor =
      MfccExtractor::Create(testing::SeedFeatureConfig());
  ASSERT_TRUE(extractor.ok());
  for (const char* name : kGoldenClips) {
    const std::vector<int16_t> pcm = testing::LoadGoldenPcm(name);
    const testing::GoldenMfcc golden = testing::LoadGoldenMfcc(name);
    ASSERT_FALSE(pcm.empty()) << name;
    ASSERT_EQ(golden.frames, 34) << name;
    ASSERT_EQ(golden.coeffs, 10) << name;
    const std::vector<float> mfcc = Extract(*extractor, pcm);
    EXPECT_LE(MaxAbsDiff(mfcc, golden.values), 1e-4)
        << name << " (" << extractor->kernel_name() << " kernel)";
  }
}

TEST(Mfcc, SilenceGivesLogOffsetInEveryFrame) {
  StatusOr<MfccExtractor> extractor =
      MfccExtractor::Create(testing::SeedFeatureConfig());
  ASSERT_TRUE(extractor.ok());
  const std::vector<float> mfcc =
      Extract(*extractor, std::vector<int16_t>(16000, 0));
  for (int f = 0; f < 34; ++f) {
    EXPECT_NEAR(mfcc[f * 10], -87.376961, 1e-4) << "frame " << f;
    for (int c = 1; c < 10; ++c) EXPECT_NEAR(mfcc[f * 10 + c], 0.0, 1e-4);
  }
}

TEST(Mfcc, ReferenceTwinMatchesGoldenValues) {
  const FeatureConfig config = testing::SeedFeatureConfig();
  for (const char* name : kGoldenClips) {
    const std::vector<int16_t> pcm = testing::LoadGoldenPcm(name);
    const std::vector<float> ref =
        features::ComputeMfccReference(config, pcm.data(), pcm.size());
    EXPECT_LE(MaxAbsDiff(ref, testing::LoadGoldenMfcc(name).values), 2e-5)
        << name;
  }
}

// Noise clips in other configs (the reference model's 640/320 framing, a
// radix-3 and a generic-radix length) against the double reference.
TEST(Mfcc, MatchesReferenceTwinOnOtherConfigs) {
  std::mt19937 rng(5);
  std::normal_distribution<float> normal(0.0f, 3000.0f);
  std::vector<int16_t> pcm(16000);
  for (int16_t& s : pcm) s = static_cast<int16_t>(std::lround(normal(rng)));
  for (int frame_length : {640, 480, 546, 800}) {
    FeatureConfig config = testing::SeedFeatureConfig();
    config.frame_length = frame_length;
    config.frame_step = frame_length / 2;
    StatusOr<MfccExtractor> extractor = MfccExtractor::Create(config);
    ASSERT_TRUE(extractor.ok()) << extractor.status().message();
    const std::vector<float> fast = Extract(*extractor, pcm);
    const std::vector<float> ref =
        features::ComputeMfccReference(config, pcm.data(), pcm.size());
    const std::vector<double> ref64(ref.begin(), ref.end());
    EXPECT_LE(MaxAbsDiff(fast, ref64), 1e-4) << "frame_length " << frame_length;
  }
}

TEST(Mfcc, IsaKernelsAreBitIdentical) {
  std::vector<features::MfccKernelFn> kernels;
#if defined(TINYKWS_HAVE_X86_KERNELS)
  if (CpuHasAvx2()) kernels.push_back(features::avx2::ComputeMfcc);
  if (CpuHasAvx512()) kernels.push_back(features::avx512::ComputeMfcc);
#endif
  if (kernels.empty()) GTEST_SKIP() << "this CPU runs only the portable kernel";
  const features::MfccTables tables =
      features::MakeMfccTables(testing::SeedFeatureConfig());
  features::MfccScratch scratch(tables);
  for (const char* name : kGoldenClips) {
    const std::vector<int16_t> pcm = testing::LoadGoldenPcm(name);
    std::vector<float> expected(340);
    features::portable::ComputeMfcc(tables, scratch, pcm.data(), pcm.size(),
                                    expected.data());
    for (features::MfccKernelFn kernel : kernels) {
      std::vector<float> out(340);
      kernel(tables, scratch, pcm.data(), pcm.size(), out.data());
      EXPECT_EQ(out, expected) << name;
    }
  }
}

TEST(Mfcc, ShortClipsArePaddedAndLongClipsCut) {
  StatusOr<MfccExtractor> extractor =
      MfccExtractor::Create(testing::SeedFeatureConfig());
  ASSERT_TRUE(extractor.ok());
  const std::vector<int16_t> noise = testing::LoadGoldenPcm("white_noise");
  std::vector<int16_t> short_clip(noise.begin(), noise.begin() + 9000);
  std::vector<int16_t> padded = short_clip;
  padded.resize(16000, 0);
  EXPECT_EQ(Extract(*extractor, short_clip), Extract(*extractor, padded));
  std::vector<int16_t> long_clip = noise;
  long_clip.resize(24000, 1234);
  EXPECT_EQ(Extract(*extractor, long_clip), Extract(*extractor, noise));
  EXPECT_EQ(Extract(*extractor, {}),
            Extract(*extractor, std::vector<int16_t>(16000, 0)));
}

TEST(Mfcc, ComputeDoesNotAllocate) {
  StatusOr<MfccExtractor> extractor =
      MfccExtractor::Create(testing::SeedFeatureConfig());
  ASSERT_TRUE(extractor.ok());
  const std::vector<int16_t> pcm = testing::LoadGoldenPcm("chirp");
  std::vector<float> out(340);
  const size_t before = testing::AllocationCount();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(
        extractor->Compute(pcm.data(), pcm.size(), out.data(), out.size())
            .ok());
  }
  EXPECT_EQ(testing::AllocationCount(), before);
}

TEST(Mfcc, RejectsBadArguments) {
  StatusOr<MfccExtractor> extractor =
      MfccExtractor::Create(testing::SeedFeatureConfig());
  ASSERT_TRUE(extractor.ok());
  std::vector<float> out(339);
  const std::vector<int16_t> pcm(16000, 0);
  Status status = extractor->Compute(pcm.data(), pcm.size(), out.data(), 339);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("340"), std::string::npos);
  out.resize(340);
  status = extractor->Compute(nullptr, 10, out.data(), out.size());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(extractor->Compute(nullptr, 0, out.data(), out.size()).ok());
}

}  // namespace
}  // namespace tinykws
