// The streaming rate converter: output independent of chunking, tones in the
// passband keep their level, tones that would alias are attenuated, delay
// and output count as documented, bad rates are errors.
#include "tinykws/resampler.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

namespace tinykws {
namespace {

std::vector<float> Convert(Resampler& r, const std::vector<float>& in,
                           std::mt19937* chunking = nullptr) {
  std::vector<float> out;
  std::vector<float> block(4096);
  std::uniform_int_distribution<size_t> in_size(1, 777), out_size(1, 300);
  size_t at = 0, written = 0, capacity = 0;
  // Until the input is used up and the last call had room to spare (output
  // still inside the converter otherwise).
  while (at < in.size() || written == capacity) {
    const size_t n = chunking ? std::min(in_size(*chunking), in.size() - at)
                              : in.size() - at;
    capacity = chunking ? out_size(*chunking) : block.size();
    at += r.Process(in.data() + at, n, block.data(), capacity, &written);
    out.insert(out.end(), block.begin(), block.begin() + written);
  }
  return out;
}

std::vector<float> Sine(double hz, int rate, double seconds, double amp) {
  std::vector<float> x(static_cast<size_t>(seconds * rate));
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<float>(amp * std::sin(2.0 * M_PI * hz * i / rate));
  return x;
}

// RMS of the middle half (away from the filter's start-up).
double MiddleRms(const std::vector<float>& y) {
  double sum = 0.0;
  const size_t a = y.size() / 4, b = 3 * y.size() / 4;
  for (size_t i = a; i < b; ++i) sum += static_cast<double>(y[i]) * y[i];
  return std::sqrt(sum / static_cast<double>(b - a));
}

TEST(Resampler, ChunkingDoesNotChangeTheOutput) {
  for (int rate : {44100, 48000, 8000}) {
    std::mt19937 rng(rate);
    std::normal_distribution<float> noise(0.0f, 3000.0f);
    std::vector<float> in(rate);
    for (float& v : in) v = noise(rng);
    StatusOr<Resampler> whole = Resampler::Create(rate, 16000);
    StatusOr<Resampler> pieces = Resampler::Create(rate, 16000);
    ASSERT_TRUE(whole.ok() && pieces.ok());
    const std::vector<float> a = Convert(*whole, in);
    const std::vector<float> b = Convert(*pieces, in, &rng);
    ASSERT_EQ(a.size(), b.size()) << rate;
    EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0)
        << rate;
    // One output per 1 / 16000 s of input whose filter window has arrived.
    EXPECT_NEAR(static_cast<double>(a.size()), 16000.0, 1.0) << rate;
    // Reset: the same stream again gives the same output.
    whole->Reset();
    EXPECT_EQ(Convert(*whole, in), a) << rate;
  }
}

TEST(Resampler, PassbandTonesKeepTheirLevelAliasesAreAttenuated) {
  const double amp = 10000.0;
  for (int rate : {44100, 48000}) {
    StatusOr<Resampler> r = Resampler::Create(rate, 16000);
    ASSERT_TRUE(r.ok());
    for (double hz : {100.0, 1000.0, 4000.0, 7000.0}) {
      r->Reset();
      const double gain = MiddleRms(Convert(*r, Sine(hz, rate, 0.5, amp))) /
                          (amp / std::sqrt(2.0));
      EXPECT_NEAR(20.0 * std::log10(gain), 0.0, 0.01) << rate << " " << hz;
    }
    // Above 8.8 kHz everything would fold into the output band.
    for (double hz : {9000.0, 12000.0, 20000.0}) {
      r->Reset();
      const double gain = MiddleRms(Convert(*r, Sine(hz, rate, 0.5, amp))) /
                          (amp / std::sqrt(2.0));
      EXPECT_LT(20.0 * std::log10(gain), -75.0) << rate << " " << hz;
    }
  }
}

TEST(Resampler, AnImpulseComesOutAfterTheStatedDelay) {
  StatusOr<Resampler> r = Resampler::Create(48000, 16000);
  ASSERT_TRUE(r.ok());
  std::vector<float> in(4800, 0.0f);
  in[480] = 1.0f;  // at 10 ms
  const std::vector<float> out = Convert(*r, in);
  size_t peak = 0;
  for (size_t i = 0; i < out.size(); ++i)
    if (std::fabs(out[i]) > std::fabs(out[peak])) peak = i;
  EXPECT_NEAR(peak / 16000.0, 0.010 + r->delay_seconds(), 1.0 / 16000.0);
  EXPECT_EQ(r->input_rate(), 48000);
  EXPECT_EQ(r->output_rate(), 16000);
  EXPECT_GT(r->taps_per_output(), 0);
  EXPECT_GE(r->memory_bytes(),
            static_cast<size_t>(r->taps_per_output()) * sizeof(float));
}

TEST(Resampler, UnsupportedRatesAreErrors) {
  for (auto [in, out] :
       {std::pair{0, 16000}, {500, 16000}, {16000, 400000}, {44101, 16000}}) {
    StatusOr<Resampler> r = Resampler::Create(in, out);
    ASSERT_FALSE(r.ok()) << in << " -> " << out;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("resampler: "), std::string::npos);
  }
  StatusOr<Resampler> odd = Resampler::Create(44101, 16000);
  EXPECT_NE(odd.status().message().find("ratio 16000/44101"), std::string::npos)
      << odd.status().message();
  // Null buffers consume and write nothing.
  StatusOr<Resampler> r = Resampler::Create(48000, 16000);
  ASSERT_TRUE(r.ok());
  size_t written = 7;
  EXPECT_EQ(r->Process(nullptr, 10, nullptr, 10, &written), 0u);
  EXPECT_EQ(written, 0u);
}

}  // namespace
}  // namespace tinykws
