// The spotter on streams at other rates than the model's (44.1 and 48 kHz):
// the documented conversion, chunk-independent, without allocation.
#include <gtest/gtest.h>

#include <cmath>

#include "../common/alloc_counter.hpp"
#include "spotter_helpers.hpp"
#include "tinykws/resampler.hpp"

namespace tinykws {
namespace {

using testing::ExpectSameDetections;
using testing::kEvents;
using testing::Load;
using testing::Spot;
using testing::ToneFile;
using testing::ToneStream;

// 44.1 and 48 kHz streams: converted inside exactly as documented (inputs
// rounded to int16, Resampler, outputs rounded to int16), whatever the chunk
// size, and the tones are still found. The threshold is lowered to 0.5: the
// tone model reads spectral tilt, and its quiet mel bands hold only int16
// rounding noise (the tones have whole cycles per frame), which any
// conversion changes, so its scores drop from ~1.0 to ~0.65.
TEST(Spotter, StreamsAtOtherRatesAreConvertedInside) {
  const std::shared_ptr<const Model> model = Load(ToneFile(true, 0.5f));
  StatusOr<Spotter> at_16k = Spotter::Create(model);
  ASSERT_TRUE(at_16k.ok());
  const std::vector<Detection> reference =
      Spot(*at_16k, ToneStream(kEvents, 10.0), 16000);
  ASSERT_EQ(reference.size(), kEvents.size());
  for (int rate : {44100, 48000}) {
    const std::vector<int16_t> pcm = ToneStream(kEvents, 10.0, rate);
    // The documented conversion, done outside, pushed at 16 kHz.
    StatusOr<Resampler> resampler = Resampler::Create(rate, 16000);
    ASSERT_TRUE(resampler.ok());
    std::vector<float> in(pcm.begin(), pcm.end()), out(pcm.size());
    size_t written = 0;
    ASSERT_EQ(resampler->Process(in.data(), in.size(), out.data(), out.size(),
                                 &written),
              in.size());
    std::vector<int16_t> converted(written);
    for (size_t k = 0; k < written; ++k) {
      converted[k] = static_cast<int16_t>(std::lround(out[k]));
    }
    StatusOr<Spotter> outside = Spotter::Create(model);
    ASSERT_TRUE(outside.ok());
    const std::vector<Detection> expected =
        Spot(*outside, converted, converted.size());
    // The tones are found, each while it is in the network's window.
    ASSERT_EQ(expected.size(), kEvents.size()) << rate;
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(expected[i].label, reference[i].label) << rate;
      EXPECT_GT(expected[i].time_s, kEvents[i].start_s) << rate;
      EXPECT_LT(expected[i].time_s,
                kEvents[i].start_s + kEvents[i].seconds + 1.0)
          << rate;
    }
    for (size_t chunk : {size_t{1}, size_t{441}, size_t{4801}, pcm.size()}) {
      SpotterOptions options;
      if (chunk == 1) options.input_sample_rate = rate;  // made at Create
      StatusOr<Spotter> spotter = Spotter::Create(model, options);
      ASSERT_TRUE(spotter.ok());
      std::vector<Detection> got;
      for (size_t at = 0; at < pcm.size(); at += chunk) {
        ASSERT_TRUE(spotter
                        ->Push(pcm.data() + at,
                               std::min(chunk, pcm.size() - at), rate,
                               [&](const Detection& d) { got.push_back(d); })
                        .ok());
      }
      const std::string what =
          std::to_string(rate) + " Hz, chunk " + std::to_string(chunk);
      ExpectSameDetections(got, expected, what);
      EXPECT_EQ(spotter->samples_pushed(),
                static_cast<int64_t>(converted.size()))
          << what;
    }
  }
}

TEST(Spotter, PushAtAnotherRateDoesNotAllocate) {
  // The converter is made at Create for this rate.
  const std::vector<int16_t> pcm48 = ToneStream(kEvents, 10.0, 48000);
  SpotterOptions options;
  options.input_sample_rate = 48000;
  StatusOr<Spotter> spotter = Spotter::Create(Load(ToneFile(true)), options);
  ASSERT_TRUE(spotter.ok());
  const size_t before = testing::AllocationCount();
  for (size_t at = 0; at < pcm48.size(); at += 999) {
    const size_t n = std::min<size_t>(999, pcm48.size() - at);
    ASSERT_TRUE(spotter->Push(pcm48.data() + at, n, 48000).ok());
  }
  EXPECT_EQ(testing::AllocationCount(), before);
}

}  // namespace
}  // namespace tinykws
