// Streaming sample-rate conversion for microphones that do not run at the
// model's rate (44.1 or 48 kHz to 16 kHz, or any rational ratio within the
// limits below). The Spotter uses it inside when audio is pushed at another
// rate; applications may use it directly.
//
//   auto r = tinykws::Resampler::Create(48000, 16000);   // StatusOr
//   size_t used = r->Process(in, n, out, out_capacity, &written);
//
// A polyphase windowed-sinc (Kaiser) low-pass: passband up to 0.45 of the
// lower rate, stopband from 0.55 of it, 80 dB design attenuation (measured
// in docs/benchmarks.md). Output sample k is a fixed sum over fixed input
// samples, so the output does not depend on how the input is chunked.
// Create allocates the coefficients and a block buffer; Process never
// allocates. Samples are floats in any unit (the Spotter uses int16 units).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "tinykws/export.hpp"
#include "tinykws/status.hpp"

namespace tinykws {

class TINYKWS_API Resampler {
 public:
  // Rates in [1000, 384000] Hz whose ratio, reduced, has a numerator and a
  // denominator of at most 1024 (44100 -> 16000 is 160 / 441).
  static StatusOr<Resampler> Create(int input_rate, int output_rate);

  Resampler(Resampler&&) noexcept;
  Resampler& operator=(Resampler&&) noexcept;
  ~Resampler();

  // Consumes input until it is used up or out_capacity samples are written
  // (*written), and returns how many input samples were consumed; call again
  // with the rest. Output k is input time k / output_rate, delayed by
  // delay_seconds().
  size_t Process(const float* in, size_t num_in, float* out,
                 size_t out_capacity, size_t* written);
  // Back to an empty stream (silence before it), keeping the memory.
  void Reset();

  int input_rate() const;
  int output_rate() const;
  int taps_per_output() const;   // multiply-adds per output sample
  double delay_seconds() const;  // the filter's group delay
  size_t memory_bytes() const;

  struct Impl;

 private:
  explicit Resampler(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tinykws
