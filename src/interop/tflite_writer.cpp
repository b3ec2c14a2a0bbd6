#include "interop/tflite_writer.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

#include "interop/front_end_metadata.hpp"
#include "interop/shared_graph.hpp"
#include "interop/tflite_graph.hpp"

namespace tinykws::interop {

namespace {

using format::ConvLayer;
using format::DenseLayer;
using format::ModelFile;

// The oldest TFLite runtime with every kernel version written here
// (CONV_2D v3, per-channel int8, needs 1.14.0).
constexpr char kMinRuntimeVersion[] = "1.14.0";

template <typename T>
std::string Raw(const std::vector<T>& values) {
  std::string bytes(values.size() * sizeof(T), '\0');
  if (!values.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

// Collects tensors, constant buffers and operators into a TfliteGraph.
class GraphBuilder {
 public:
  GraphBuilder() { graph_.buffers.emplace_back(); }  // the empty sentinel

  // An activation tensor (no data). Empty scale: float.
  int Tensor(std::string name, std::vector<int32_t> shape, int8_t type,
             std::vector<float> scale = {}, int64_t zero_point = 0) {
    TfliteTensor t;
    t.name = std::move(name);
    t.shape = std::move(shape);
    t.type = type;
    t.zero_point.assign(scale.size(), zero_point);
    t.scale = std::move(scale);
    return Add(std::move(t));
  }

  // A constant tensor holding `data`.
  int Constant(TfliteTensor t, std::string data) {
    t.buffer = static_cast<uint32_t>(graph_.buffers.size());
    graph_.buffers.push_back(std::move(data));
    return Add(std::move(t));
  }

  void Op(int32_t code, int32_t version, std::vector<int32_t> inputs,
          int output, TfliteOperatorOptions options) {
    TfliteOperator op;
    op.builtin_code = code;
    op.version = version;
    op.inputs = std::move(inputs);
    op.outputs = {output};
    op.options = options;
    graph_.operators.push_back(std::move(op));
  }

  uint32_t Buffer(std::string data) {
    graph_.buffers.push_back(std::move(data));
    return static_cast<uint32_t>(graph_.buffers.size() - 1);
  }

  TfliteGraph& graph() { return graph_; }

 private:
  int Add(TfliteTensor t) {
    graph_.tensors.push_back(std::move(t));
    return static_cast<int>(graph_.tensors.size() - 1);
  }
  TfliteGraph graph_;
};

TfliteOperatorOptions Options(uint8_t type) {
  TfliteOperatorOptions o;
  o.type = type;
  return o;
}

// TFLite's SAME padding along one axis: total = max((out - 1) * stride +
// span - in, 0), the smaller half before (tensorflow/lite/kernels/padding.h).
bool IsSame(int in, int out, int stride, int span, int before, int after) {
  const int want_out = (in + stride - 1) / stride;
  const int total = std::max((out - 1) * stride + span - in, 0);
  return out == want_out && before == total / 2 && after == total - total / 2;
}

// The padding option for a conv, or nullopt when TFLite cannot express our
// explicit pads with SAME/VALID (then a PAD op goes first and the conv is
// VALID).
std::optional<int8_t> PaddingFor(const ConvLayer& c) {
  const int span_h = (c.kernel_h - 1) * c.dilation_h + 1;
  const int span_w = (c.kernel_w - 1) * c.dilation_w + 1;
  if (c.pad_top == 0 && c.pad_bottom == 0 && c.pad_left == 0 &&
      c.pad_right == 0) {
    return tflite::kValid;
  }
  if (IsSame(c.in_height, c.out_height, c.stride_h, span_h, c.pad_top,
             c.pad_bottom) &&
      IsSame(c.in_width, c.out_width, c.stride_w, span_w, c.pad_left,
             c.pad_right)) {
    return tflite::kSame;
  }
  return std::nullopt;
}

// One conv (with a PAD before it if needed); returns its output tensor.
int AddConv(GraphBuilder& g, const ModelFile& m, size_t index, int input,
            const std::string& output_name) {
  const ConvLayer& c = m.convs[index];
  const bool int8 = m.precision == format::Precision::kInt8;
  const std::string name = "conv" + std::to_string(index);
  const TfliteTensor in = g.graph().tensors[input];  // a copy: tensors grow
  const std::optional<int8_t> padding = PaddingFor(c);
  if (!padding) {
    TfliteTensor pads;
    pads.name = name + "/paddings";
    pads.shape = {4, 2};
    pads.type = tflite::kInt32;
    const std::vector<int32_t> values = {
        0, 0, c.pad_top, c.pad_bottom, c.pad_left, c.pad_right, 0, 0};
    const int pads_tensor = g.Constant(pads, Raw(values));
    // int8 PAD fills with the zero point: real 0, our padding.
    const int padded = g.Tensor(
        name + "/padded",
        {1, c.in_height + c.pad_top + c.pad_bottom,
         c.in_width + c.pad_left + c.pad_right, c.in_channels},
        in.type, in.scale, in.zero_point.empty() ? 0 : in.zero_point[0]);
    g.Op(tflite::kPad, int8 ? 2 : 1, {input, pads_tensor}, padded,
         Options(tflite::kPadOptions));
    input = padded;
  }
  TfliteTensor weights;
  weights.name = name + "/weights";
  weights.shape = {c.out_channels, c.kernel_h, c.kernel_w, c.in_channels};
  TfliteTensor bias;
  bias.name = name + "/bias";
  bias.shape = {c.out_channels};
  int output = 0;
  if (int8) {
    weights.type = tflite::kInt8;
    weights.scale = c.weight_scales;
    weights.zero_point.assign(c.out_channels, 0);
    bias.type = tflite::kInt32;
    const float in_scale = g.graph().tensors[input].scale.at(0);
    for (float w : c.weight_scales) {
      bias.scale.push_back(static_cast<float>(double{in_scale} * w));
    }
    bias.zero_point.assign(c.out_channels, 0);
    output =
        g.Tensor(output_name, {1, c.out_height, c.out_width, c.out_channels},
                 tflite::kInt8, {c.output_scale}, c.output_zero_point);
  } else {
    weights.type = tflite::kFloat32;
    bias.type = tflite::kFloat32;
    output =
        g.Tensor(output_name, {1, c.out_height, c.out_width, c.out_channels},
                 tflite::kFloat32);
  }
  const int w =
      g.Constant(weights, int8 ? Raw(c.weights) : Raw(c.float_weights));
  const int b = g.Constant(bias, int8 ? Raw(c.bias) : Raw(c.float_bias));
  TfliteOperatorOptions o = Options(tflite::kConv2dOptions);
  o.padding = padding.value_or(tflite::kValid);
  o.stride_w = c.stride_w;
  o.stride_h = c.stride_h;
  o.dilation_w = c.dilation_w;
  o.dilation_h = c.dilation_h;
  o.activation = c.relu ? tflite::kRelu : tflite::kNoActivation;
  g.Op(tflite::kConv2d, int8 ? 3 : 1, {input, w, b}, output, o);
  return output;
}

// The dense layer's float weights and bias, such that
std::string Description(const ModelFile& m) {
  return "tinykws " + JoinedLabels(m);
}

}  // namespace

StatusOr<std::string> ToTflite(const ModelFile& model,
                               const TfliteOptions& options) {
  TINYKWS_RETURN_IF_ERROR(CheckConvertible(model, "tflite export"));
  const bool int8 = model.precision == format::Precision::kInt8;
  const FeatureConfig& f = model.features;
  GraphBuilder g;
  const std::vector<int32_t> input_shape = {1, f.num_frames(), f.num_mfcc, 1};
  const int mfcc = g.Tensor("mfcc", input_shape, tflite::kFloat32);
  int x = mfcc;
  if (int8) {
    x = g.Tensor("mfcc_int8", input_shape, tflite::kInt8, {model.input_scale},
                 model.input_zero_point);
    g.Op(tflite::kQuantize, 1, {mfcc}, x, Options(tflite::kQuantizeOptions));
  }
  for (size_t i = 0; i < model.convs.size(); ++i) {
    const bool last = i + 1 == model.convs.size();
    x = AddConv(g, model, i, x,
                last ? "activation" : "conv" + std::to_string(i));
  }
  const int activation = x;
  const ConvLayer& last = model.convs.back();
  if (int8) {
    x = g.Tensor("activation_float",
                 {1, last.out_height, last.out_width, last.out_channels},
                 tflite::kFloat32);
    g.Op(tflite::kDequantize, 2, {activation}, x,
         Options(tflite::kDequantizeOptions));
  }
  TfliteTensor axes;
  axes.name = "mean/axes";
  axes.shape = {2};
  axes.type = tflite::kInt32;
  const int axes_tensor = g.Constant(axes, Raw(std::vector<int32_t>{1, 2}));
  const int pooled =
      g.Tensor("pooled", {1, last.out_channels}, tflite::kFloat32);
  g.Op(tflite::kMean, 1, {x, axes_tensor}, pooled,
       Options(tflite::kReducerOptions));

  const DenseLayer& d = model.dense;
  std::vector<float> dense_weights, dense_bias;
  FloatDense(model, &dense_weights, &dense_bias);
  TfliteTensor weights;
  weights.name = "dense/weights";
  weights.shape = {d.out_channels, d.in_channels};
  const int w = g.Constant(weights, Raw(dense_weights));
  TfliteTensor bias;
  bias.name = "dense/bias";
  bias.shape = {d.out_channels};
  const int b = g.Constant(bias, Raw(dense_bias));
  const int logits = g.Tensor("logits", {1, d.out_channels}, tflite::kFloat32);
  g.Op(tflite::kFullyConnected, 1, {pooled, w, b}, logits,
       Options(tflite::kFullyConnectedOptions));

  TfliteGraph& graph = g.graph();
  graph.description = Description(model);
  graph.subgraph_name = "main";
  graph.inputs = {mfcc};
  graph.outputs = {logits};
  if (options.expose_activation) graph.outputs.push_back(activation);
  graph.metadata.push_back({"tinykws", g.Buffer(FrontEndMetadataJson(model))});
  // As TFLite's converter writes it: the version string NUL-padded to 16.
  std::string version(kMinRuntimeVersion);
  version.resize(16, '\0');
  graph.metadata.push_back({"min_runtime_version", g.Buffer(version)});
  return SerializeTflite(graph);
}

}  // namespace tinykws::interop
