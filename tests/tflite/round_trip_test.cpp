// The TFLite writer read back by our reader: every tensor, quantization,
// operator, option and metadata entry checked against the .kws model.
#include <cmath>
#include <nlohmann/json.hpp>

#include "interop/front_end_metadata.hpp"
#include "tflite_test_util.hpp"

namespace tinykws::testing {
namespace {

namespace tfl = interop::tflite;
using interop::TfliteGraph;
using interop::TfliteOperator;
using interop::TfliteTensor;

std::vector<int32_t> Codes(const TfliteGraph& g) {
  std::vector<int32_t> codes;
  for (const TfliteOperator& op : g.operators) codes.push_back(op.builtin_code);
  return codes;
}

std::string MetadataText(const TfliteGraph& g, const std::string& name) {
  for (const auto& [key, buffer] : g.metadata) {
    if (key == name) return g.buffers.at(buffer);
  }
  return "(absent)";
}

void ExpectQuantized(const TfliteTensor& t, std::vector<float> scale,
                     std::vector<int64_t> zero_point, int dimension = 0) {
  EXPECT_EQ(t.scale, scale) << t.name;
  EXPECT_EQ(t.zero_point, zero_point) << t.name;
  EXPECT_EQ(t.quantized_dimension, dimension) << t.name;
}

// Checks conv i of an int8 model: operator, weights, bias, output.
void ExpectInt8Conv(const TfliteGraph& g, const TfliteOperator& op,
                    const format::ConvLayer& c, float in_scale,
                    int8_t padding) {
  EXPECT_EQ(op.builtin_code, tfl::kConv2d);
  EXPECT_EQ(op.version, 3);
  ASSERT_EQ(op.inputs.size(), 3u);
  ASSERT_EQ(op.outputs.size(), 1u);
  EXPECT_EQ(op.options.type, tfl::kConv2dOptions);
  EXPECT_EQ(op.options.padding, padding);
  EXPECT_EQ(op.options.stride_h, c.stride_h);
  EXPECT_EQ(op.options.stride_w, c.stride_w);
  EXPECT_EQ(op.options.dilation_h, c.dilation_h);
  EXPECT_EQ(op.options.dilation_w, c.dilation_w);
  EXPECT_EQ(op.options.activation, c.relu ? tfl::kRelu : tfl::kNoActivation);
  const TfliteTensor& w = g.tensors[op.inputs[1]];
  EXPECT_EQ(w.type, tfl::kInt8);
  EXPECT_EQ(w.shape, (std::vector<int32_t>{c.out_channels, c.kernel_h,
                                           c.kernel_w, c.in_channels}));
  ExpectQuantized(w, c.weight_scales, std::vector<int64_t>(c.out_channels, 0));
  EXPECT_EQ(TensorData<int8_t>(g, op.inputs[1]), c.weights);
  const TfliteTensor& b = g.tensors[op.inputs[2]];
  EXPECT_EQ(b.type, tfl::kInt32);
  EXPECT_EQ(b.shape, std::vector<int32_t>{c.out_channels});
  EXPECT_EQ(TensorData<int32_t>(g, op.inputs[2]), c.bias);
  ASSERT_EQ(b.scale.size(), c.weight_scales.size());
  for (size_t o = 0; o < b.scale.size(); ++o) {
    // TFLite requires input * weight scale within 1e-6 (relative).
    const double want = double{in_scale} * c.weight_scales[o];
    EXPECT_NEAR(b.scale[o], want, 1e-7 * want);
  }
  const TfliteTensor& out = g.tensors[op.outputs[0]];
  EXPECT_EQ(out.type, tfl::kInt8);
  EXPECT_EQ(out.shape, (std::vector<int32_t>{1, c.out_height, c.out_width,
                                             c.out_channels}));
  ExpectQuantized(out, {c.output_scale}, {c.output_zero_point});
}

TEST(TfliteRoundTripTest, Int8GraphMatchesTheModel) {
  const format::ModelFile m =
      Int8Model({ConvShape{8, 3, 10, 2, 1, 1, 1, true, true},
                 ConvShape{6, 3, 3, 1, 2, 2, 1, false, false}},
                3);
  ASSERT_EQ(m.convs.size(), 2u);
  const TfliteGraph g = ConvertAndParse(m);
  EXPECT_EQ(g.version, 3u);
  EXPECT_EQ(g.description, "tinykws label0,label1,label2");
  EXPECT_EQ(g.subgraph_name, "main");
  EXPECT_EQ(Codes(g), (std::vector<int32_t>{tfl::kQuantize, tfl::kConv2d,
                                            tfl::kConv2d, tfl::kDequantize,
                                            tfl::kMean, tfl::kFullyConnected}));
  ASSERT_EQ(g.inputs.size(), 1u);
  ASSERT_EQ(g.outputs.size(), 1u);
  const TfliteTensor& in = g.tensors[g.inputs[0]];
  EXPECT_EQ(in.name, "mfcc");
  EXPECT_EQ(in.type, tfl::kFloat32);
  EXPECT_EQ(in.shape, (std::vector<int32_t>{1, m.features.num_frames(),
                                            m.features.num_mfcc, 1}));
  EXPECT_TRUE(in.scale.empty());
  EXPECT_EQ(in.buffer, 0u);

  const TfliteOperator& quantize = g.operators[0];
  EXPECT_EQ(quantize.inputs, g.inputs);
  const TfliteTensor& q = g.tensors[quantize.outputs.at(0)];
  EXPECT_EQ(q.type, tfl::kInt8);
  ExpectQuantized(q, {m.input_scale}, {m.input_zero_point});
  EXPECT_EQ(g.operators[1].inputs[0], quantize.outputs[0]);

  ExpectInt8Conv(g, g.operators[1], m.convs[0], m.input_scale, tfl::kSame);
  ExpectInt8Conv(g, g.operators[2], m.convs[1], m.convs[0].output_scale,
                 tfl::kValid);
  EXPECT_EQ(g.operators[2].inputs[0], g.operators[1].outputs[0]);
  EXPECT_EQ(g.tensors[g.operators[2].outputs[0]].name, "activation");

  const TfliteOperator& dequantize = g.operators[3];
  EXPECT_EQ(dequantize.version, 2);
  EXPECT_EQ(dequantize.inputs, g.operators[2].outputs);
  const TfliteOperator& mean = g.operators[4];
  EXPECT_EQ(mean.inputs[0], dequantize.outputs[0]);
  EXPECT_EQ(TensorData<int32_t>(g, mean.inputs[1]),
            (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(mean.options.type, tfl::kReducerOptions);
  EXPECT_FALSE(mean.options.keep_dims);
  EXPECT_EQ(g.tensors[mean.outputs[0]].shape,
            (std::vector<int32_t>{1, m.dense.in_channels}));

  // The float head reproduces acc[k] * output_scales[k] (DenseLayer).
  const TfliteOperator& fc = g.operators[5];
  EXPECT_EQ(fc.inputs[0], mean.outputs[0]);
  EXPECT_EQ(fc.options.type, tfl::kFullyConnectedOptions);
  EXPECT_EQ(fc.options.activation, tfl::kNoActivation);
  EXPECT_FALSE(fc.options.keep_num_dims);
  const format::DenseLayer& d = m.dense;
  EXPECT_EQ(g.tensors[fc.inputs[1]].shape,
            (std::vector<int32_t>{d.out_channels, d.in_channels}));
  const std::vector<float> w = TensorData<float>(g, fc.inputs[1]);
  const std::vector<float> b = TensorData<float>(g, fc.inputs[2]);
  ASSERT_EQ(w.size(), d.weights.size());
  ASSERT_EQ(b.size(), static_cast<size_t>(d.out_channels));
  const double s = m.convs.back().output_scale;
  for (int k = 0; k < d.out_channels; ++k) {
    EXPECT_FLOAT_EQ(b[k], d.bias[k] * d.output_scales[k]);
    for (int c = 0; c < d.in_channels; ++c) {
      const int i = k * d.in_channels + c;
      EXPECT_FLOAT_EQ(w[i],
                      static_cast<float>(d.weights[i] * d.output_scales[k] *
                                         d.pool_count / s));
    }
  }
  const TfliteTensor& logits = g.tensors[g.outputs[0]];
  EXPECT_EQ(logits.name, "logits");
  EXPECT_EQ(logits.shape, (std::vector<int32_t>{1, d.out_channels}));
  EXPECT_EQ(fc.outputs, g.outputs);

  // The blob is JSON holding every front-end pair, in order.
  const nlohmann::ordered_json json = nlohmann::ordered_json::parse(
      MetadataText(g, "tinykws"), nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(json.is_object()) << MetadataText(g, "tinykws");
  const interop::KeyValues expected = interop::FrontEndMetadata(m);
  ASSERT_EQ(json.size(), expected.size());
  size_t i = 0;
  for (const auto& [key, value] : json.items()) {
    EXPECT_EQ(key, expected[i].first);
    EXPECT_EQ(value, expected[i].second) << key;
    ++i;
  }
  EXPECT_EQ(MetadataText(g, "min_runtime_version"),
            std::string("1.14.0") + std::string(10, '\0'));
  EXPECT_TRUE(g.buffers[0].empty());
}

TEST(TfliteRoundTripTest, ExposedActivationIsASecondOutput) {
  const format::ModelFile m = Int8Model({ConvShape{}}, 2);
  interop::TfliteOptions options;
  options.expose_activation = true;
  const TfliteGraph g = ConvertAndParse(m, options);
  ASSERT_EQ(g.outputs.size(), 2u);
  const TfliteTensor& a = g.tensors[g.outputs[1]];
  EXPECT_EQ(a.name, "activation");
  EXPECT_EQ(a.type, tfl::kInt8);
  EXPECT_EQ(g.operators[1].outputs[0], g.outputs[1]);
}

TEST(TfliteRoundTripTest, PadsTfliteCannotExpressBecomeAPadOperator) {
  const format::ModelFile m = PadOpModel(2);
  const format::ConvLayer& c = m.convs[0];
  const TfliteGraph g = ConvertAndParse(m);
  ASSERT_EQ(Codes(g), (std::vector<int32_t>{
                          tfl::kQuantize, tfl::kPad, tfl::kConv2d, tfl::kConv2d,
                          tfl::kDequantize, tfl::kMean, tfl::kFullyConnected}));
  const TfliteOperator& pad = g.operators[1];
  EXPECT_EQ(pad.version, 2);
  EXPECT_EQ(pad.inputs[0], g.operators[0].outputs[0]);
  EXPECT_EQ(TensorData<int32_t>(g, pad.inputs[1]),
            (std::vector<int32_t>{0, 0, c.pad_top, c.pad_bottom, c.pad_left,
                                  c.pad_right, 0, 0}));
  const TfliteTensor& padded = g.tensors[pad.outputs[0]];
  EXPECT_EQ(padded.shape,
            (std::vector<int32_t>{1, c.in_height + c.pad_top + c.pad_bottom,
                                  c.in_width + c.pad_left + c.pad_right, 1}));
  // Padding with the zero point is padding with real 0.
  ExpectQuantized(padded, {m.input_scale}, {m.input_zero_point});
  ExpectInt8Conv(g, g.operators[2], c, m.input_scale, tfl::kValid);
  EXPECT_EQ(g.operators[2].inputs[0], pad.outputs[0]);
  // The second conv's symmetric pads are plain SAME.
  EXPECT_EQ(g.operators[3].options.padding, tfl::kSame);
}

TEST(TfliteRoundTripTest, Float32ModelIsAPlainFloatGraph) {
  const format::ModelFile m =
      Float32Model({ConvShape{8, 3, 3, 1, 1, 2, 1, true, true},
                    ConvShape{4, 3, 3, 2, 2, 1, 1, false, false}},
                   2);
  const TfliteGraph g = ConvertAndParse(m);
  ASSERT_EQ(Codes(g), (std::vector<int32_t>{tfl::kConv2d, tfl::kConv2d,
                                            tfl::kMean, tfl::kFullyConnected}));
  for (int i = 0; i < 2; ++i) {
    const TfliteOperator& op = g.operators[i];
    EXPECT_EQ(op.version, 1);
    EXPECT_EQ(g.tensors[op.inputs[0]].type, tfl::kFloat32);
    EXPECT_TRUE(g.tensors[op.outputs[0]].scale.empty());
    EXPECT_EQ(TensorData<float>(g, op.inputs[1]), m.convs[i].float_weights);
    EXPECT_EQ(TensorData<float>(g, op.inputs[2]), m.convs[i].float_bias);
    EXPECT_EQ(op.options.padding, i == 0 ? tfl::kSame : tfl::kValid);
  }
  EXPECT_EQ(g.operators[0].options.dilation_h, 2);
  EXPECT_EQ(g.operators[1].options.stride_w, 2);
  EXPECT_EQ(g.operators[2].inputs[0], g.operators[1].outputs[0]);
  EXPECT_EQ(TensorData<float>(g, g.operators[3].inputs[1]),
            m.dense.float_weights);
  EXPECT_EQ(TensorData<float>(g, g.operators[3].inputs[2]), m.dense.float_bias);
}

// SerializeTflite and ParseTflite are inverses on everything they carry.
TEST(TfliteRoundTripTest, ReserializingTheParsedGraphGivesTheSameBytes) {
  for (const format::ModelFile& m :
       {Int8Model({ConvShape{}, ConvShape{}}, 4), PadOpModel(3),
        Float32Model({ConvShape{}}, 2)}) {
    const StatusOr<std::string> bytes = interop::ToTflite(m);
    ASSERT_TRUE(bytes.ok()) << bytes.status();
    const StatusOr<TfliteGraph> g = interop::ParseTflite(*bytes);
    ASSERT_TRUE(g.ok()) << g.status();
    EXPECT_EQ(interop::SerializeTflite(*g), *bytes);
  }
}

}  // namespace
}  // namespace tinykws::testing
