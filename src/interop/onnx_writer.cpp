#include "interop/onnx_writer.hpp"

namespace tinykws::interop {

StatusOr<std::string> ToOnnx(const format::ModelFile&, const OnnxOptions&) {
  return InvalidArgument("ONNX export is not built yet");
}

}  // namespace tinykws::interop
