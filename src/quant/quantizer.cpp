#include "quant/quantizer.hpp"

#include <algorithm>
#include <cmath>

#include "quant/requantize.hpp"

namespace tinykws::quant {

namespace {

// Symmetric per-channel int8 weights; returns the per-channel scales.
std::vector<float> QuantizeWeights(const std::vector<float>& weights,
                                   int channels, std::vector<int8_t>* out) {
  const size_t per = weights.size() / channels;
  std::vector<float> scales(channels);
  out->resize(weights.size());
  for (int c = 0; c < channels; ++c) {
    float largest = 0.0f;
    for (size_t i = 0; i < per; ++i)
      largest = std::max(largest, std::fabs(weights[c * per + i]));
    // An all-zero channel still needs a valid (positive) scale.
    scales[c] = largest > 0.0f ? largest / 127.0f : 1e-8f;
    for (size_t i = 0; i < per; ++i) {
      const float q = std::nearbyint(weights[c * per + i] / scales[c]);
      (*out)[c * per + i] = static_cast<int8_t>(std::clamp(q, -127.0f, 127.0f));
    }
  }
  return scales;
}

int32_t QuantizeBias(float bias, double scale) {
  const double q = std::nearbyint(bias / scale);
  return static_cast<int32_t>(std::clamp(q, -1073741824.0, 1073741823.0));
}

double QuantizationMse(const std::vector<float>& values, Range r) {
  float scale;
  int32_t zp;
  RangeToScale(r, &scale, &zp);
  double error = 0.0;
  for (float v : values) {
    const float q = std::clamp(std::nearbyint(v / scale) + zp, -128.0f, 127.0f);
    const double d = (q - zp) * static_cast<double>(scale) - v;
    error += d * d;
  }
  return error / std::max<size_t>(values.size(), 1);
}

}  // namespace

bool ParseCalibrationMethod(const std::string& name,
                            CalibrationMethod* method) {
  if (name == "minmax")
    *method = CalibrationMethod::kMinMax;
  else if (name == "percentile")
    *method = CalibrationMethod::kPercentile;
  else if (name == "mse")
    *method = CalibrationMethod::kMse;
  else
    return false;
  return true;
}

Range ChooseRange(std::vector<float> values, const QuantizeOptions& options) {
  Range r;
  if (values.empty()) return {0.0f, 1.0f};
  std::sort(values.begin(), values.end());
  r.lo = values.front();
  r.hi = values.back();
  if (options.method == CalibrationMethod::kPercentile) {
    const double q = std::clamp(options.percentile, 50.0, 100.0) / 100.0;
    const size_t last = values.size() - 1;
    r.lo = values[static_cast<size_t>(std::floor((1.0 - q) * last))];
    r.hi = values[static_cast<size_t>(std::ceil(q * last))];
  } else if (options.method == CalibrationMethod::kMse) {
    // Shrink both ends by the same factor; keep the best of 100 candidates
    // measured on a subsample (the full set is large and the curve smooth).
    std::vector<float> sample;
    const size_t step = std::max<size_t>(1, values.size() / 20000);
    for (size_t i = 0; i < values.size(); i += step)
      sample.push_back(values[i]);
    Range best = r;
    double best_error = QuantizationMse(sample, r);
    for (int i = 1; i < 100; ++i) {
      const float f = 1.0f - 0.008f * i;
      const Range candidate{r.lo * f, r.hi * f};
      const double error = QuantizationMse(sample, candidate);
      if (error < best_error) {
        best_error = error;
        best = candidate;
      }
    }
    r = best;
  }
  r.lo = std::min(r.lo, 0.0f);
  r.hi = std::max(r.hi, 0.0f);
  if (r.hi - r.lo < 1e-6f) r.hi = r.lo + 1e-6f;
  return r;
}

void RangeToScale(Range range, float* scale, int32_t* zero_point) {
  *scale = (range.hi - range.lo) / 255.0f;
  const float zp = std::nearbyint(-128.0f - range.lo / *scale);
  *zero_point = static_cast<int32_t>(std::clamp(zp, -128.0f, 127.0f));
}

StatusOr<format::ModelFile> QuantizeModel(const FloatModel& model,
                                          const ActivationRanges& ranges,
                                          const QuantizeOptions& options) {
  if (ranges.conv_outputs.size() != model.convs.size()) {
    return InvalidArgument("calibration: no activations recorded");
  }
  format::ModelFile file;
  file.precision = format::Precision::kInt8;
  file.features = model.features;
  file.labels = model.labels;
  RangeToScale(ChooseRange(ranges.input, options), &file.input_scale,
               &file.input_zero_point);
  float in_scale = file.input_scale;
  for (size_t i = 0; i < model.convs.size(); ++i) {
    format::ConvLayer c = model.convs[i];
    c.weight_scales =
        QuantizeWeights(c.float_weights, c.out_channels, &c.weights);
    RangeToScale(ChooseRange(ranges.conv_outputs[i], options), &c.output_scale,
                 &c.output_zero_point);
    // Requantization needs every real multiplier below 1: coarsen the output
    // scale in the rare case an input * weight scale exceeds it.
    const float largest =
        *std::max_element(c.weight_scales.begin(), c.weight_scales.end());
    if (in_scale * largest >= c.output_scale) {
      const float zero_at = c.output_scale * (c.output_zero_point + 128.0f);
      c.output_scale = in_scale * largest * 1.0001f;
      c.output_zero_point = static_cast<int32_t>(std::clamp(
          std::nearbyint(zero_at / c.output_scale) - 128.0f, -128.0f, 127.0f));
    }
    c.bias.resize(c.out_channels);
    c.multipliers.resize(c.out_channels);
    c.shifts.resize(c.out_channels);
    for (int o = 0; o < c.out_channels; ++o) {
      const double acc_scale =
          static_cast<double>(in_scale) * c.weight_scales[o];
      c.bias[o] = QuantizeBias(c.float_bias[o], acc_scale);
      if (!QuantizeMultiplier(acc_scale / c.output_scale, &c.multipliers[o],
                              &c.shifts[o])) {
        return InternalError("conv " + std::to_string(i) + " channel " +
                             std::to_string(o) +
                             ": requantization scale out of range");
      }
    }
    c.float_weights.clear();
    c.float_bias.clear();
    in_scale = c.output_scale;
    file.convs.push_back(std::move(c));
  }
  format::DenseLayer d = model.dense;
  d.weight_scales =
      QuantizeWeights(d.float_weights, d.out_channels, &d.weights);
  d.bias.resize(d.out_channels);
  d.output_scales.resize(d.out_channels);
  for (int k = 0; k < d.out_channels; ++k) {
    // The pooled input is a sum of pool_count values: divide by it here.
    const double acc_scale =
        static_cast<double>(in_scale) / d.pool_count * d.weight_scales[k];
    d.output_scales[k] = static_cast<float>(acc_scale);
    d.bias[k] = QuantizeBias(d.float_bias[k], acc_scale);
  }
  d.float_weights.clear();
  d.float_bias.clear();
  file.dense = std::move(d);
  return file;
}

format::ModelFile FloatModelFile(const FloatModel& model) {
  format::ModelFile file;
  file.precision = format::Precision::kFloat32;
  file.features = model.features;
  file.labels = model.labels;
  file.convs = model.convs;
  file.dense = model.dense;
  return file;
}

}  // namespace tinykws::quant
