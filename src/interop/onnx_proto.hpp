// ONNX's protobuf messages (onnx/onnx.proto, proto2), written with
// ProtoWriter: tensors, value infos, attributes, nodes, a graph and the model
// around it. Only the fields tinykws writes; field numbers are the published
// ones, named here once.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "interop/protobuf_writer.hpp"

namespace tinykws::interop::onnx {

// TensorProto.DataType values.
enum class DataType : int { kFloat = 1, kInt8 = 3, kInt32 = 6, kInt64 = 7 };

using Dims = std::vector<int64_t>;

// Initializers (TensorProto with raw_data, little-endian). An empty dims is
// a scalar.
ProtoWriter FloatTensor(const std::string& name, const Dims& dims,
                        const std::vector<float>& values);
ProtoWriter Int8Tensor(const std::string& name, const Dims& dims,
                       const std::vector<int8_t>& values);
ProtoWriter Int32Tensor(const std::string& name, const Dims& dims,
                        const std::vector<int32_t>& values);
ProtoWriter Int64Tensor(const std::string& name, const Dims& dims,
                        const std::vector<int64_t>& values);

// A graph input or output: a tensor of fixed shape.
ProtoWriter ValueInfo(const std::string& name, DataType type, const Dims& dims);

// AttributeProto of type INT or INTS.
ProtoWriter IntAttribute(const std::string& name, int64_t value);
ProtoWriter IntsAttribute(const std::string& name,
                          const std::vector<int64_t>& values);

// The graph, built node by node in topological order.
class GraphBuilder {
 public:
  void AddInitializer(const ProtoWriter& tensor);
  void AddInput(const ProtoWriter& value_info);
  void AddOutput(const ProtoWriter& value_info);
  // An input name "" leaves an optional input out.
  void AddNode(const std::string& op_type,
               const std::vector<std::string>& inputs,
               const std::vector<std::string>& outputs,
               const std::vector<ProtoWriter>& attributes = {});
  ProtoWriter Graph(const std::string& name) const;

 private:
  std::vector<ProtoWriter> nodes_, initializers_, inputs_, outputs_;
};

struct ModelHeader {
  int64_t ir_version = 0;
  int64_t opset = 0;  // of the default domain ("ai.onnx")
  std::string producer_name, producer_version;
  std::vector<std::pair<std::string, std::string>> metadata;
};

// The ModelProto's bytes: the header's fields and the graph.
std::string ModelBytes(const ModelHeader& header, const ProtoWriter& graph);

}  // namespace tinykws::interop::onnx
