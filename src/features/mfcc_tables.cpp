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
  for (int m = 0; m < tb.fft_size; ++m) {
    tb.window_even.push_back(window[2 * m] / 32768.0);
    tb.window_odd.push_back(window[2 * m + 1] / 32768.0);
  }
  tb.plan = MakeFftPlan(tb.fft_size);
  for (int k = 0; k <= tb.fft_size; ++k) {
    const double angle = -2.0 * M_PI * k / config.frame_length;
    tb.split_re.push_back(std::cos(angle));
    tb.split_im.push_back(std::sin(angle));
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
          kMaxBatchLanes),
      log_mel(static_cast<size_t>(tb.config.mel_bins) * kMaxBatchLanes) {}

}  // namespace tinykws::features
