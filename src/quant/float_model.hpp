// A trained network with batch norm folded into its convolutions, in plain
// float: what the exporter quantizes, and a reference forward pass used to
// calibrate activation ranges and to report fp32 accuracy. No LibTorch.
#pragma once

#include <vector>

#include "format/model_file.hpp"
#include "tinykws/config.hpp"

namespace tinykws::quant {

// Weights [out][kernel][kernel][in] (the .kws layout); geometry as in the
// model file.
using FloatConv = format::ConvLayer;  // only the float_* fields are used

struct FloatModel {
  FeatureConfig features;
  std::vector<std::string> labels;
  std::vector<FloatConv> convs;
  format::DenseLayer dense;  // float_weights [out][in], float_bias
};

// Folds y = gamma (conv(x) + b - mean) / sqrt(var + eps) + beta into the
// conv's weights and bias. weights: [out][k][k][in]; bias may be empty (no
// conv bias).
void FoldBatchNorm(const std::vector<float>& gamma,
                   const std::vector<float>& beta,
                   const std::vector<float>& mean,
                   const std::vector<float>& var, float eps, FloatConv* conv);

// Activation ranges seen while running the float model: the MFCC input and
// each conv's output (after ReLU when it has one).
struct ActivationRanges {
  std::vector<float> input;                      // every input value seen
  std::vector<std::vector<float>> conv_outputs;  // every value, per conv
};

class FloatExecutor {
 public:
  explicit FloatExecutor(const FloatModel& model);
  // mfcc: [frames][num_mfcc]; logits: labels.size() values. When ranges is
  // not null, appends the values seen (for calibration).
  void Run(const float* mfcc, float* logits, ActivationRanges* ranges);
  // Working memory held (activation and pooling buffers).
  size_t memory_bytes() const {
    return (a_.capacity() + b_.capacity()) * sizeof(float) +
           pooled_.capacity() * sizeof(double);
  }

 private:
  const FloatModel& model_;
  std::vector<float> a_, b_;
  std::vector<double> pooled_;
};

// Direct float convolution over [height][width][channels] buffers (no
// padding stored): the plain reference for every layout in tinykws.
void ConvFloat(const format::ConvLayer& conv, const float* weights,
               const float* bias, const float* in, float* out);

}  // namespace tinykws::quant
