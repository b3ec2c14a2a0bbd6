#include "interop/shared_graph.hpp"

#include <cmath>
#include <cstdio>

namespace tinykws::interop {

Status CheckConvertible(const format::ModelFile& model,
                        const std::string& what) {
  TINYKWS_RETURN_IF_ERROR(format::Validate(model, what));
  if (model.precision != format::Precision::kInt8) return Status::Ok();
  // Relative 1e-6: 2^-31 from the multiplier's rounding, float rounding of
  // the scales.
  double in_scale = model.input_scale;
  for (size_t i = 0; i < model.convs.size(); ++i) {
    const format::ConvLayer& c = model.convs[i];
    for (int o = 0; o < c.out_channels; ++o) {
      const double from_scales = in_scale * c.weight_scales[o] / c.output_scale;
      const double fixed_point =
          std::ldexp(static_cast<double>(c.multipliers[o]), c.shifts[o] - 31);
      if (!(std::fabs(fixed_point - from_scales) <= 1e-6 * from_scales)) {
        char text[160];
        std::snprintf(text, sizeof text,
                      "conv[%zu] channel %d: requantization multiplier %.9g "
                      "differs from input * weight / output scale %.9g, ",
                      i, o, fixed_point, from_scales);
        return Unsupported(what + ": " + text +
                           "and the target runtime can only requantize by "
                           "the scales");
      }
    }
    in_scale = c.output_scale;
  }
  return Status::Ok();
}

// Ours is logit[k] = output_scale[k] * (bias[k] + sum_c w[k][c] * sum_c),
// with sum_c = sum over the pool of (q - zero point) = pool_count * mean_c /
// s, s the activation's scale. So W[k][c] = w[k][c] * output_scale[k] *
// pool_count / s (for our quantizer's models that is w * weight_scale, the
// dequantized weight, up to float rounding) and B[k] = bias[k] *
// output_scale[k]; computed in double, rounded once.
void FloatDense(const format::ModelFile& model, std::vector<float>* weights,
                std::vector<float>* bias) {
  const format::DenseLayer& d = model.dense;
  if (model.precision != format::Precision::kInt8) {
    *weights = d.float_weights;
    *bias = d.float_bias;
    return;
  }
  const double activation_scale = model.convs.back().output_scale;
  weights->resize(d.weights.size());
  bias->resize(d.out_channels);
  for (int k = 0; k < d.out_channels; ++k) {
    const double scale = static_cast<double>(d.output_scales[k]);
    const double per_mean = scale * d.pool_count / activation_scale;
    for (int c = 0; c < d.in_channels; ++c) {
      const size_t at = static_cast<size_t>(k) * d.in_channels + c;
      (*weights)[at] = static_cast<float>(d.weights[at] * per_mean);
    }
    (*bias)[k] = static_cast<float>(d.bias[k] * scale);
  }
}

}  // namespace tinykws::interop
