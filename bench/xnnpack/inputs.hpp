// Inputs for the XNNPACK peer benchmark: int8 MFCC tensors quantized with the
// model's input scale and zero point, and their exact float pre-images.
#pragma once

#include <cstdint>
#include <vector>

#include "format/model_file.hpp"

namespace tinykws::bench {

// MFCC-like: the model's MFCCs of synthetic 1 s clips (colored noise at a
// random level plus a few random tones), quantized. Deterministic in seed.
std::vector<std::vector<int8_t>> MfccLikeInputs(const format::ModelFile& model,
                                                int count, uint32_t seed);

// Uniformly random int8 tensors (out of distribution: a harder check).
std::vector<std::vector<int8_t>> UniformInputs(const format::ModelFile& model,
                                               int count, uint32_t seed);

// Floats that quantize back to q: (q - zero_point) * scale.
std::vector<float> Dequantize(const std::vector<int8_t>& q, float scale,
                              int32_t zero_point);

}  // namespace tinykws::bench
