// Helpers shared by the TFLite tests: models of chosen geometries, a
// converted model parsed back, and typed views of constant tensors.
#pragma once

#include <cstring>
#include <ostream>
#include <string>
#include <vector>

#include "../common/random_model.hpp"
#include "../common/status_printer.hpp"
#include "gtest/gtest.h"
#include "interop/tflite_reader.hpp"
#include "interop/tflite_writer.hpp"
#include "quant/quantizer.hpp"

namespace tinykws::testing {

// A random int8 model (tests/common/random_model.hpp).
inline format::ModelFile Int8Model(const std::vector<ConvShape>& shapes,
                                   int labels, uint32_t seed = 7) {
  return RandomInt8Model(
      RandomFloatModel(SmallFeatures(), shapes, labels, seed), seed);
}

// The same geometry as a float32 model.
inline format::ModelFile Float32Model(const std::vector<ConvShape>& shapes,
                                      int labels, uint32_t seed = 7) {
  return quant::FloatModelFile(
      RandomFloatModel(SmallFeatures(), shapes, labels, seed));
}

// A first conv whose explicit pads TFLite's SAME cannot express: an even
// kernel (SAME puts the odd pad after) with top and bottom swapped. The
// output size is unchanged, so the model stays valid.
inline format::ModelFile PadOpModel(int labels, uint32_t seed = 7) {
  format::ModelFile m = Int8Model(
      {ConvShape{8, 4, 4, 1, 1, 1, 1, true, true}, ConvShape{}}, labels, seed);
  format::ConvLayer& c = m.convs[0];
  std::swap(c.pad_top, c.pad_bottom);
  std::swap(c.pad_left, c.pad_right);
  return m;
}

// ToTflite then ParseTflite; fails the test on an error.
inline interop::TfliteGraph ConvertAndParse(
    const format::ModelFile& model,
    const interop::TfliteOptions& options = {}) {
  StatusOr<std::string> bytes = interop::ToTflite(model, options);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  if (!bytes.ok()) return {};
  StatusOr<interop::TfliteGraph> graph = interop::ParseTflite(*bytes);
  EXPECT_TRUE(graph.ok()) << graph.status();
  return graph.ok() ? *graph : interop::TfliteGraph{};
}

// A constant tensor's data as T values (empty when it has no buffer).
template <typename T>
std::vector<T> TensorData(const interop::TfliteGraph& g, int tensor) {
  const std::string& bytes = g.buffers.at(g.tensors.at(tensor).buffer);
  std::vector<T> values(bytes.size() / sizeof(T));
  if (!values.empty()) std::memcpy(values.data(), bytes.data(), bytes.size());
  return values;
}

}  // namespace tinykws::testing
