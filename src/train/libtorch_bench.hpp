// The LibTorch fp32 peer for inference latency: the trained network in
// eval mode, batch 1, one thread, fed by the same MFCC library.
#pragma once

#include <string>

#include "tinykws/status.hpp"

namespace tinykws::train {

struct LibTorchBenchResult {
  double mfcc_median_us = 0, forward_median_us = 0, forward_p90_us = 0,
         forward_p99_us = 0;
  int clips = 0;
};

Status BenchLibTorch(const std::string& run_dir, int clips,
                     LibTorchBenchResult* result);

}  // namespace tinykws::train
