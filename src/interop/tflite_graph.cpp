#include "interop/tflite_graph.hpp"

#include <algorithm>
#include <string_view>

#include "interop/flatbuffer_builder.hpp"

namespace tinykws::interop {

namespace {

using flatbuffer::Builder;
using flatbuffer::Field;
using flatbuffer::Ref;
namespace f = tflite::field;

Ref QuantizationTable(Builder& b, const TfliteTensor& t) {
  std::vector<Field> fields = {
      Field::Offset(f::kScale, b.Vector(t.scale)),
      Field::Offset(f::kZeroPoint, b.Vector(t.zero_point))};
  if (t.quantized_dimension != 0) {
    fields.push_back(
        Field::Scalar<int32_t>(f::kQuantizedDimension, t.quantized_dimension));
  }
  return b.Table(std::move(fields));
}

Ref TensorTable(Builder& b, const TfliteTensor& t) {
  std::vector<Field> fields = {Field::Offset(f::kShape, b.Vector(t.shape)),
                               Field::Scalar<int8_t>(f::kType, t.type),
                               Field::Scalar<uint32_t>(f::kBuffer, t.buffer),
                               Field::Offset(f::kTensorName, b.String(t.name))};
  if (!t.scale.empty()) {
    fields.push_back(Field::Offset(f::kQuantization, QuantizationTable(b, t)));
  }
  return b.Table(std::move(fields));
}

// The options table of an operator, or an invalid Ref when it has none.
Ref OptionsTable(Builder& b, const TfliteOperatorOptions& o) {
  switch (o.type) {
    case tflite::kConv2dOptions:
      return b.Table({Field::Scalar<int8_t>(f::kPadding, o.padding),
                      Field::Scalar<int32_t>(f::kStrideW, o.stride_w),
                      Field::Scalar<int32_t>(f::kStrideH, o.stride_h),
                      Field::Scalar<int8_t>(f::kConvActivation, o.activation),
                      Field::Scalar<int32_t>(f::kDilationW, o.dilation_w),
                      Field::Scalar<int32_t>(f::kDilationH, o.dilation_h)});
    case tflite::kFullyConnectedOptions:
      return b.Table(
          {Field::Scalar<int8_t>(f::kFcActivation, o.activation),
           Field::Scalar<int8_t>(f::kWeightsFormat, o.weights_format),
           Field::Scalar<uint8_t>(f::kKeepNumDims, o.keep_num_dims)});
    case tflite::kReducerOptions:
      return b.Table({Field::Scalar<uint8_t>(f::kKeepDims, o.keep_dims)});
    case tflite::kPadOptions:
    case tflite::kDequantizeOptions:
    case tflite::kQuantizeOptions:
      return b.Table({});
    default:
      return {};
  }
}

}  // namespace

std::string SerializeTflite(const TfliteGraph& graph) {
  Builder b;
  // Operator codes: one per distinct (code, version), in order of first use.
  std::vector<std::pair<int32_t, int32_t>> codes;
  std::vector<uint32_t> opcode_index;
  for (const TfliteOperator& op : graph.operators) {
    const std::pair<int32_t, int32_t> key = {op.builtin_code, op.version};
    auto it = std::find(codes.begin(), codes.end(), key);
    if (it == codes.end()) it = codes.insert(codes.end(), key);
    opcode_index.push_back(static_cast<uint32_t>(it - codes.begin()));
  }
  std::vector<Ref> code_tables;
  for (const auto& [code, version] : codes) {
    const int8_t deprecated = static_cast<int8_t>(
        std::min(code, tflite::kPlaceholderForGreaterOpCodes));
    code_tables.push_back(
        b.Table({Field::Scalar<int8_t>(f::kDeprecatedBuiltinCode, deprecated),
                 Field::Scalar<int32_t>(f::kOpVersion, version),
                 Field::Scalar<int32_t>(f::kBuiltinCode, code)}));
  }

  std::vector<Ref> tensors;
  for (const TfliteTensor& t : graph.tensors) {
    tensors.push_back(TensorTable(b, t));
  }
  std::vector<Ref> operators;
  for (size_t i = 0; i < graph.operators.size(); ++i) {
    const TfliteOperator& op = graph.operators[i];
    std::vector<Field> fields = {
        Field::Scalar<uint32_t>(f::kOpcodeIndex, opcode_index[i]),
        Field::Offset(f::kOpInputs, b.Vector(op.inputs)),
        Field::Offset(f::kOpOutputs, b.Vector(op.outputs))};
    const Ref options = OptionsTable(b, op.options);
    if (options.valid()) {
      fields.push_back(
          Field::Scalar<uint8_t>(f::kBuiltinOptionsType, op.options.type));
      fields.push_back(Field::Offset(f::kBuiltinOptions, options));
    }
    operators.push_back(b.Table(std::move(fields)));
  }
  const Ref subgraph =
      b.Table({Field::Offset(f::kTensors, b.Vector(tensors)),
               Field::Offset(f::kInputs, b.Vector(graph.inputs)),
               Field::Offset(f::kOutputs, b.Vector(graph.outputs)),
               Field::Offset(f::kOperators, b.Vector(operators)),
               Field::Offset(f::kName, b.String(graph.subgraph_name))});

  std::vector<Ref> buffers;
  for (const std::string& data : graph.buffers) {
    // No data field for an empty buffer, as the sentinel is written by
    // TFLite's converter; tensor data aligned to 16 (schema: force_align).
    buffers.push_back(
        data.empty() ? b.Table({})
                     : b.Table({Field::Offset(f::kData, b.Bytes(data, 16))}));
  }
  std::vector<Ref> metadata;
  for (const auto& [name, buffer] : graph.metadata) {
    metadata.push_back(
        b.Table({Field::Offset(f::kMetadataName, b.String(name)),
                 Field::Scalar<uint32_t>(f::kMetadataBuffer, buffer)}));
  }
  const Ref model = b.Table(
      {Field::Scalar<uint32_t>(f::kModelVersion, graph.version),
       Field::Offset(f::kOperatorCodes, b.Vector(code_tables)),
       Field::Offset(f::kSubgraphs, b.Vector(std::vector<Ref>{subgraph})),
       Field::Offset(f::kDescription, b.String(graph.description)),
       Field::Offset(f::kBuffers, b.Vector(buffers)),
       Field::Offset(f::kModelMetadata, b.Vector(metadata))});
  return b.Finish(model, std::string_view(tflite::kFileIdentifier, 4));
}

}  // namespace tinykws::interop
