// A plain, slow MFCC in double precision with a direct DFT: the independent
// twin the fast kernels are checked against. For tests and tools only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "tinykws/features.hpp"

namespace tinykws::features {

// Same contract as MfccExtractor::Compute (config must validate).
std::vector<float> ComputeMfccReference(const FeatureConfig& config,
                                        const int16_t* pcm, size_t num_samples);

}  // namespace tinykws::features
