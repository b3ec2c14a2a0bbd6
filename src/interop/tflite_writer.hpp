// A .kws model as a TFLite flatbuffer (docs/deploy.md): the graph the runtime
// runs, written from the published schema by our own code.
#pragma once

#include <string>

#include "format/model_file.hpp"
#include "tinykws/status.hpp"

namespace tinykws::interop {

struct TfliteOptions {
  // Tests only: also output the last conv's int8 activation ("activation").
  bool expose_activation = false;
};

// The .tflite file's bytes. model must be valid (format::Validate).
StatusOr<std::string> ToTflite(const format::ModelFile& model,
                               const TfliteOptions& options = {});

}  // namespace tinykws::interop
