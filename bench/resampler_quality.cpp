// Quality and speed of the runtime's rate converter against libsamplerate
// (the peer; Debian libsamplerate0-dev), 44.1 and 48 kHz to 16 kHz:
//   passband ripple   worst |gain| in dB over tones 50 Hz .. 6 kHz (where
//                     every converter here is meant to be flat)
//   -3 dB bandwidth   the highest tone (25 Hz steps) still within 3 dB
//   stopband          weakest attenuation in dB over tones 8.8 kHz .. the
//                     input's Nyquist (everything there would alias)
//   speed             µs to convert 1 s of audio, one thread (median of 9)
// Gain of a passband tone: its amplitude in the middle half of the output,
// least-squares fitted at the tone's frequency, over the input's; of a
// stopband tone (aliased to another frequency): RMS over RMS.
//   build/bench/resampler_quality
#include <samplerate.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "tinykws/resampler.hpp"

namespace {

using Converter =
    std::function<std::vector<float>(const std::vector<float>&, int rate)>;

std::vector<float> Ours(const std::vector<float>& in, int rate) {
  tinykws::StatusOr<tinykws::Resampler> r =
      tinykws::Resampler::Create(rate, 16000);
  std::vector<float> out(in.size() / 2 + 64);
  size_t written = 0;
  r->Process(in.data(), in.size(), out.data(), out.size(), &written);
  out.resize(written);
  return out;
}

Converter Libsamplerate(int type) {
  return [type](const std::vector<float>& in, int rate) {
    std::vector<float> out(in.size() / 2 + 64);
    SRC_DATA d{};
    d.data_in = in.data();
    d.input_frames = static_cast<long>(in.size());
    d.data_out = out.data();
    d.output_frames = static_cast<long>(out.size());
    d.src_ratio = 16000.0 / rate;
    if (src_simple(&d, type, 1) != 0) return std::vector<float>();
    out.resize(static_cast<size_t>(d.output_frames_gen));
    return out;
  };
}

double GainDb(const Converter& convert, double hz, int rate, bool fit) {
  std::vector<float> in(static_cast<size_t>(rate / 4));
  for (size_t i = 0; i < in.size(); ++i)
    in[i] = static_cast<float>(0.5 * std::sin(2.0 * M_PI * hz * i / rate));
  const std::vector<float> out = convert(in, rate);
  const size_t a = out.size() / 4, b = 3 * out.size() / 4;
  double level = 0.0;
  if (fit) {  // y ~ p sin(w i) + q cos(w i): 2 x 2 normal equations
    double ss = 0, cc = 0, sc = 0, ys = 0, yc = 0;
    const double w = 2.0 * M_PI * hz / 16000.0;
    for (size_t i = a; i < b; ++i) {
      const double si = std::sin(w * i), ci = std::cos(w * i);
      ss += si * si, cc += ci * ci, sc += si * ci;
      ys += out[i] * si, yc += out[i] * ci;
    }
    const double det = ss * cc - sc * sc;
    const double p = (ys * cc - yc * sc) / det, q = (yc * ss - ys * sc) / det;
    level = std::hypot(p, q) / 0.5;
  } else {
    double sum = 0.0;
    for (size_t i = a; i < b; ++i) sum += static_cast<double>(out[i]) * out[i];
    level =
        std::sqrt(sum / static_cast<double>(b - a)) / (0.5 / std::sqrt(2.0));
  }
  return 20.0 * std::log10(std::max(level, 1e-12));
}

double MicrosPerSecond(const Converter& convert, int rate) {
  std::vector<float> in(static_cast<size_t>(rate) * 10);
  for (size_t i = 0; i < in.size(); ++i)
    in[i] =
        static_cast<float>(0.3 * std::sin(0.01 * i) + 0.1 * std::sin(1.3 * i));
  std::vector<double> times;
  for (int run = 0; run < 9; ++run) {
    const auto start = std::chrono::steady_clock::now();
    const std::vector<float> out = convert(in, rate);
    times.push_back(std::chrono::duration<double, std::micro>(
                        std::chrono::steady_clock::now() - start)
                        .count() /
                    10.0);
    if (out.empty()) return NAN;
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main() {
  const std::pair<const char*, Converter> converters[] = {
      {"tinykws Resampler", Ours},
      {"libsamplerate SINC_FASTEST", Libsamplerate(SRC_SINC_FASTEST)},
      {"libsamplerate SINC_MEDIUM_QUALITY",
       Libsamplerate(SRC_SINC_MEDIUM_QUALITY)},
      {"libsamplerate SINC_BEST_QUALITY", Libsamplerate(SRC_SINC_BEST_QUALITY)},
  };
  std::printf(
      "| input | converter | passband ripple to 6 kHz (dB) | -3 dB bandwidth "
      "(Hz) | stopband attenuation (dB) | µs per 1 s of audio |\n");
  std::printf("|---|---|---:|---:|---:|---:|\n");
  for (int rate : {44100, 48000}) {
    for (const auto& [name, convert] : converters) {
      double ripple = 0.0, stop = 1e9, bandwidth = 0.0;
      for (double hz = 50.0; hz <= 6000.0; hz += 50.0)
        ripple = std::max(ripple, std::fabs(GainDb(convert, hz, rate, true)));
      for (double hz = 6000.0; hz < 8000.0; hz += 25.0)
        if (GainDb(convert, hz, rate, true) >= -3.0) bandwidth = hz;
      for (double hz = 8800.0; hz < rate / 2.0; hz += 100.0)
        stop = std::min(stop, -GainDb(convert, hz, rate, false));
      std::printf("| %d Hz | %s | %.4f | %.0f | %.1f | %.0f |\n", rate, name,
                  ripple, bandwidth, stop, MicrosPerSecond(convert, rate));
    }
  }
  return 0;
}
