// A .kws model as an ONNX model (docs/deploy.md): the graph the runtime runs.
#pragma once

#include <string>

#include "format/model_file.hpp"
#include "tinykws/status.hpp"

namespace tinykws::interop {

struct OnnxOptions {
  // Tests only: also output the last conv's int8 activation ("activation").
  bool expose_activation = false;
  // Tests only, int8 models: also output the quantized input ("input_q",
  // [1][1][frames][num_mfcc]) and every conv's int8 activation
  // ("activation0", ... in our [1][h][w][c] order), so each QLinearConv can be
  // checked on its own input.
  bool expose_layer_activations = false;
};

// The ONNX file's bytes. model must be valid (format::Validate).
StatusOr<std::string> ToOnnx(const format::ModelFile& model,
                             const OnnxOptions& options = {});

}  // namespace tinykws::interop
