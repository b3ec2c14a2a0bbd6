// A random int8 network on a model file's features, for benchmarking shapes
// no trained file has: He-initialized float weights, quantized by tinykws's
// own quantizer (min/max calibration on MFCC-like inputs).
#pragma once

#include <cstdint>
#include <string>

#include "format/model_file.hpp"

namespace tinykws::bench {

// spec: comma-separated convs "C:KHxKW[dD][s]", each with ReLU, stride 1:
// C filters, a KH (frames) x KW (MFCC) kernel, dilation D along frames, 's'
// for 'same' padding (else 'valid'). E.g. the temporal net
// "32:3x10,32:3x1d2,32:3x1d4". Features and labels are base's.
StatusOr<format::ModelFile> SyntheticModel(const format::ModelFile& base,
                                           const std::string& spec,
                                           uint32_t seed);

}  // namespace tinykws::bench
