// Reads a .tflite file back into a TfliteGraph (the first subgraph), for the
// writer's round-trip tests and as a check of written files. The bytes are
// untrusted: every offset and length is checked (flatbuffer_reader.hpp) and
// every tensor, buffer and operator-code index is range-checked; errors are
// Status values naming what was expected and what was found.
#pragma once

#include <string_view>

#include "interop/tflite_graph.hpp"
#include "tinykws/status.hpp"

namespace tinykws::interop {

StatusOr<TfliteGraph> ParseTflite(std::string_view bytes);

}  // namespace tinykws::interop
