#include "interop/tflite_writer.hpp"

namespace tinykws::interop {

StatusOr<std::string> ToTflite(const format::ModelFile&, const TfliteOptions&) {
  return InvalidArgument("TFLite export is not built yet");
}

}  // namespace tinykws::interop
