// The micro runtime's rate converter: its int16 output is exactly
// tinykws::Resampler's rounded as the Spotter rounds it, however the input
// is chunked; a micro stream at 44.1 or 48 kHz (convert, then push) finds
// exactly the C++ Spotter's detections; the arena is sized exactly.
#include "tinykws/resampler.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "../runtime/spotter_helpers.hpp"
#include "features/pcm_convert.hpp"
#include "tinykws/micro.h"
#include "tinykws/micro_resampler.h"

namespace tinykws {
namespace {

using testing::kEvents;
using testing::ToneFile;
using testing::ToneStream;

// An arena of exactly `bytes` (heap, so that ASan sees any overrun).
struct Arena {
  explicit Arena(size_t bytes) : words((bytes + 7) / 8 + 1) {}
  void* data() { return words.data(); }
  std::vector<uint64_t> words;
};

kws_micro_resampler* MakeResampler(int from, int to, Arena** arena) {
  size_t bytes = 0;
  char error[200];
  EXPECT_EQ(kws_micro_resampler_size(from, to, &bytes, error, sizeof error),
            KWS_MICRO_OK)
      << error;
  *arena = new Arena(bytes);
  kws_micro_resampler* r = nullptr;
  EXPECT_EQ(kws_micro_resampler_init(from, to, (*arena)->data(), bytes, &r,
                                     error, sizeof error),
            KWS_MICRO_OK)
      << error;
  return r;
}

std::vector<int16_t> Noise(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, 6000.0);
  std::vector<int16_t> pcm(n);
  for (int16_t& s : pcm) {
    s = static_cast<int16_t>(std::clamp(normal(rng), -32768.0, 32767.0));
  }
  return pcm;
}

// Everything the converter gives for pcm, fed in chunks of up to `chunk`
// (random sizes when chunk == 0) with an output buffer of `out_room`.
std::vector<int16_t> Convert(kws_micro_resampler* r,
                             const std::vector<int16_t>& pcm, size_t chunk,
                             size_t out_room) {
  std::mt19937 rng(5);
  std::vector<int16_t> all, out(out_room);
  for (size_t at = 0; at < pcm.size();) {
    const size_t n =
        std::min(pcm.size() - at, chunk > 0 ? chunk : size_t{1} + rng() % 3000);
    size_t used = 0, written = out.size();
    while (used < n || written == out.size()) {
      used += kws_micro_resample(r, pcm.data() + at + used, n - used,
                                 out.data(), out.size(), &written);
      all.insert(all.end(), out.begin(), out.begin() + written);
    }
    at += n;
  }
  return all;
}

TEST(MicroResampler, EqualsTheCppResamplerRoundedForAnyChunking) {
  const std::vector<int16_t> pcm = Noise(30000, 1);
  for (int rate : {48000, 44100, 8000}) {
    SCOPED_TRACE(rate);
    StatusOr<Resampler> cpp = Resampler::Create(rate, 16000);
    ASSERT_TRUE(cpp.ok());
    std::vector<float> in(pcm.begin(), pcm.end()), out(pcm.size() * 2 + 16);
    size_t written = 0;
    ASSERT_EQ(
        cpp->Process(in.data(), in.size(), out.data(), out.size(), &written),
        in.size());
    std::vector<int16_t> expected(written);
    for (size_t k = 0; k < written; ++k) {
      expected[k] = features::RoundToInt16(out[k]);
    }
    Arena* arena = nullptr;
    kws_micro_resampler* r = MakeResampler(rate, 16000, &arena);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(Convert(r, pcm, pcm.size(), pcm.size() * 2 + 16), expected);
    for (size_t chunk : {size_t{1}, size_t{77}, size_t{0}}) {
      kws_micro_resampler_reset(r);
      EXPECT_EQ(Convert(r, pcm, chunk, 7), expected) << "chunk " << chunk;
    }
    delete arena;
  }
}

TEST(MicroResampler, ArenaIsExactAndBadRatesAreErrors) {
  size_t bytes = 0;
  char error[200];
  ASSERT_EQ(kws_micro_resampler_size(48000, 16000, &bytes, error, sizeof error),
            KWS_MICRO_OK);
  std::printf("arena: 48 kHz -> 16 kHz %zu bytes\n", bytes);
  size_t bytes_441 = 0;
  ASSERT_EQ(
      kws_micro_resampler_size(44100, 16000, &bytes_441, error, sizeof error),
      KWS_MICRO_OK);
  std::printf("arena: 44.1 kHz -> 16 kHz %zu bytes\n", bytes_441);
  Arena arena(bytes);
  kws_micro_resampler* r = nullptr;
  EXPECT_EQ(kws_micro_resampler_init(48000, 16000, arena.data(), bytes - 1, &r,
                                     error, sizeof error),
            KWS_MICRO_ARENA_TOO_SMALL);
  EXPECT_NE(std::strstr(error, "arena too small"), nullptr) << error;
  EXPECT_EQ(r, nullptr);
  EXPECT_EQ(kws_micro_resampler_init(48000, 16000,
                                     static_cast<char*>(arena.data()) + 4,
                                     bytes, &r, error, sizeof error),
            KWS_MICRO_INVALID_ARGUMENT);
  EXPECT_EQ(kws_micro_resampler_size(500, 16000, &bytes, error, sizeof error),
            KWS_MICRO_INVALID_ARGUMENT);
  EXPECT_NE(std::strstr(error, "500 Hz"), nullptr) << error;
  EXPECT_EQ(kws_micro_resampler_size(44101, 16000, &bytes, error, sizeof error),
            KWS_MICRO_INVALID_ARGUMENT);
  EXPECT_NE(std::strstr(error, "above 1024"), nullptr) << error;
}

// A 48 or 44.1 kHz stream: converted by the micro runtime and pushed to it,
// it gives the C++ Spotter's detections (which converts inside) exactly.
TEST(MicroResampler, MicroStreamAtMicrophoneRateMatchesTheCppSpotter) {
  const format::ModelFile file = ToneFile(true, 0.5f);
  const std::string bytes = format::Serialize(file);
  const std::shared_ptr<const Model> model = testing::Load(file);
  for (int rate : {48000, 44100}) {
    SCOPED_TRACE(rate);
    const std::vector<int16_t> pcm = ToneStream(kEvents, 10.0, rate);
    StatusOr<Spotter> spotter = Spotter::Create(model);
    ASSERT_TRUE(spotter.ok());
    std::vector<Detection> expected;
    ASSERT_TRUE(spotter
                    ->Push(pcm.data(), pcm.size(), rate,
                           [&](const Detection& d) { expected.push_back(d); })
                    .ok());
    ASSERT_EQ(expected.size(), kEvents.size());

    const auto* model_bytes = reinterpret_cast<const uint8_t*>(bytes.data());
    size_t need = 0;
    char error[200];
    ASSERT_EQ(kws_micro_arena_size(model_bytes, bytes.size(), &need, error,
                                   sizeof error),
              KWS_MICRO_OK)
        << error;
    Arena arena(need);
    kws_micro* kws = nullptr;
    ASSERT_EQ(kws_micro_init(model_bytes, bytes.size(), arena.data(), need,
                             &kws, error, sizeof error),
              KWS_MICRO_OK)
        << error;
    Arena* resampler_arena = nullptr;
    kws_micro_resampler* r = MakeResampler(rate, 16000, &resampler_arena);
    std::vector<kws_micro_detection> got;
    std::vector<int16_t> out(160);
    for (size_t at = 0; at < pcm.size(); at += 480) {
      const int16_t* in = pcm.data() + at;
      size_t n = std::min<size_t>(480, pcm.size() - at), written = out.size();
      while (n > 0 || written == out.size()) {
        const size_t used =
            kws_micro_resample(r, in, n, out.data(), out.size(), &written);
        in += used;
        n -= used;
        kws_micro_detection found[4];
        size_t count = 0;
        ASSERT_EQ(kws_micro_push(kws, out.data(), written, found, 4, &count),
                  KWS_MICRO_OK);
        got.insert(got.end(), found, found + count);
      }
    }
    ASSERT_EQ(got.size(), expected.size());
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].label, expected[i].label) << i;
      EXPECT_EQ(got[i].sample, expected[i].sample) << i;
      EXPECT_EQ(testing::Bits(got[i].score), testing::Bits(expected[i].score))
          << i;
    }
    delete resampler_arena;
  }
}

}  // namespace
}  // namespace tinykws
