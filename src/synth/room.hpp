// A synthetic room: an impulse response with a direct path followed by
// exponentially decaying noise (the statistical model of a diffuse
// reverberant tail), -60 dB at RT60.
#pragma once

#include <vector>

#include "common/rng.hpp"
#include "synth/fft_convolver.hpp"

namespace tinykws::synth {

struct RoomSettings {
  float rt60_s = 0.3f;        // reverberation time: -60 dB after this long
  float drr_db = 6.0f;        // direct-to-reverberant energy ratio
  float predelay_s = 0.003f;  // first reflection after the direct path
};

// The impulse response at `rate`: h[0] = 1 (direct path), then the tail
// from predelay_s to rt60_s, scaled to the requested DRR.
std::vector<float> MakeRoomImpulse(const RoomSettings& room, int rate,
                                   CounterRng& rng);

// Convolves *signal with the impulse response (FFT), keeping its length
// and its loudest-block level (kSpeechLevelDbfs).
void ApplyRoom(const std::vector<float>& impulse, FftConvolver& convolver,
               std::vector<float>* signal);

}  // namespace tinykws::synth
