// Post-training int8 quantization of a folded float model, calibrated on
// recorded activations: per-tensor asymmetric activations, per-channel
// symmetric weights, int32 biases, fixed-point requantization.
#pragma once

#include <string>

#include "format/model_file.hpp"
#include "quant/float_model.hpp"

namespace tinykws::quant {

enum class CalibrationMethod {
  kMinMax,      // the full range seen
  kPercentile,  // clip to the given percentile at each end
  kMse,         // the clipping range that minimizes quantization MSE
};

// "minmax", "percentile", "mse".
bool ParseCalibrationMethod(const std::string& name, CalibrationMethod* method);

struct QuantizeOptions {
  CalibrationMethod method = CalibrationMethod::kMinMax;
  double percentile = 99.99;
};

// The range [lo, hi] (always containing 0) an activation tensor is
// quantized over, from the values it took during calibration.
struct Range {
  float lo = 0.0f, hi = 0.0f;
};
Range ChooseRange(std::vector<float> values, const QuantizeOptions& options);

// Scale and zero point for int8 over a range.
void RangeToScale(Range range, float* scale, int32_t* zero_point);

StatusOr<format::ModelFile> QuantizeModel(const FloatModel& model,
                                          const ActivationRanges& ranges,
                                          const QuantizeOptions& options);

// The same network as an fp32 model file (for comparison runs).
format::ModelFile FloatModelFile(const FloatModel& model);

}  // namespace tinykws::quant
