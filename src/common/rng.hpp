// Counter-based randomness: every draw is a pure function of (seed, stream,
// counter), so work split across threads, resumed, or replayed later makes
// exactly the same draws without saving any generator state. Shared by
// training (train/rng.hpp names its streams) and the stream builders of
// evaluation and calibration.
#pragma once

#include <cstdint>
#include <utility>

namespace tinykws {

inline uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// xoshiro256** seeded from the key through SplitMix64.
class CounterRng {
 public:
  CounterRng(uint64_t seed, uint64_t stream, uint64_t counter) {
    uint64_t x = SplitMix64(seed ^ SplitMix64(stream ^ SplitMix64(counter)));
    for (uint64_t& s : state_) {
      x = SplitMix64(x);
      s = x;
    }
  }

  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 24 random bits (exact in float).
  float Uniform() { return static_cast<float>(Next() >> 40) * 0x1.0p-24f; }
  float Uniform(float lo, float hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; the bias of
  // at most n / 2^64 is irrelevant here).
  uint64_t Below(uint64_t n) {
    __extension__ typedef unsigned __int128 Wide;
    return static_cast<uint64_t>((static_cast<Wide>(Next()) * n) >> 64);
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t state_[4];
};

// Fisher-Yates shuffle of [first, last) with the given generator.
template <typename It, typename Generator>
void Shuffle(It first, It last, Generator& rng) {
  for (auto n = last - first; n > 1; --n) {
    const auto j =
        static_cast<decltype(n)>(rng.Below(static_cast<uint64_t>(n)));
    std::swap(first[n - 1], first[j]);
  }
}

}  // namespace tinykws
