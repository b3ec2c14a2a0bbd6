// A .kws model as a TFLite flatbuffer (docs/deploy.md): the graph the runtime
// runs, written from the published schema (version 3) by our own code.
//
// int8 model, one subgraph "main":
//   "mfcc" float32 [1, frames, num_mfcc, 1]
//   -> QUANTIZE (v1) to int8 with the model's input scale / zero point
//   -> per conv: [PAD (v2) when our pads are neither all zero nor TFLite's
//      SAME pads; it pads with the zero point, i.e. real 0] CONV_2D (v3),
//      int8 weights [out][kh][kw][in] per channel (dimension 0, zero point
//      0), int32 bias (scale input * weight), SAME/VALID, strides, dilations,
//      fused RELU; the last conv's output is named "activation"
//   -> DEQUANTIZE (v2) -> MEAN (v1) over axes [1, 2] -> FULLY_CONNECTED (v1)
//      in float with weights w * output_scale * pool_count / activation
//      scale and bias bias * output_scale, so the logits equal
//      DenseLayer's acc * output_scale up to float rounding
//   -> "logits" float32 [1, labels].
// float32 model: the same without QUANTIZE/DEQUANTIZE, all float.
// Model.metadata: "tinykws" (FrontEndMetadataJson) and "min_runtime_version";
// Model.description "tinykws <label>,<label>...".
#pragma once

#include <string>

#include "format/model_file.hpp"
#include "tinykws/status.hpp"

namespace tinykws::interop {

struct TfliteOptions {
  // Tests only: also output the last conv's int8 activation ("activation").
  bool expose_activation = false;
};

// The .tflite file's bytes, or the Status of format::Validate when the model
// is not valid.
StatusOr<std::string> ToTflite(const format::ModelFile& model,
                               const TfliteOptions& options = {});

}  // namespace tinykws::interop
