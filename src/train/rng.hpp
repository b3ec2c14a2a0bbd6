// Counter-based randomness for training: every random draw is a pure
// function of (seed, stream, counter), so a resumed run replays exactly the
// draws an uninterrupted run makes without saving any generator state.
#pragma once

#include <cstdint>

#include "common/rng.hpp"

namespace tinykws::train {

// What a random stream is used for; part of the key so streams never overlap.
enum class Stream : uint64_t {
  kShuffle = 1,      // counter: epoch
  kAugment = 2,      // counter: epoch * 2^32 + clip
  kDropout = 3,      // counter: global step * 64 + layer
  kSampleExtra = 4,  // counter: epoch (unknown/silence picks)
  kEvalExtra = 5,    // fixed validation/testing extras
};

// The generator of one training stream.
class Rng : public CounterRng {
 public:
  Rng(uint64_t seed, Stream stream, uint64_t counter)
      : CounterRng(seed, static_cast<uint64_t>(stream), counter) {}
};

using tinykws::Shuffle;
using tinykws::SplitMix64;

}  // namespace tinykws::train
