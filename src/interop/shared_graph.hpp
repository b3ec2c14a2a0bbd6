// What the ONNX and TFLite writers decide alike: which models they can write
// faithfully, and the float head both end with.
#pragma once

#include <string>
#include <vector>

#include "format/model_file.hpp"
#include "tinykws/status.hpp"

namespace tinykws::interop {

// The model validates (format::Validate: every shape the writers index by),
// and, for int8, each conv's fixed-point multiplier says what its scales
// say. Both interpreters requantize from input * weight / output scale
// (ONNX's QLinearConv, TFLite's kernels); our runtime uses the stored
// multipliers and shifts. Our quantizer derives the one from the other, but
// a model file may carry any. what names the export in messages ("ONNX
// export").
Status CheckConvertible(const format::ModelFile& model,
                        const std::string& what);

// The dense layer as float weights [labels][channels] and bias, applied to
// the channel means of the (dequantized) last activation, so that the
// logits equal ours up to float rounding.
void FloatDense(const format::ModelFile& model, std::vector<float>* weights,
                std::vector<float>* bias);

}  // namespace tinykws::interop
