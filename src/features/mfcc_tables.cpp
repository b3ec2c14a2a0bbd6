#include "features/mfcc_tables.hpp"

#include <cmath>

#include "features/dct.hpp"
#include "features/window.hpp"

namespace tinykws::features {

MfccTables MakeMfccTables(const FeatureConfig& config) {
  MfccTables tb;
  tb.config = config;
  tb.num_frames = config.num_frames();
  tb.fft_size = config.frame_length / 2;
  const std::vector<double> window = PeriodicHann(config.frame_length);
  const bool f32 = config.precision == FeaturePrecision::kFloat32;
  for (int m = 0; m < tb.fft_size; ++m) {
    const double even = window[2 * m] / 32768.0;
    const double odd = window[2 * m + 1] / 32768.0;
    if (f32) {
      tb.window_even32.push_back(static_cast<float>(even));
      tb.window_odd32.push_back(static_cast<float>(odd));
    } else {
      tb.window_even.push_back(even);
      tb.window_odd.push_back(odd);
    }
  }
  tb.plan = MakeFftPlan(tb.fft_size);
  for (int k = 0; k <= tb.fft_size; ++k) {
    const double angle = -2.0 * M_PI * k / config.frame_length;
    if (f32) {
      tb.split_re32.push_back(static_cast<float>(std::cos(angle)));
      tb.split_im32.push_back(static_cast<float>(std::sin(angle)));
    } else {
      tb.split_re.push_back(std::cos(angle));
      tb.split_im.push_back(std::sin(angle));
    }
  }
  tb.mel = MakeMelBands(config);
  for (double d : TfDctMatrix(config.num_mfcc, config.mel_bins)) {
    tb.dct.push_back(static_cast<float>(d));
  }
  return tb;
}

MfccScratch::MfccScratch(const MfccTables& tb)
    : clip(tb.config.clip_samples),
      zero_frame(tb.config.frame_length),
      re(static_cast<size_t>(tb.fft_size) * kMaxBatchLanes),
      im(re.size()),
      work_re(re.size()),
      work_im(re.size()),
      magnitude(
          static_cast<size_t>(tb.mel.highest_bin - tb.mel.lowest_bin + 1) *
          kMaxFloatLanes),
      log_mel(static_cast<size_t>(tb.config.mel_bins) * kMaxFloatLanes) {}

namespace {

template <typename T>
size_t Bytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

template <typename T>
size_t Bytes(const AlignedBuffer<T>& b) {
  return (b.size() * sizeof(T) + 63) / 64 * 64;
}

}  // namespace

size_t MemoryBytes(const MfccTables& tb, const MfccScratch& sc) {
  const FftPlan& p = tb.plan;
  const MelBands& m = tb.mel;
  return sizeof(MfccTables) + sizeof(MfccScratch) + Bytes(tb.window_even) +
         Bytes(tb.window_odd) + Bytes(p.stages) + Bytes(p.twiddle_re) +
         Bytes(p.twiddle_im) + Bytes(p.root_re) + Bytes(p.root_im) +
         Bytes(tb.split_re) + Bytes(tb.split_im) + Bytes(tb.window_even32) +
         Bytes(tb.window_odd32) + Bytes(tb.split_re32) + Bytes(tb.split_im32) +
         Bytes(p.twiddle_re32) + Bytes(p.twiddle_im32) + Bytes(p.root_re32) +
         Bytes(p.root_im32) + Bytes(m.first_bin) + Bytes(m.count) +
         Bytes(m.offset) + Bytes(m.weights) + Bytes(tb.dct) + Bytes(sc.clip) +
         Bytes(sc.zero_frame) + Bytes(sc.re) + Bytes(sc.im) +
         Bytes(sc.work_re) + Bytes(sc.work_im) + Bytes(sc.magnitude) +
         Bytes(sc.log_mel);
}

size_t MemoryBound(const FeatureConfig& c) {
  // Vectors built by push_back may hold up to twice their size; each FFT
  // stage stores fewer twiddles than its length (lengths shrink by the
  // radix, so all stages together < 2 x size) and radix roots; a mel band
  // shares each bin with at most one neighbour.
  const size_t half = static_cast<size_t>(c.frame_length) / 2;
  const size_t bins = half + 1;
  const size_t mel = static_cast<size_t>(c.mel_bins);
  const size_t tables = 2 * (2 * half * 8)             // window even/odd
                        + 2 * (64 * sizeof(FftStage))  // <= 64 stages
                        +
                        2 * (2 * (2 * half + 2 * half) * 12)  // twiddles, roots
                                                              // (double+float)
                        + 2 * (2 * bins * 8)                  // split
                        + 2 * (3 * mel * 4 + 2 * bins * 4)    // mel bands
                        + 2 * (static_cast<size_t>(c.num_mfcc) * mel * 4);
  const size_t scratch = static_cast<size_t>(c.clip_samples) * 4 +
                         c.frame_length * 4 + 4 * half * kMaxBatchLanes * 8 +
                         bins * kMaxFloatLanes * 4 + mel * kMaxFloatLanes * 4 +
                         8 * 64;  // alignment of 8 buffers
  return sizeof(MfccTables) + sizeof(MfccScratch) + tables + scratch;
}

}  // namespace tinykws::features
