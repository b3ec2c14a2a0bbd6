// The ONNX writer's bytes, read back with a protobuf reader of the test's
// own (proto_reader.hpp): the model header, the metadata, the graph's ops,
// inputs and outputs, the weight layout; and the models it refuses.
#include "interop/onnx_writer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "../common/random_model.hpp"
#include "interop/front_end_metadata.hpp"
#include "proto_reader.hpp"
#include "quant/quantizer.hpp"

namespace tinykws::testing {
namespace {

// onnx/onnx.proto field numbers the checks read.
enum ModelField {
  kIrVersion = 1,
  kProducerName = 2,
  kGraph = 7,
  kOpset = 8,
  kMetadata = 14
};
enum GraphField { kNode = 1, kInitializer = 5, kInput = 11, kOutput = 12 };
enum NodeField { kNodeInput = 1, kNodeOutput = 2, kOpType = 4, kAttribute = 5 };
enum TensorField { kDims = 1, kDataType = 2, kTensorName = 8, kRawData = 9 };

format::ModelFile Int8Model(const std::vector<ConvShape>& shapes, int labels) {
  return RandomInt8Model(RandomFloatModel(SmallFeatures(), shapes, labels, 11),
                         11);
}

ConvShape Conv(int filters, int kh, int kw, bool relu = true) {
  ConvShape s;
  s.out_channels = filters;
  s.kernel_h = kh;
  s.kernel_w = kw;
  s.relu = relu;
  return s;
}

ProtoMessage Parsed(const format::ModelFile& model,
                    const interop::OnnxOptions& options = {}) {
  StatusOr<std::string> bytes = interop::ToOnnx(model, options);
  EXPECT_TRUE(bytes.ok()) << bytes.status().message();
  ProtoMessage m = ParseProto(bytes.ok() ? *bytes : "");
  EXPECT_TRUE(m.ok) << "not a well-formed protobuf message";
  return m;
}

ProtoMessage GraphOf(const ProtoMessage& model) {
  return ParseProto(model.String(kGraph));
}

std::vector<std::string> OpTypes(const ProtoMessage& graph) {
  std::vector<std::string> ops;
  for (const ProtoField* n : graph.All(kNode)) {
    ops.push_back(ParseProto(n->bytes).String(kOpType));
  }
  return ops;
}

// name -> "dims type" of the graph's inputs or outputs (ValueInfoProto:
// name 1, type 2 -> TypeProto.tensor_type 1 -> elem_type 1, shape 2 -> dim 1
// -> dim_value 1).
std::vector<std::string> ValueInfos(const ProtoMessage& graph, int field) {
  std::vector<std::string> out;
  for (const ProtoField* v : graph.All(field)) {
    const ProtoMessage info = ParseProto(v->bytes);
    const ProtoMessage tensor =
        ParseProto(ParseProto(info.String(2)).String(1));
    std::string text = info.String(1) + " [";
    const ProtoMessage shape = ParseProto(tensor.String(2));  // outlives All
    for (const ProtoField* d : shape.All(1)) {
      text += std::to_string(ParseProto(d->bytes).Int(1)) + ",";
    }
    out.push_back(text + "] type " + std::to_string(tensor.Int(1)));
  }
  return out;
}

ProtoMessage Initializer(const ProtoMessage& graph, const std::string& name) {
  for (const ProtoField* t : graph.All(kInitializer)) {
    ProtoMessage tensor = ParseProto(t->bytes);
    if (tensor.String(kTensorName) == name) return tensor;
  }
  ADD_FAILURE() << "no initializer " << name;
  return {};
}

TEST(OnnxWriter, ModelHeaderAndMetadata) {
  const format::ModelFile model = Int8Model({Conv(8, 3, 3)}, 2);
  const ProtoMessage m = Parsed(model);
  EXPECT_EQ(m.Int(kIrVersion), 7);
  EXPECT_EQ(m.String(kProducerName), "tinykws");
  ASSERT_EQ(m.All(kOpset).size(), 1u);
  const ProtoMessage opset = ParseProto(m.All(kOpset)[0]->bytes);
  EXPECT_EQ(opset.String(1), "");  // the default domain
  EXPECT_EQ(opset.Int(2), 13);
  const interop::KeyValues expected = interop::FrontEndMetadata(model);
  const std::vector<const ProtoField*> entries = m.All(kMetadata);
  ASSERT_EQ(entries.size(), expected.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    const ProtoMessage entry = ParseProto(entries[i]->bytes);
    EXPECT_EQ(entry.String(1), expected[i].first);
    EXPECT_EQ(entry.String(2), expected[i].second);
  }
}

TEST(OnnxWriter, Int8GraphIsTheRuntimesGraph) {
  const format::ModelFile model =
      Int8Model({Conv(8, 3, 3), Conv(6, 3, 1, /*relu=*/false)}, 3);
  const ProtoMessage g = GraphOf(Parsed(model, {/*expose_activation=*/true}));
  EXPECT_EQ(OpTypes(g),
            (std::vector<std::string>{"Reshape", "QuantizeLinear",
                                      "QLinearConv", "QLinearConv",
                                      "DequantizeLinear", "GlobalAveragePool",
                                      "Flatten", "Gemm", "Transpose"}));
  const FeatureConfig& f = model.features;
  const std::string frames = std::to_string(f.num_frames());
  const std::string mfcc = std::to_string(f.num_mfcc);
  const format::ConvLayer& last = model.convs.back();
  EXPECT_EQ(ValueInfos(g, kInput),
            (std::vector<std::string>{"mfcc [1," + frames + "," + mfcc +
                                      ",1,] type 1"}));
  EXPECT_EQ(ValueInfos(g, kOutput),
            (std::vector<std::string>{
                "logits [1,3,] type 1",
                "activation [1," + std::to_string(last.out_height) + "," +
                    std::to_string(last.out_width) + ",6,] type 3"}));
}

TEST(OnnxWriter, ConvWeightsAreWrittenOutInKhKw) {
  const format::ModelFile model = Int8Model({Conv(4, 3, 2)}, 2);
  const format::ConvLayer& c = model.convs[0];
  const ProtoMessage w = Initializer(GraphOf(Parsed(model)), "conv0.weight");
  EXPECT_EQ(PackedInts(w.String(kDims)),
            (std::vector<int64_t>{4, 1, 3, 2}));  // [out][in][kh][kw]
  EXPECT_EQ(w.Int(kDataType), 3);                 // int8
  const std::string raw = w.String(kRawData);
  ASSERT_EQ(raw.size(), c.weights.size());
  // With one input channel [out][kh][kw][in] and [out][in][kh][kw] are the
  // same bytes; the two-layer check below covers in > 1.
  for (size_t i = 0; i < raw.size(); ++i) {
    EXPECT_EQ(static_cast<int8_t>(raw[i]), c.weights[i]) << i;
  }
  const format::ModelFile two = Int8Model({Conv(4, 3, 3), Conv(5, 3, 2)}, 2);
  const format::ConvLayer& c1 = two.convs[1];
  const std::string raw1 =
      Initializer(GraphOf(Parsed(two)), "conv1.weight").String(kRawData);
  ASSERT_EQ(raw1.size(), c1.weights.size());
  for (int o = 0; o < c1.out_channels; ++o) {
    for (int y = 0; y < c1.kernel_h; ++y) {
      for (int x = 0; x < c1.kernel_w; ++x) {
        for (int i = 0; i < c1.in_channels; ++i) {
          const int ours = ((o * c1.kernel_h + y) * c1.kernel_w + x) * 4 + i;
          const int onnx = ((o * 4 + i) * c1.kernel_h + y) * c1.kernel_w + x;
          ASSERT_EQ(static_cast<int8_t>(raw1[onnx]), c1.weights[ours]);
        }
      }
    }
  }
}

TEST(OnnxWriter, ReluAboveTheLowestZeroPointGetsAClip) {
  format::ModelFile model = Int8Model({Conv(8, 3, 3), Conv(8, 3, 3)}, 2);
  model.convs[0].output_zero_point = -20;
  const std::vector<std::string> ops = OpTypes(GraphOf(Parsed(model)));
  EXPECT_EQ(std::count(ops.begin(), ops.end(), "Clip"), 1);
  EXPECT_EQ(ops[3], "Clip");  // right after the first QLinearConv
}

TEST(OnnxWriter, FloatModelIsAFloatGraph) {
  const quant::FloatModel fm = RandomFloatModel(
      SmallFeatures(), {Conv(8, 3, 3), Conv(8, 3, 3, false)}, 2, 4);
  const ProtoMessage m = Parsed(quant::FloatModelFile(fm));
  EXPECT_EQ(
      OpTypes(GraphOf(m)),
      (std::vector<std::string>{"Reshape", "Conv", "Relu", "Conv", "Identity",
                                "GlobalAveragePool", "Flatten", "Gemm"}));
}

TEST(OnnxWriter, RefusesAnInvalidModel) {
  format::ModelFile model = Int8Model({Conv(8, 3, 3)}, 2);
  model.convs[0].bias.pop_back();
  StatusOr<std::string> bytes = interop::ToOnnx(model);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(
      bytes.status().message().find("section 'biases' has the wrong size"),
      std::string::npos)
      << bytes.status().message();
  EXPECT_FALSE(interop::ToOnnx(format::ModelFile{}).ok());
}

// QLinearConv requantizes with input * weight / output scale: a model whose
// fixed-point multipliers say something else cannot be written faithfully.
TEST(OnnxWriter, RefusesMultipliersThatDisagreeWithTheScales) {
  format::ModelFile model = Int8Model({Conv(8, 3, 3), Conv(8, 3, 3)}, 2);
  model.convs[1].multipliers[2] -= model.convs[1].multipliers[2] / 100;
  StatusOr<std::string> bytes = interop::ToOnnx(model);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(bytes.status().message().find("conv[1] channel 2"),
            std::string::npos)
      << bytes.status().message();
}

}  // namespace
}  // namespace tinykws::testing
