// MfccStream: frames of a continuous stream equal whole-clip MFCCs bit for
// bit, whatever the chunk sizes; no allocation after Create; bad arguments.
#include <gtest/gtest.h>

#include <random>

#include "../common/alloc_counter.hpp"
#include "../common/seed_config.hpp"
#include "golden.hpp"
#include "tinykws/features.hpp"

namespace tinykws {
namespace {

// A stream of `seconds` of varied audio: golden clips back to back.
std::vector<int16_t> TestStream(int clips) {
  const char* const names[] = {"chirp", "white_noise", "sine_1khz", "silence"};
  std::vector<int16_t> out;
  for (int i = 0; i < clips; ++i) {
    const std::vector<int16_t> pcm = testing::LoadGoldenPcm(names[i % 4]);
    out.insert(out.end(), pcm.begin(), pcm.end());
  }
  return out;
}

// Feeds pcm in chunks of `chunk` samples; returns every frame computed.
std::vector<float> Stream(MfccStream& stream, const std::vector<int16_t>& pcm,
                          size_t chunk) {
  const size_t coeffs = static_cast<size_t>(stream.config().num_mfcc);
  std::vector<float> frames;
  std::vector<float> out(stream.batch_frames() * coeffs);
  for (size_t at = 0; at < pcm.size();) {
    const size_t n = std::min(chunk, pcm.size() - at);
    size_t fed = 0;
    while (fed < n) {
      fed += stream.Append(pcm.data() + at + fed, n - fed);
      StatusOr<int> got = stream.ComputeReady(out.data(), out.size());
      EXPECT_TRUE(got.ok()) << got.status().message();
      frames.insert(frames.end(), out.begin(), out.begin() + *got * coeffs);
    }
    at += n;
  }
  return frames;
}

std::vector<float> WholeClip(const std::vector<int16_t>& pcm, size_t begin) {
  StatusOr<MfccExtractor> extractor =
      MfccExtractor::Create(testing::SeedFeatureConfig());
  std::vector<float> out(extractor->config().num_features());
  EXPECT_TRUE(extractor
                  ->Compute(pcm.data() + begin, pcm.size() - begin, out.data(),
                            out.size())
                  .ok());
  return out;
}

TEST(MfccStream, EqualsWholeClipBitForBitForAnyChunkSize) {
  const FeatureConfig config = testing::SeedFeatureConfig();
  const std::vector<int16_t> clip = testing::LoadGoldenPcm("chirp");
  const std::vector<float> expected = WholeClip(clip, 0);
  for (int batch : {1, 3, 8}) {
    for (size_t chunk : {1, 7, 160, 448, 16000}) {
      StatusOr<MfccStream> stream = MfccStream::Create(config, batch);
      ASSERT_TRUE(stream.ok()) << stream.status().message();
      EXPECT_EQ(Stream(*stream, clip, chunk), expected)
          << "chunk " << chunk << ", batch " << batch;
      EXPECT_EQ(stream->frames_computed(), config.num_frames());
    }
  }
}

TEST(MfccStream, LaterFramesEqualTheClipStartingThere) {
  const FeatureConfig config = testing::SeedFeatureConfig();
  const std::vector<int16_t> pcm = TestStream(4);
  StatusOr<MfccStream> stream = MfccStream::Create(config, 5);
  ASSERT_TRUE(stream.ok());
  const std::vector<float> frames = Stream(*stream, pcm, 1000);
  const int64_t total =
      1 + (static_cast<int64_t>(pcm.size()) - config.frame_length) /
              config.frame_step;
  ASSERT_EQ(stream->frames_computed(), total);
  ASSERT_EQ(frames.size(), static_cast<size_t>(total) * config.num_mfcc);
  // The window of num_frames frames starting at frame f is the MFCC of the
  // clip that starts at sample f * frame_step.
  for (int64_t f : {int64_t{1}, int64_t{35}, int64_t{70}, total - 34}) {
    const std::vector<float> clip = WholeClip(pcm, f * config.frame_step);
    const std::vector<float> window(
        frames.begin() + f * config.num_mfcc,
        frames.begin() + (f + config.num_frames()) * config.num_mfcc);
    EXPECT_EQ(window, clip) << "frame " << f;
  }
}

TEST(MfccStream, FloatSamplesConvertAsAudioFilesAre) {
  const FeatureConfig config = testing::SeedFeatureConfig();
  const std::vector<int16_t> pcm = testing::LoadGoldenPcm("white_noise");
  std::vector<float> scaled(pcm.size());
  for (size_t i = 0; i < pcm.size(); ++i) scaled[i] = pcm[i] / 32768.0f;
  scaled[10] = 2.0f;   // saturates to 32767
  scaled[11] = -3.0f;  // saturates to -32768
  std::vector<int16_t> expected_pcm = pcm;
  expected_pcm[10] = 32767;
  expected_pcm[11] = -32768;
  StatusOr<MfccStream> a = MfccStream::Create(config, 4);
  StatusOr<MfccStream> b = MfccStream::Create(config, 4);
  ASSERT_TRUE(a.ok() && b.ok());
  std::vector<float> out_a(40), out_b(40), all_a, all_b;
  for (size_t at = 0; at < pcm.size();) {
    const size_t used = a->Append(scaled.data() + at, pcm.size() - at);
    ASSERT_EQ(b->Append(expected_pcm.data() + at, used), used);
    at += used;
    const int na = *a->ComputeReady(out_a.data(), out_a.size());
    const int nb = *b->ComputeReady(out_b.data(), out_b.size());
    ASSERT_EQ(na, nb);
    all_a.insert(all_a.end(), out_a.begin(), out_a.begin() + na * 10);
    all_b.insert(all_b.end(), out_b.begin(), out_b.begin() + nb * 10);
  }
  EXPECT_EQ(all_a, all_b);
  EXPECT_EQ(all_a.size(), 340u);
}

TEST(MfccStream, ResetStartsOverAndNothingAllocates) {
  const FeatureConfig config = testing::SeedFeatureConfig();
  const std::vector<int16_t> clip = testing::LoadGoldenPcm("sine_1khz");
  StatusOr<MfccStream> stream = MfccStream::Create(config, 2);
  ASSERT_TRUE(stream.ok());
  std::vector<float> out(20);
  const size_t before = testing::AllocationCount();
  for (int pass = 0; pass < 2; ++pass) {
    stream->Reset();
    for (size_t at = 0; at < clip.size();) {
      at += stream->Append(clip.data() + at,
                           std::min<size_t>(333, clip.size() - at));
      ASSERT_TRUE(stream->ComputeReady(out.data(), out.size()).ok());
    }
  }
  EXPECT_EQ(testing::AllocationCount(), before);
  EXPECT_EQ(stream->frames_computed(), 34);
  EXPECT_EQ(stream->samples_appended(), 16000);
}

TEST(MfccStream, RejectsBadArguments) {
  const FeatureConfig config = testing::SeedFeatureConfig();
  EXPECT_EQ(MfccStream::Create(config, 0).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(MfccStream::Create(config, 257).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(MfccStream::Create(FeatureConfig{}, 1).status().code(),
            StatusCode::kInvalidArgument);
  StatusOr<MfccStream> stream = MfccStream::Create(config, 3);
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ(stream->Append(static_cast<const int16_t*>(nullptr), 5), 0u);
  const std::vector<int16_t> pcm(5000, 7);
  // The buffer takes frame_length + 2 * frame_step samples, no more.
  EXPECT_EQ(stream->Append(pcm.data(), pcm.size()), 800u + 2 * 448u);
  EXPECT_EQ(stream->ready_frames(), 3);
  std::vector<float> out(29);
  StatusOr<int> got = stream->ComputeReady(out.data(), out.size());
  EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(got.status().message().find("30"), std::string::npos);
}

}  // namespace
}  // namespace tinykws
