// Whole-signal resampling (engine rates -> 16 kHz) and the speed stage of
// augmentation, both with tinykws::Resampler.
#pragma once

#include <map>
#include <vector>

#include "tinykws/resampler.hpp"
#include "tinykws/status.hpp"

namespace tinykws::synth {

// Resamples the whole signal in[0, n) with r (reset first) into *out:
// round(n * output_rate / input_rate) samples, aligned with the input (the
// filter's delay removed as closely as whole samples allow: within 0.03
// samples for 22050 -> 16000, half a sample for 8000 -> 16000; its tail
// flushed).
void ResampleSignal(Resampler& r, const float* in, size_t n,
                    std::vector<float>* out);

// Speed change by resampling, like playing a tape faster: the signal is
// taken as recorded at 16000 * speed Hz and resampled to 16 kHz, so speed
// 1.1 is 10 % shorter and higher. Speeds are rounded to steps of 1/160
// (input rates in 100 Hz steps) so that the resamplers' ratios stay small;
// they are made once per step and kept.
class SpeedChanger {
 public:
  // The speed actually applied for a requested one.
  static double Quantize(double speed);
  // Applies Quantize(speed), speed in [0.5, 2].
  Status Apply(double speed, std::vector<float>* signal);

  // Makes the resamplers of every step in [lowest, highest] now.
  Status Warm(double lowest, double highest);

 private:
  StatusOr<Resampler*> ResamplerFrom(int rate);

  std::map<int, Resampler> resamplers_;  // by input rate
  std::vector<float> out_;
};

}  // namespace tinykws::synth
