#include "interop/tflite_reader.hpp"

#include <algorithm>
#include <string>
#include <tuple>

#include "interop/flatbuffer_reader.hpp"

namespace tinykws::interop {

namespace {

using flatbuffer::Reader;
namespace f = tflite::field;

TfliteOperatorOptions ReadOptions(Reader& r, const Reader::Table& op) {
  TfliteOperatorOptions o;
  o.type = r.Scalar<uint8_t>(op, f::kBuiltinOptionsType, tflite::kNoOptions);
  const Reader::Table t = r.SubTable(op, f::kBuiltinOptions, "options");
  switch (o.type) {
    case tflite::kConv2dOptions:
      o.padding = r.Scalar<int8_t>(t, f::kPadding, tflite::kSame);
      o.stride_w = r.Scalar<int32_t>(t, f::kStrideW, 0);
      o.stride_h = r.Scalar<int32_t>(t, f::kStrideH, 0);
      o.activation = r.Scalar<int8_t>(t, f::kConvActivation, 0);
      o.dilation_w = r.Scalar<int32_t>(t, f::kDilationW, 1);
      o.dilation_h = r.Scalar<int32_t>(t, f::kDilationH, 1);
      break;
    case tflite::kFullyConnectedOptions:
      o.activation = r.Scalar<int8_t>(t, f::kFcActivation, 0);
      o.weights_format = r.Scalar<int8_t>(t, f::kWeightsFormat, 0);
      o.keep_num_dims = r.Scalar<uint8_t>(t, f::kKeepNumDims, 0) != 0;
      break;
    case tflite::kReducerOptions:
      o.keep_dims = r.Scalar<uint8_t>(t, f::kKeepDims, 0) != 0;
      break;
    default:
      break;  // no options tinykws reads
  }
  return o;
}

TfliteTensor ReadTensor(Reader& r, const Reader::Table& t) {
  TfliteTensor tensor;
  tensor.shape = r.ScalarVector<int32_t>(t, f::kShape, "tensor shape");
  tensor.type = r.Scalar<int8_t>(t, f::kType, tflite::kFloat32);
  tensor.buffer = r.Scalar<uint32_t>(t, f::kBuffer, 0);
  tensor.name = r.String(t, f::kTensorName, "tensor name");
  const Reader::Table q = r.SubTable(t, f::kQuantization, "quantization");
  tensor.scale = r.ScalarVector<float>(q, f::kScale, "quantization scale");
  tensor.zero_point =
      r.ScalarVector<int64_t>(q, f::kZeroPoint, "quantization zero point");
  tensor.quantized_dimension = r.Scalar<int32_t>(q, f::kQuantizedDimension, 0);
  return tensor;
}

// Index lists must name tensors (operators may use -1: optional input).
Status CheckIndices(const std::vector<int32_t>& indices, size_t tensors,
                    bool allow_missing, const std::string& what) {
  for (int32_t i : indices) {
    if ((i < 0 && !(allow_missing && i == -1)) ||
        (i >= 0 && static_cast<size_t>(i) >= tensors)) {
      return FormatError(what + " names tensor " + std::to_string(i) +
                         ", the subgraph has " + std::to_string(tensors));
    }
  }
  return Status::Ok();
}

}  // namespace

StatusOr<TfliteGraph> ParseTflite(std::string_view bytes) {
  Reader r(bytes);
  const std::string_view id = r.Identifier();
  if (!r.ok()) return FormatError("tflite: " + r.error());
  if (id != std::string_view(tflite::kFileIdentifier, 4)) {
    return FormatError("tflite: file identifier is not \"TFL3\"");
  }
  const Reader::Table model = r.Root();
  TfliteGraph g;
  g.version = r.Scalar<uint32_t>(model, f::kModelVersion, 0);
  g.description = r.String(model, f::kDescription, "description");

  std::vector<std::pair<int32_t, int32_t>> codes;  // (builtin code, version)
  const Reader::VectorView code_list =
      r.Vector(model, f::kOperatorCodes, 4, "operator codes");
  for (uint32_t i = 0; i < code_list.count && r.ok(); ++i) {
    const Reader::Table c = r.TableIn(code_list, i, "operator code");
    // As TFLite's GetBuiltinCode: the larger of the byte and int32 fields.
    const int32_t code =
        std::max<int32_t>(r.Scalar<int8_t>(c, f::kDeprecatedBuiltinCode, 0),
                          r.Scalar<int32_t>(c, f::kBuiltinCode, 0));
    codes.push_back({code, r.Scalar<int32_t>(c, f::kOpVersion, 1)});
  }

  const Reader::VectorView buffer_list =
      r.Vector(model, f::kBuffers, 4, "buffers");
  for (uint32_t i = 0; i < buffer_list.count && r.ok(); ++i) {
    const Reader::Table b = r.TableIn(buffer_list, i, "buffer");
    const std::vector<uint8_t> data =
        r.ScalarVector<uint8_t>(b, f::kData, "buffer data");
    g.buffers.emplace_back(data.begin(), data.end());
  }

  const Reader::VectorView meta_list =
      r.Vector(model, f::kModelMetadata, 4, "metadata");
  for (uint32_t i = 0; i < meta_list.count && r.ok(); ++i) {
    const Reader::Table m = r.TableIn(meta_list, i, "metadata");
    g.metadata.push_back({r.String(m, f::kMetadataName, "metadata name"),
                          r.Scalar<uint32_t>(m, f::kMetadataBuffer, 0)});
  }

  const Reader::VectorView subgraphs =
      r.Vector(model, f::kSubgraphs, 4, "subgraphs");
  if (r.ok() && subgraphs.count == 0) {
    return FormatError("tflite: the model has no subgraph");
  }
  const Reader::Table sg = r.TableIn(subgraphs, 0, "subgraph");
  g.subgraph_name = r.String(sg, f::kName, "subgraph name");
  g.inputs = r.ScalarVector<int32_t>(sg, f::kInputs, "subgraph inputs");
  g.outputs = r.ScalarVector<int32_t>(sg, f::kOutputs, "subgraph outputs");
  const Reader::VectorView tensor_list =
      r.Vector(sg, f::kTensors, 4, "tensors");
  for (uint32_t i = 0; i < tensor_list.count && r.ok(); ++i) {
    g.tensors.push_back(ReadTensor(r, r.TableIn(tensor_list, i, "tensor")));
  }
  const Reader::VectorView op_list =
      r.Vector(sg, f::kOperators, 4, "operators");
  for (uint32_t i = 0; i < op_list.count && r.ok(); ++i) {
    const Reader::Table t = r.TableIn(op_list, i, "operator");
    const uint32_t index = r.Scalar<uint32_t>(t, f::kOpcodeIndex, 0);
    TfliteOperator op;
    op.inputs = r.ScalarVector<int32_t>(t, f::kOpInputs, "operator inputs");
    op.outputs = r.ScalarVector<int32_t>(t, f::kOpOutputs, "operator outputs");
    op.options = ReadOptions(r, t);
    if (r.ok() && index >= codes.size()) {
      return FormatError("tflite: operator " + std::to_string(i) +
                         " uses operator code " + std::to_string(index) +
                         ", the model has " + std::to_string(codes.size()));
    }
    if (r.ok()) std::tie(op.builtin_code, op.version) = codes[index];
    g.operators.push_back(std::move(op));
  }
  if (!r.ok()) return FormatError("tflite: " + r.error());

  // Cross references.
  if (g.version != tflite::kSchemaVersion) {
    return Unsupported("tflite: schema version " + std::to_string(g.version) +
                       ", this reader knows version 3");
  }
  const size_t n = g.tensors.size();
  TINYKWS_RETURN_IF_ERROR(CheckIndices(g.inputs, n, false, "subgraph input"));
  TINYKWS_RETURN_IF_ERROR(CheckIndices(g.outputs, n, false, "subgraph output"));
  for (size_t i = 0; i < g.operators.size(); ++i) {
    const std::string what = "tflite: operator " + std::to_string(i);
    TINYKWS_RETURN_IF_ERROR(
        CheckIndices(g.operators[i].inputs, n, true, what + " input"));
    TINYKWS_RETURN_IF_ERROR(
        CheckIndices(g.operators[i].outputs, n, false, what + " output"));
  }
  for (size_t i = 0; i < n; ++i) {
    const TfliteTensor& t = g.tensors[i];
    if (t.buffer >= g.buffers.size()) {
      return FormatError("tflite: tensor " + std::to_string(i) + " ('" +
                         t.name + "') uses buffer " + std::to_string(t.buffer) +
                         ", the model has " + std::to_string(g.buffers.size()));
    }
    if (t.zero_point.size() != t.scale.size()) {
      return FormatError("tflite: tensor '" + t.name + "' has " +
                         std::to_string(t.scale.size()) + " scales and " +
                         std::to_string(t.zero_point.size()) + " zero points");
    }
  }
  for (const auto& [name, buffer] : g.metadata) {
    if (buffer >= g.buffers.size()) {
      return FormatError("tflite: metadata '" + name + "' uses buffer " +
                         std::to_string(buffer) + ", the model has " +
                         std::to_string(g.buffers.size()));
    }
  }
  return g;
}

}  // namespace tinykws::interop
