// The part of the TFLite model schema (tensorflow/lite/schema/schema.fbs,
// version 3, file identifier "TFL3") that tinykws writes and reads back: one
// subgraph of tensors and builtin operators, buffers, metadata. TfliteGraph
// is what the writer builds from a .kws model and what the reader returns,
// so a round trip compares like with like.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tinykws::interop {

namespace tflite {

inline constexpr uint32_t kSchemaVersion = 3;
inline constexpr char kFileIdentifier[] = "TFL3";

// enum TensorType : byte
enum TensorType : int8_t { kFloat32 = 0, kInt32 = 2, kInt8 = 9 };

// enum BuiltinOperator : int32 (the ones tinykws uses)
enum BuiltinOperator : int32_t {
  kConv2d = 3,
  kDequantize = 6,
  kFullyConnected = 9,
  kPad = 34,
  kMean = 40,
  kQuantize = 114,
};

// Member index + 1 in `union BuiltinOptions`.
enum BuiltinOptionsType : uint8_t {
  kNoOptions = 0,
  kConv2dOptions = 1,
  kFullyConnectedOptions = 8,
  kPadOptions = 22,
  kReducerOptions = 27,
  kDequantizeOptions = 38,
  kQuantizeOptions = 89,
};

enum Padding : int8_t { kSame = 0, kValid = 1 };
enum Activation : int8_t { kNoActivation = 0, kRelu = 1 };

// Field ids (declaration order in the schema; a union takes two ids: its
// type, then its value).
namespace field {
enum Model {
  kModelVersion = 0,
  kOperatorCodes = 1,
  kSubgraphs = 2,
  kDescription = 3,
  kBuffers = 4,
  kModelMetadata = 6
};
enum OperatorCode {
  kDeprecatedBuiltinCode = 0,
  kOpVersion = 2,
  kBuiltinCode = 3
};
enum SubGraph {
  kTensors = 0,
  kInputs = 1,
  kOutputs = 2,
  kOperators = 3,
  kName = 4
};
enum Tensor {
  kShape = 0,
  kType = 1,
  kBuffer = 2,
  kTensorName = 3,
  kQuantization = 4
};
enum Quantization { kScale = 2, kZeroPoint = 3, kQuantizedDimension = 6 };
enum Operator {
  kOpcodeIndex = 0,
  kOpInputs = 1,
  kOpOutputs = 2,
  kBuiltinOptionsType = 3,
  kBuiltinOptions = 4
};
enum Conv2dOptions {
  kPadding = 0,
  kStrideW = 1,
  kStrideH = 2,
  kConvActivation = 3,
  kDilationW = 4,
  kDilationH = 5
};
enum FullyConnectedOptions {
  kFcActivation = 0,
  kWeightsFormat = 1,
  kKeepNumDims = 2
};
enum ReducerOptions { kKeepDims = 0 };
enum Buffer { kData = 0 };
enum Metadata { kMetadataName = 0, kMetadataBuffer = 1 };
}  // namespace field

// Deprecated_builtin_code is a byte: codes from 127 on live only in
// builtin_code (readers take the larger of the two).
inline constexpr int32_t kPlaceholderForGreaterOpCodes = 127;

}  // namespace tflite

struct TfliteTensor {
  std::vector<int32_t> shape;
  int8_t type = tflite::kFloat32;
  uint32_t buffer = 0;  // 0: no data (the empty sentinel buffer)
  std::string name;
  // Empty scale: not quantized. Per channel when scale has several entries
  // (along quantized_dimension).
  std::vector<float> scale;
  std::vector<int64_t> zero_point;
  int32_t quantized_dimension = 0;
};

// The options of the operators tinykws writes (fields of the other option
// tables stay at their schema defaults).
struct TfliteOperatorOptions {
  uint8_t type = tflite::kNoOptions;
  // Conv2DOptions
  int8_t padding = tflite::kSame;
  int32_t stride_w = 0, stride_h = 0;
  int8_t activation = tflite::kNoActivation;  // also FullyConnectedOptions
  int32_t dilation_w = 1, dilation_h = 1;
  // FullyConnectedOptions
  int8_t weights_format = 0;
  bool keep_num_dims = false;
  // ReducerOptions
  bool keep_dims = false;
};

struct TfliteOperator {
  int32_t builtin_code = 0;
  int32_t version = 1;
  std::vector<int32_t> inputs, outputs;
  TfliteOperatorOptions options;
};

struct TfliteGraph {
  uint32_t version = tflite::kSchemaVersion;
  std::string description;
  std::string subgraph_name;
  std::vector<TfliteTensor> tensors;
  std::vector<int32_t> inputs, outputs;
  std::vector<TfliteOperator> operators;
  // buffers[0] is the empty sentinel.
  std::vector<std::string> buffers;
  // Model.metadata: name and buffer index.
  std::vector<std::pair<std::string, uint32_t>> metadata;
};

// The flatbuffer bytes. Operator codes are deduplicated by (code, version)
// in order of first use. Precondition: indices in the graph are in range.
std::string SerializeTflite(const TfliteGraph& graph);

}  // namespace tinykws::interop
