// The graph (opset 13, docs/deploy.md):
//   mfcc [1][frames][num_mfcc][1] float32
//   -> Reshape to NCHW [1][1][frames][num_mfcc] (one channel: same bytes)
//   int8:  -> QuantizeLinear (input scale, zero point)
//          -> per conv: QLinearConv (per-channel weight scales, int32 bias)
//             [-> Clip at the output zero point: a ReLU whose zero point is
//              above -128, where saturation alone does not clamp at real 0]
//          -> DequantizeLinear
//   float: -> per conv: Conv [-> Relu]
//   -> GlobalAveragePool -> Flatten -> Gemm -> logits [1][labels] float32
#include "interop/onnx_writer.hpp"

#include <string>
#include <vector>

#include "interop/front_end_metadata.hpp"
#include "interop/onnx_proto.hpp"
#include "interop/shared_graph.hpp"

namespace tinykws::interop {

namespace {

using onnx::DataType;
using onnx::Dims;
using onnx::GraphBuilder;

// Opset 13 has every op above with int8 support (QuantizeLinear's int8
// output, Clip on int8) and is read by every current ONNX Runtime; IR
// version 7 is the one that goes with it.
constexpr int64_t kOpset = 13;
constexpr int64_t kIrVersion = 7;

// Our conv weights are [out][kh][kw][in]; ONNX's are [out][in][kh][kw].
template <typename T>
std::vector<T> ToOihw(const std::vector<T>& ohwi, const format::ConvLayer& c) {
  std::vector<T> oihw(ohwi.size());
  for (int o = 0; o < c.out_channels; ++o) {
    for (int y = 0; y < c.kernel_h; ++y) {
      for (int x = 0; x < c.kernel_w; ++x) {
        for (int i = 0; i < c.in_channels; ++i) {
          oihw[((o * c.in_channels + i) * c.kernel_h + y) * c.kernel_w + x] =
              ohwi[((o * c.kernel_h + y) * c.kernel_w + x) * c.in_channels + i];
        }
      }
    }
  }
  return oihw;
}

Dims WeightDims(const format::ConvLayer& c) {
  return {c.out_channels, c.in_channels, c.kernel_h, c.kernel_w};
}

// The attributes that make ONNX's conv the same window as ours.
std::vector<ProtoWriter> ConvAttributes(const format::ConvLayer& c) {
  return {onnx::IntsAttribute("kernel_shape", {c.kernel_h, c.kernel_w}),
          onnx::IntsAttribute("strides", {c.stride_h, c.stride_w}),
          onnx::IntsAttribute("dilations", {c.dilation_h, c.dilation_w}),
          // ONNX order: all begins (top, left), then all ends.
          onnx::IntsAttribute(
              "pads", {c.pad_top, c.pad_left, c.pad_bottom, c.pad_right}),
          onnx::IntAttribute("group", 1)};
}

// Int8 convs from "input_q"; returns the last activation's name.
std::string AddInt8Convs(const format::ModelFile& model, GraphBuilder* g) {
  g->AddInitializer(onnx::FloatTensor("input_scale", {}, {model.input_scale}));
  g->AddInitializer(onnx::Int8Tensor(
      "input_zero_point", {}, {static_cast<int8_t>(model.input_zero_point)}));
  g->AddNode("QuantizeLinear", {"mfcc_nchw", "input_scale", "input_zero_point"},
             {"input_q"});
  std::string x = "input_q", x_scale = "input_scale",
              x_zero_point = "input_zero_point";
  for (size_t i = 0; i < model.convs.size(); ++i) {
    const format::ConvLayer& c = model.convs[i];
    const std::string p = "conv" + std::to_string(i);
    g->AddInitializer(
        onnx::Int8Tensor(p + ".weight", WeightDims(c), ToOihw(c.weights, c)));
    g->AddInitializer(onnx::FloatTensor(p + ".weight_scale", {c.out_channels},
                                        c.weight_scales));
    // Symmetric weights: zero point 0 for every channel.
    g->AddInitializer(onnx::Int8Tensor(p + ".weight_zero_point",
                                       {c.out_channels},
                                       std::vector<int8_t>(c.out_channels)));
    g->AddInitializer(onnx::Int32Tensor(p + ".bias", {c.out_channels}, c.bias));
    g->AddInitializer(
        onnx::FloatTensor(p + ".output_scale", {}, {c.output_scale}));
    g->AddInitializer(
        onnx::Int8Tensor(p + ".output_zero_point", {},
                         {static_cast<int8_t>(c.output_zero_point)}));
    // Our ReLU is the clamp's lower bound max(-128, zero point); at zero
    // point -128 (every ReLU our quantizer writes) saturation is that clamp.
    const bool clip = c.relu && c.output_zero_point > -128;
    const std::string y = clip ? p + ".unclipped" : p;
    g->AddNode("QLinearConv",
               {x, x_scale, x_zero_point, p + ".weight", p + ".weight_scale",
                p + ".weight_zero_point", p + ".output_scale",
                p + ".output_zero_point", p + ".bias"},
               {y}, ConvAttributes(c));
    if (clip) g->AddNode("Clip", {y, p + ".output_zero_point"}, {p});
    x = p;
    x_scale = p + ".output_scale";
    x_zero_point = p + ".output_zero_point";
  }
  g->AddNode("DequantizeLinear", {x, x_scale, x_zero_point}, {"pool_input"});
  return x;
}

// Float convs from "mfcc_nchw"; returns the last activation's name.
std::string AddFloatConvs(const format::ModelFile& model, GraphBuilder* g) {
  std::string x = "mfcc_nchw";
  for (size_t i = 0; i < model.convs.size(); ++i) {
    const format::ConvLayer& c = model.convs[i];
    const std::string p = "conv" + std::to_string(i);
    g->AddInitializer(onnx::FloatTensor(p + ".weight", WeightDims(c),
                                        ToOihw(c.float_weights, c)));
    g->AddInitializer(
        onnx::FloatTensor(p + ".bias", {c.out_channels}, c.float_bias));
    const std::string y = c.relu ? p + ".linear" : p;
    g->AddNode("Conv", {x, p + ".weight", p + ".bias"}, {y}, ConvAttributes(c));
    if (c.relu) g->AddNode("Relu", {y}, {p});
    x = p;
  }
  g->AddNode("Identity", {x}, {"pool_input"});
  return x;
}

void AddHead(const format::ModelFile& model, GraphBuilder* g) {
  const format::DenseLayer& d = model.dense;
  std::vector<float> w, b;
  FloatDense(model, &w, &b);
  g->AddInitializer(
      onnx::FloatTensor("dense.weight", {d.out_channels, d.in_channels}, w));
  g->AddInitializer(onnx::FloatTensor("dense.bias", {d.out_channels}, b));
  g->AddNode("GlobalAveragePool", {"pool_input"}, {"pooled"});
  g->AddNode("Flatten", {"pooled"}, {"pooled_flat"},
             {onnx::IntAttribute("axis", 1)});
  g->AddNode("Gemm", {"pooled_flat", "dense.weight", "dense.bias"}, {"logits"},
             {onnx::IntAttribute("transB", 1)});
}

}  // namespace

StatusOr<std::string> ToOnnx(const format::ModelFile& model,
                             const OnnxOptions& options) {
  // Everything below indexes by the model's shapes: check them first.
  TINYKWS_RETURN_IF_ERROR(CheckConvertible(model, "ONNX export"));
  const FeatureConfig& f = model.features;
  const bool int8 = model.precision == format::Precision::kInt8;

  GraphBuilder g;
  g.AddInput(onnx::ValueInfo("mfcc", DataType::kFloat,
                             {1, f.num_frames(), f.num_mfcc, 1}));
  g.AddInitializer(onnx::Int64Tensor("mfcc_nchw_shape", {4},
                                     {1, 1, f.num_frames(), f.num_mfcc}));
  g.AddNode("Reshape", {"mfcc", "mfcc_nchw_shape"}, {"mfcc_nchw"});
  const std::string last =
      int8 ? AddInt8Convs(model, &g) : AddFloatConvs(model, &g);
  AddHead(model, &g);
  g.AddOutput(onnx::ValueInfo("logits", DataType::kFloat,
                              {1, static_cast<int64_t>(model.labels.size())}));
  // Our activations are [h][w][c]: transposed back from NCHW.
  auto expose = [&](const std::string& value, const std::string& name,
                    const format::ConvLayer& c) {
    g.AddNode("Transpose", {value}, {name},
              {onnx::IntsAttribute("perm", {0, 2, 3, 1})});
    g.AddOutput(
        onnx::ValueInfo(name, int8 ? DataType::kInt8 : DataType::kFloat,
                        {1, c.out_height, c.out_width, c.out_channels}));
  };
  if (options.expose_activation) expose(last, "activation", model.convs.back());
  if (options.expose_layer_activations && int8) {
    g.AddOutput(onnx::ValueInfo("input_q", DataType::kInt8,
                                {1, 1, f.num_frames(), f.num_mfcc}));
    for (size_t i = 0; i < model.convs.size(); ++i) {
      expose("conv" + std::to_string(i), "activation" + std::to_string(i),
             model.convs[i]);
    }
  }

  onnx::ModelHeader header;
  header.ir_version = kIrVersion;
  header.opset = kOpset;
  header.producer_name = "tinykws";
  header.producer_version = TINYKWS_VERSION;
  header.metadata = FrontEndMetadata(model);
  return onnx::ModelBytes(header, g.Graph("tinykws"));
}

}  // namespace tinykws::interop
