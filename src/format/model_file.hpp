// The .kws model file: what a trained, exported model is, and its bytes.
// Layout and validation rules: docs/model-format.md. Serialize/Parse are the
// only code that knows the byte layout; everything else uses ModelFile.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tinykws/detector.hpp"
#include "tinykws/features.hpp"
#include "tinykws/model_limits.h"
#include "tinykws/status.hpp"

struct kws_view;  // the core's view of a file (src/micro/micro_internal.h)

namespace tinykws::format {

inline constexpr uint32_t kFormatVersion = KWS_FORMAT_VERSION_NEWEST;

enum class Precision : uint32_t { kInt8 = 1, kFloat32 = 2 };

// Quantized tensors: real = scale * (q - zero_point). Activations are int8
// per tensor (asymmetric); weights int8 per output channel (symmetric,
// zero point 0, range +-127); biases int32 with scale input * weight.
struct ConvLayer {
  int32_t in_channels = 0, out_channels = 0;
  // Per axis: _h along frames (height), _w along MFCC coefficients.
  int32_t kernel_h = 0, kernel_w = 0, stride_h = 1, stride_w = 1;
  int32_t dilation_h = 1, dilation_w = 1;
  int32_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
  int32_t in_height = 0, in_width = 0, out_height = 0, out_width = 0;
  bool relu = false;
  // kInt8
  std::vector<int8_t> weights;       // [out][kernel_h][kernel_w][in]
  std::vector<int32_t> bias;         // [out]
  std::vector<float> weight_scales;  // [out]
  float output_scale = 0.0f;
  int32_t output_zero_point = 0;
  // Requantization acc -> output: fixed-point multiplier (Q31, in
  // [2^30, 2^31)) and shift (> 0 left, < 0 right), per output channel,
  // applied gemmlowp-style (docs/model-format.md).
  std::vector<int32_t> multipliers;  // [out]
  std::vector<int32_t> shifts;       // [out]
  // kFloat32 (batch norm already folded in)
  std::vector<float> float_weights;  // [out][kernel_h][kernel_w][in]
  std::vector<float> float_bias;     // [out]
};

// Global average pooling over the last conv's output, then a dense layer.
// In int8 the pooling is a sum (pool_count values per channel) and the
// dense layer multiplies the sums: logits[k] = acc[k] * output_scales[k],
// acc[k] = bias[k] + sum_c w[k][c] * (sum_c - pool_count * zero_point).
struct DenseLayer {
  int32_t in_channels = 0, out_channels = 0;
  int32_t pool_count = 0;  // height * width of the pooled activation
  // kInt8
  std::vector<int8_t> weights;       // [out][in]
  std::vector<int32_t> bias;         // [out], scale = output_scales[k]
  std::vector<float> weight_scales;  // [out]
  std::vector<float> output_scales;  // [out]
  // kFloat32
  std::vector<float> float_weights;  // [out][in]
  std::vector<float> float_bias;     // [out]
};

struct ModelFile {
  Precision precision = Precision::kInt8;
  FeatureConfig features;
  std::vector<std::string> labels;
  // kInt8: MFCC -> int8 with this scale and zero point.
  float input_scale = 0.0f;
  int32_t input_zero_point = 0;
  std::vector<ConvLayer> convs;
  DenseLayer dense;
  // Free-form provenance (training run, accuracy at export, created by).
  std::vector<std::pair<std::string, std::string>> metadata;
  // The streaming detector (optional section; absent in files written before
  // it existed, and then DefaultDetectorParams apply).
  bool has_detector = false;
  DetectorParams detector;
};

// The file's bytes. Precondition: Validate(model) is OK.
std::string Serialize(const ModelFile& model);

// Parses and validates bytes; origin names them in messages. Every length,
// offset, count, shape, scale and CRC is checked before it is used, and no
// allocation is sized from an unchecked value.
StatusOr<ModelFile> Parse(const std::string& bytes, const std::string& origin);
// The same, also giving the core's view of the bytes (which must outlive it:
// its pointers point into them), for the runtime's graph code.
StatusOr<ModelFile> Parse(const std::string& bytes, const std::string& origin,
                          kws_view* view);

// Checks the semantic rules (shapes chain from the features to the labels,
// sizes match, scales finite and positive, no int32 overflow possible).
Status Validate(const ModelFile& model, const std::string& origin);

// Atomic write (temporary file + rename) and whole-file read (+ Parse).
Status WriteModelFile(const std::string& path, const ModelFile& model);
StatusOr<ModelFile> ReadModelFile(const std::string& path);

// CRC-32 (IEEE 802.3, as zlib's crc32).
uint32_t Crc32(const void* data, size_t size);

}  // namespace tinykws::format
