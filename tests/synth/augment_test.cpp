// Augmentation stages on signals whose answers are known.
#include "synth/augment.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "synth/band.hpp"
#include "synth/clip.hpp"
#include "synth_test_util.hpp"

namespace tinykws::synth {
namespace {

using testing::Power;
using testing::Sine;

TEST(SynthAugment, FftConvolutionMatchesTheDirectSum) {
  CounterRng rng(1, 2, 3);
  for (auto [nx, nh] : {std::pair<size_t, size_t>{1000, 1},
                        {1000, 37},
                        {4000, 3001},
                        {777, 2000}}) {
    std::vector<float> x(nx), h(nh);
    for (float& v : x) v = rng.Uniform(-1.0f, 1.0f);
    for (float& v : h) v = rng.Uniform(-1.0f, 1.0f);
    const std::vector<float> expected = ConvolveDirect(x, h);
    FftConvolver convolver;
    convolver.Convolve(h, &x);
    ASSERT_EQ(x.size(), expected.size());
    double error = 0.0, signal = 0.0;
    for (size_t i = 0; i < x.size(); ++i) {
      error += (x[i] - expected[i]) * double(x[i] - expected[i]);
      signal += double(expected[i]) * expected[i];
    }
    EXPECT_GT(10.0 * std::log10(signal / error), 90.0) << nx << " " << nh;
  }
  EXPECT_EQ(FftConvolver::FftSize(27199), 27648);  // 2^10 3^3
  EXPECT_EQ(FftConvolver::FftSize(1), 1);
  EXPECT_EQ(FftConvolver::FftSize(1025), 1080);
}

TEST(SynthAugment, RoomImpulseDecaysAndStaysFinite) {
  for (float rt60 : {0.1f, 0.4f, 0.7f}) {
    CounterRng rng(3, 4, 5);
    RoomSettings room;
    room.rt60_s = rt60;
    const std::vector<float> h = MakeRoomImpulse(room, 16000, rng);
    EXPECT_EQ(h.size(), static_cast<size_t>(rt60 * 16000));
    EXPECT_EQ(h[0], 1.0f);
    // Energy in successive tenths of RT60 falls ~6 dB each (60 dB in all).
    const size_t tenth = h.size() / 10;
    double previous = Power(h, 1, tenth);
    for (int k = 1; k < 10; ++k) {
      const double p = Power(h, k * tenth, (k + 1) * tenth);
      EXPECT_LT(p, previous) << "rt60 " << rt60 << " part " << k;
      previous = p;
    }
    EXPECT_LT(Power(h, 9 * tenth, h.size()) / Power(h, 1, tenth), 1e-4);
    // A click through the room: finite, and its tail decays.
    std::vector<float> click(16000, 0.0f);
    click[100] = 1000.0f;
    FftConvolver convolver;
    ApplyRoom(h, convolver, &click);
    for (float v : click) ASSERT_TRUE(std::isfinite(v));
    EXPECT_GT(Power(click, 100, 100 + tenth),
              100.0 * Power(click, 100 + 8 * tenth, 100 + 9 * tenth));
  }
}

TEST(SynthAugment, NoiseIsMixedAtTheDrawnSnr) {
  for (NoiseKind kind : {NoiseKind::kWhite, NoiseKind::kPink, NoiseKind::kBrown,
                         NoiseKind::kRecording}) {
    NoiseBank bank;
    bank.Add(Sine(440.0, 3000.0, 5000));  // a short "recording", looped
    for (float snr : {5.0f, 17.5f, 30.0f}) {
      const std::vector<float> clean = Sine(1000.0, 8000.0, 16000);
      std::vector<float> noisy = clean;
      std::vector<float> noise;
      CounterRng rng(9, static_cast<uint64_t>(kind), 1);
      MakeNoise(kind, &bank, clean.size(), rng, &noise);
      EXPECT_NEAR(Power(noise), 1.0, 1e-3);
      AddNoiseAtSnr(noise, snr, &noisy);
      std::vector<float> added(clean.size());
      for (size_t i = 0; i < clean.size(); ++i) added[i] = noisy[i] - clean[i];
      const double measured = 10.0 * std::log10(Power(clean) / Power(added));
      EXPECT_NEAR(measured, snr, 0.5) << NoiseKindName(kind);
    }
  }
}

double ToneGainDb(double hz, double low, double high) {
  std::vector<float> x = Sine(hz, 1000.0, 16000);
  BandLimit(low, high, 16000, &x);
  // Skip the filters' start-up.
  return 10.0 *
         std::log10(Power(x, 4000) / Power(Sine(hz, 1000.0, 16000), 4000));
}

TEST(SynthAugment, BandLimitAttenuatesTheEdges) {
  // The narrowest band drawn: 300 Hz - 3.4 kHz.
  EXPECT_LT(ToneGainDb(100.0, 300.0, 3400.0), -15.0);
  EXPECT_LT(ToneGainDb(7900.0, 300.0, 3400.0), -20.0);
  EXPECT_NEAR(ToneGainDb(1000.0, 300.0, 3400.0), 0.0, 1.0);
  // The widest: 80 Hz - 7.5 kHz still attenuates 7.9 kHz more than 1 kHz.
  EXPECT_LT(ToneGainDb(7900.0, 80.0, 7500.0), -3.0);
  EXPECT_LT(ToneGainDb(30.0, 80.0, 7500.0), -10.0);
  EXPECT_NEAR(ToneGainDb(1000.0, 80.0, 7500.0), 0.0, 0.5);
}

TEST(SynthAugment, SpeedChangesLength) {
  SpeedChanger speed;
  for (double s : {0.9, 1.0, 1.1}) {
    std::vector<float> x = Sine(500.0, 1000.0, 16000);
    ASSERT_TRUE(speed.Apply(s, &x).ok());
    EXPECT_NEAR(static_cast<double>(x.size()), 16000.0 / s, 1.0) << s;
  }
  EXPECT_DOUBLE_EQ(SpeedChanger::Quantize(1.0), 1.0);
  EXPECT_DOUBLE_EQ(SpeedChanger::Quantize(0.9031), 0.9);
  std::vector<float> x(100, 1.0f);
  EXPECT_FALSE(speed.Apply(3.0, &x).ok());
  // Whole-signal resampling keeps a tone aligned in time (22050 -> 16000:
  // within 0.03 samples).
  std::vector<float> tone = Sine(440.0, 1000.0, 22050, 22050);
  StatusOr<Resampler> r = Resampler::Create(22050, 16000);
  ASSERT_TRUE(r.ok());
  std::vector<float> out;
  ResampleSignal(*r, tone.data(), tone.size(), &out);
  ASSERT_EQ(out.size(), 16000u);
  auto mean_error = [&](double shift) {
    double error = 0.0;
    for (size_t i = 2000; i < 14000; ++i) {
      error += std::fabs(
          out[i] - 1000.0 * std::sin(2.0 * M_PI * 440.0 * (i + shift) / 16000));
    }
    return error / 12000.0;
  };
  EXPECT_LT(mean_error(0.0), 5.0);
  EXPECT_LT(mean_error(0.0), mean_error(0.1));
  EXPECT_LT(mean_error(0.0), mean_error(-0.1));
}

TEST(SynthAugment, GainSaturatesInt16) {
  std::vector<int16_t> pcm;
  ToPcm16({0.4f, -0.6f, 20000.0f, -20000.0f,
           std::numeric_limits<float>::infinity()},
          6.0f, &pcm);
  EXPECT_EQ(pcm, (std::vector<int16_t>{1, -1, 32767, -32768, 0}));
  ToPcm16({1000.0f}, -20.0f, &pcm);
  EXPECT_EQ(pcm[0], 100);
}

TEST(SynthAugment, DrawsAreReproducibleAndInRange) {
  AugmentConfig c;
  int rooms = 0, noises = 0;
  for (uint64_t i = 0; i < 400; ++i) {
    CounterRng a(11, 1, i), b(11, 1, i);
    const AugmentDraws d = DrawAugmentation(c, false, a);
    const AugmentDraws e = DrawAugmentation(c, false, b);
    EXPECT_EQ(d.gain_db, e.gain_db);
    EXPECT_GE(d.gain_db, -12.0f);
    EXPECT_LE(d.gain_db, 6.0f);
    EXPECT_GE(d.snr_db, 5.0f);
    EXPECT_LE(d.snr_db, 30.0f);
    EXPECT_GE(d.room_settings.rt60_s, 0.1f);
    EXPECT_LE(d.room_settings.rt60_s, 0.7f);
    EXPECT_NE(d.noise_kind, NoiseKind::kRecording);  // no recordings given
    if (d.speed) {
      EXPECT_GE(d.speed_factor, 0.9);
      EXPECT_LE(d.speed_factor, 1.1);
    }
    rooms += d.room;
    noises += d.noise;
  }
  EXPECT_NEAR(rooms, 200, 40);
  EXPECT_NEAR(noises, 320, 40);
}

TEST(SynthClip, CutKeepsTheWordWhole) {
  std::vector<float> utterance(30000, 0.0f);
  std::vector<float> clip;
  for (uint64_t i = 0; i < 50; ++i) {
    CounterRng rng(2, 3, i);
    const long start = CutAround(utterance, 12000, 19000, rng, &clip);
    ASSERT_EQ(clip.size(), kClipSamples);
    EXPECT_LE(start, 12000);
    EXPECT_GE(start + static_cast<long>(kClipSamples), 19000);
  }
  // Near the start: silence before the utterance fills the clip.
  for (size_t i = 0; i < utterance.size(); ++i) utterance[i] = 1.0f;
  CounterRng rng(2, 3, 99);
  const long start = CutAround(utterance, 100, 900, rng, &clip);
  EXPECT_LE(start, 100);
  for (long i = 0; i < -start; ++i) EXPECT_EQ(clip[i], 0.0f);
  // A word longer than a clip is centred.
  EXPECT_EQ(CutAround(utterance, 0, 20000, rng, &clip), 2000);
  int token = -1;
  EXPECT_EQ(FillCarrier("please {} now", "go", &token), "please go now");
  EXPECT_EQ(token, 1);
  EXPECT_EQ(FillCarrier("{} right away", "go", &token), "go right away");
  EXPECT_EQ(token, 0);
  EXPECT_GE(CarrierPhrases().size(), 18u);
}

}  // namespace
}  // namespace tinykws::synth
