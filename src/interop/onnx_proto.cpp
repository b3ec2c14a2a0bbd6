#include "interop/onnx_proto.hpp"

#include <cstring>

namespace tinykws::interop::onnx {

namespace {

// Field numbers from onnx/onnx.proto.
namespace tensor {
constexpr int kDims = 1, kDataType = 2, kName = 8, kRawData = 9;
}
namespace value_info {
constexpr int kName = 1, kType = 2;
}
namespace type_proto {
constexpr int kTensorType = 1;            // TypeProto
constexpr int kElemType = 1, kShape = 2;  // TypeProto.Tensor
constexpr int kDim = 1;                   // TensorShapeProto
constexpr int kDimValue = 1;              // TensorShapeProto.Dimension
}  // namespace type_proto
namespace attribute {
constexpr int kName = 1, kI = 3, kInts = 8, kType = 20;
constexpr int kTypeInt = 2, kTypeInts = 7;  // AttributeProto.AttributeType
}  // namespace attribute
namespace node {
constexpr int kInput = 1, kOutput = 2, kName = 3, kOpType = 4, kAttribute = 5;
}
namespace graph {
constexpr int kNode = 1, kName = 2, kInitializer = 5, kInput = 11, kOutput = 12;
}
namespace model {
constexpr int kIrVersion = 1, kProducerName = 2, kProducerVersion = 3,
              kGraph = 7, kOpsetImport = 8, kMetadataProps = 14;
constexpr int kOpsetVersion = 2;               // OperatorSetIdProto
constexpr int kEntryKey = 1, kEntryValue = 2;  // StringStringEntryProto
}  // namespace model

// raw_data is little-endian whatever the host: write it byte by byte.
template <typename T>
std::string LittleEndian(const std::vector<T>& values) {
  std::string out;
  out.reserve(values.size() * sizeof(T));
  for (const T& v : values) {
    uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof v);
    for (size_t i = 0; i < sizeof(T); ++i) {
      out += static_cast<char>(bits >> (8 * i));
    }
  }
  return out;
}

ProtoWriter Tensor(const std::string& name, const Dims& dims, DataType type,
                   const std::string& raw) {
  ProtoWriter t;
  if (!dims.empty()) t.PackedInts(tensor::kDims, dims);
  t.Int(tensor::kDataType, static_cast<int>(type));
  t.Bytes(tensor::kName, name);
  t.Bytes(tensor::kRawData, raw);
  return t;
}

}  // namespace

ProtoWriter FloatTensor(const std::string& name, const Dims& dims,
                        const std::vector<float>& values) {
  return Tensor(name, dims, DataType::kFloat, LittleEndian(values));
}

ProtoWriter Int8Tensor(const std::string& name, const Dims& dims,
                       const std::vector<int8_t>& values) {
  return Tensor(name, dims, DataType::kInt8, LittleEndian(values));
}

ProtoWriter Int32Tensor(const std::string& name, const Dims& dims,
                        const std::vector<int32_t>& values) {
  return Tensor(name, dims, DataType::kInt32, LittleEndian(values));
}

ProtoWriter Int64Tensor(const std::string& name, const Dims& dims,
                        const std::vector<int64_t>& values) {
  return Tensor(name, dims, DataType::kInt64, LittleEndian(values));
}

ProtoWriter ValueInfo(const std::string& name, DataType type,
                      const Dims& dims) {
  ProtoWriter shape;
  for (int64_t d : dims) {
    ProtoWriter dim;
    dim.Int(type_proto::kDimValue, d);
    shape.Message(type_proto::kDim, dim);
  }
  ProtoWriter tensor_type;
  tensor_type.Int(type_proto::kElemType, static_cast<int>(type));
  tensor_type.Message(type_proto::kShape, shape);
  ProtoWriter value_type;
  value_type.Message(type_proto::kTensorType, tensor_type);
  ProtoWriter info;
  info.Bytes(value_info::kName, name);
  info.Message(value_info::kType, value_type);
  return info;
}

ProtoWriter IntAttribute(const std::string& name, int64_t value) {
  ProtoWriter a;
  a.Bytes(attribute::kName, name);
  a.Int(attribute::kI, value);
  a.Int(attribute::kType, attribute::kTypeInt);
  return a;
}

ProtoWriter IntsAttribute(const std::string& name,
                          const std::vector<int64_t>& values) {
  ProtoWriter a;
  a.Bytes(attribute::kName, name);
  // proto2 repeated int64 without [packed]: one field per value.
  for (int64_t v : values) a.Int(attribute::kInts, v);
  a.Int(attribute::kType, attribute::kTypeInts);
  return a;
}

void GraphBuilder::AddInitializer(const ProtoWriter& tensor) {
  initializers_.push_back(tensor);
}

void GraphBuilder::AddInput(const ProtoWriter& value_info) {
  inputs_.push_back(value_info);
}

void GraphBuilder::AddOutput(const ProtoWriter& value_info) {
  outputs_.push_back(value_info);
}

void GraphBuilder::AddNode(const std::string& op_type,
                           const std::vector<std::string>& inputs,
                           const std::vector<std::string>& outputs,
                           const std::vector<ProtoWriter>& attributes) {
  ProtoWriter n;
  for (const std::string& input : inputs) n.Bytes(node::kInput, input);
  for (const std::string& output : outputs) n.Bytes(node::kOutput, output);
  // Named after its first output: unique, since outputs are.
  n.Bytes(node::kName, outputs.empty() ? op_type : outputs[0]);
  n.Bytes(node::kOpType, op_type);
  for (const ProtoWriter& a : attributes) n.Message(node::kAttribute, a);
  nodes_.push_back(n);
}

ProtoWriter GraphBuilder::Graph(const std::string& name) const {
  ProtoWriter g;
  for (const ProtoWriter& n : nodes_) g.Message(graph::kNode, n);
  g.Bytes(graph::kName, name);
  for (const ProtoWriter& t : initializers_) g.Message(graph::kInitializer, t);
  for (const ProtoWriter& v : inputs_) g.Message(graph::kInput, v);
  for (const ProtoWriter& v : outputs_) g.Message(graph::kOutput, v);
  return g;
}

std::string ModelBytes(const ModelHeader& header, const ProtoWriter& graph) {
  ProtoWriter m;
  m.Int(model::kIrVersion, header.ir_version);
  m.Bytes(model::kProducerName, header.producer_name);
  m.Bytes(model::kProducerVersion, header.producer_version);
  m.Message(model::kGraph, graph);
  ProtoWriter opset;  // domain left out: the default domain
  opset.Int(model::kOpsetVersion, header.opset);
  m.Message(model::kOpsetImport, opset);
  for (const auto& [key, value] : header.metadata) {
    ProtoWriter entry;
    entry.Bytes(model::kEntryKey, key);
    entry.Bytes(model::kEntryValue, value);
    m.Message(model::kMetadataProps, entry);
  }
  return m.bytes();
}

}  // namespace tinykws::interop::onnx
