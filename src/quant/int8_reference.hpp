// The plain int8 executor of a model file: the exporter's simulation of the
// device, and the twin every optimized runtime kernel is compared with (it
// must agree bit for bit).
#pragma once

#include <cstdint>
#include <vector>

#include "format/model_file.hpp"

namespace tinykws::quant {

struct Int8Trace {
  std::vector<int8_t> input;                     // quantized MFCC
  std::vector<std::vector<int8_t>> activations;  // each conv's output
  std::vector<int32_t> pooled;                   // per channel: sum - n * zp
  std::vector<int32_t> logit_accumulators;       // dense accumulators
  std::vector<float> logits;                     // accumulators * scales
};

// mfcc: [frames][num_mfcc] floats. model must be int8 and valid.
void RunInt8Reference(const format::ModelFile& model, const float* mfcc,
                      Int8Trace* trace);

// Softmax of logits (float, max-subtracted); out may not alias logits. The
// runtime uses the pointer form (no allocation).
void Softmax(const float* logits, size_t n, float* out);
std::vector<float> Softmax(const std::vector<float>& logits);

}  // namespace tinykws::quant
