// The converted ONNX model in the real ONNX Runtime (onnxruntime-node) agrees
// with our int8 reference: last activations within one int8 step, labels
// equal on at least 99.5 % of the inputs. Random geometries, the committed
// trained models, and (with the shared data) every testing clip.
//
// TINYKWS_ONNX_EXTRA_MODELS (colon-separated .kws paths) adds models to the
// testing-clip run, for measurements on models outside the repository.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <sstream>

#include "../common/interop_cases.hpp"
#include "../common/temp_dir_test.hpp"
#include "layer_reference.hpp"
#include "ort_runner.hpp"
#include "quant/float_model.hpp"
#include "quant/int8_reference.hpp"
#include "quant/quantizer.hpp"

namespace tinykws::testing {
namespace {

namespace fs = std::filesystem;

const std::string kTrainedDir = TINYKWS_SOURCE_DIR "/tests/runtime/data";
const std::string kSpeechCommands =
    TINYKWS_SOURCE_DIR "/../shared/data/speech_commands";
constexpr double kMinLabelAgreement = 0.995;

// How ONNX Runtime's int8 layers compare with ours, each layer on the input
// ONNX Runtime gave it (layer_reference.hpp).
struct LayerAgreement {
  int input_diff = 0;  // QuantizeLinear vs our input quantization, in steps
  int conv_diff = 0;   // worst conv, in steps
  // The float head (Dequantize, pool, Gemm) on ONNX Runtime's last
  // activation against our integer head on the same values: the largest
  // difference relative to the largest logit.
  double head_diff = 0.0;
};

// Our dense head (int8_reference.cpp) on one last activation.
std::vector<float> ReferenceHead(const format::ModelFile& m,
                                 const int8_t* activation) {
  const format::DenseLayer& d = m.dense;
  const int32_t zp = m.convs.back().output_zero_point;
  std::vector<int32_t> pooled(d.in_channels, 0);
  for (int p = 0; p < d.pool_count; ++p) {
    for (int ch = 0; ch < d.in_channels; ++ch) {
      pooled[ch] += int32_t{activation[p * d.in_channels + ch]} - zp;
    }
  }
  std::vector<float> logits(d.out_channels);
  for (int k = 0; k < d.out_channels; ++k) {
    int32_t acc = d.bias[k];
    for (int ch = 0; ch < d.in_channels; ++ch) {
      acc += pooled[ch] * d.weights[k * d.in_channels + ch];
    }
    logits[k] = static_cast<float>(acc) * d.output_scales[k];
  }
  return logits;
}

LayerAgreement CompareLayers(const InteropCase& c, const OrtOutputs& ort) {
  const format::ModelFile& m = c.model;
  const int features = m.features.num_features();
  LayerAgreement a;
  if (ort.input_q.size() != static_cast<size_t>(c.count) * features ||
      ort.layers.size() != m.convs.size()) {
    ADD_FAILURE() << "ONNX Runtime did not output every layer";
    return a;
  }
  for (int i = 0; i < c.count * features; ++i) {
    const int8_t ours = quant::QuantizeInput(c.mfcc[i], 1.0f / m.input_scale,
                                             m.input_zero_point);
    a.input_diff = std::max(a.input_diff, std::abs(ours - ort.input_q[i]));
  }
  for (size_t k = 0; k < m.convs.size(); ++k) {
    const format::ConvLayer& conv = m.convs[k];
    const size_t in_size =
        static_cast<size_t>(conv.in_height) * conv.in_width * conv.in_channels;
    const size_t out_size = static_cast<size_t>(conv.out_height) *
                            conv.out_width * conv.out_channels;
    const std::vector<int8_t>& in = k == 0 ? ort.input_q : ort.layers[k - 1];
    const int32_t in_zp =
        k == 0 ? m.input_zero_point : m.convs[k - 1].output_zero_point;
    if (ort.layers[k].size() != out_size * c.count) {
      ADD_FAILURE() << "activation" << k << " has the wrong size";
      return a;
    }
    for (int i = 0; i < c.count; ++i) {
      const std::vector<int8_t> ours =
          ReferenceConv(conv, in.data() + i * in_size, in_zp);
      for (size_t j = 0; j < out_size; ++j) {
        a.conv_diff = std::max(
            a.conv_diff, std::abs(ours[j] - ort.layers[k][i * out_size + j]));
      }
    }
  }
  const size_t labels = m.labels.size();
  const size_t size = ort.activation.size() / std::max(1, c.count);
  if (ort.activation.size() != c.activation.size() ||
      ort.logits.size() != c.logits.size()) {
    ADD_FAILURE() << "ONNX Runtime's last activation or logits are missing";
    return a;
  }
  double largest = 1e-30, worst = 0.0;
  for (int i = 0; i < c.count; ++i) {
    const std::vector<float> ours =
        ReferenceHead(m, ort.activation.data() + i * size);
    for (size_t k = 0; k < labels; ++k) {
      const double theirs = ort.logits[i * labels + k];
      largest = std::max(largest, std::fabs(theirs));
      worst = std::max(worst, std::fabs(ours[k] - theirs));
    }
  }
  a.head_diff = worst / largest;
  return a;
}

// The share of last-activation values more than one step from ours.
double ShareBeyondOneStep(const InteropCase& c, const OrtOutputs& ort) {
  if (ort.activation.size() != c.activation.size() || c.activation.empty()) {
    return 1.0;
  }
  size_t beyond = 0;
  for (size_t i = 0; i < c.activation.size(); ++i) {
    beyond += std::abs(c.activation[i] - ort.activation[i]) > 1;
  }
  return static_cast<double>(beyond) / c.activation.size();
}

// The inputs whose labels differ, with both logit vectors: how close a call
// each one was.
void PrintLabelDisagreements(const InteropCase& c,
                             const std::vector<float>& theirs) {
  const size_t labels = c.model.labels.size();
  if (theirs.size() != c.logits.size()) return;
  for (int i = 0; i < c.count; ++i) {
    const float* a = c.logits.data() + i * labels;
    const float* b = theirs.data() + i * labels;
    if (std::max_element(a, a + labels) - a ==
        std::max_element(b, b + labels) - b) {
      continue;
    }
    const std::string input = static_cast<size_t>(i) < c.inputs.size()
                                  ? c.inputs[i]
                                  : "input #" + std::to_string(i);
    std::printf("[ onnx ]   label differs on %s: ours", input.c_str());
    for (size_t k = 0; k < labels; ++k) std::printf(" %.4f", a[k]);
    std::printf(", theirs");
    for (size_t k = 0; k < labels; ++k) std::printf(" %.4f", b[k]);
    std::printf("\n");
  }
}

class OnnxInterop : public TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    ASSERT_TRUE(OrtInstalled());
  }

  // Converts, runs in ORT and checks the int8 agreement rules. Each layer is
  // exact up to one step of rounding: QLinearConv requantizes in float
  // (round half to even), ours in fixed point (gemmlowp's two roundings).
  // Through several layers such one-step differences can grow, so end to
  // end the last activation is held to: at most 1 % of its values more than
  // one step off, and the labels to 99.5 % agreement.
  void ExpectAgreement(const InteropCase& c) {
    OrtOutputs ort;
    interop::OnnxOptions options;
    options.expose_activation = true;
    options.expose_layer_activations = true;
    ASSERT_TRUE(RunInOrt(c, Path(c.name), options, &ort));
    const Agreement a = Compare(c, ort.logits, ort.activation);
    const LayerAgreement layers = CompareLayers(c, ort);
    const double beyond = ShareBeyondOneStep(c, ort);
    PrintAgreement(c, a);
    std::printf(
        "[ onnx ] %-22s per layer: input max diff %d, conv max diff %d "
        "step(s), head %.2g (relative); last activation %.4f %% of values > "
        "1 step off\n",
        c.name.c_str(), layers.input_diff, layers.conv_diff, layers.head_diff,
        100.0 * beyond);
    PrintLabelDisagreements(c, ort.logits);
    EXPECT_EQ(ort.logits.size(), c.logits.size());
    EXPECT_LE(layers.input_diff, 1);
    EXPECT_LE(layers.conv_diff, 1);
    EXPECT_LE(layers.head_diff, 1e-5);  // float rounding only
    EXPECT_GE(a.max_activation_diff, 0) << "activation not compared";
    EXPECT_LE(beyond, 0.01);
    EXPECT_GE(a.label_agreement(), kMinLabelAgreement);
  }
};

struct Geometry {
  std::string name;
  std::vector<ConvShape> shapes;
  int labels = 2;
};

// Test names and failure messages show the geometry's name.
void PrintTo(const Geometry& g, std::ostream* os) { *os << g.name; }

ConvShape Shape(int filters, int kh, int kw, int stride = 1, int dilation = 1,
                bool same = true, bool relu = true) {
  ConvShape s;
  s.out_channels = filters;
  s.kernel_h = kh;
  s.kernel_w = kw;
  s.stride_h = s.stride_w = stride;
  s.dilation_h = s.dilation_w = dilation;
  s.same = same;
  s.relu = relu;
  return s;
}

std::vector<Geometry> Geometries() {
  ConvShape rect_stride = Shape(8, 3, 3);
  rect_stride.stride_h = 2;  // strides and dilations differ per axis
  rect_stride.dilation_w = 2;
  return {
      {"same_3x3", {Shape(8, 3, 3)}, 2},
      {"valid_3x3", {Shape(8, 3, 3, 1, 1, false)}, 3},
      {"stride_2", {Shape(8, 3, 3, 2), Shape(12, 3, 3, 2)}, 2},
      {"dilation_2", {Shape(8, 3, 3, 1, 2), Shape(8, 3, 3, 1, 2, false)}, 4},
      {"kernel_3x10",
       {Shape(12, 3, 10, 1, 1, false), Shape(12, 3, 1, 1, 2)},
       2},
      {"mixed_axes", {rect_stride, Shape(6, 5, 3, 1, 1, false)}, 3},
      {"four_layers",
       {Shape(8, 3, 3), Shape(16, 3, 3, 2), Shape(16, 3, 3), Shape(24, 1, 1)},
       4},
      {"linear_layer",
       {Shape(8, 3, 3), Shape(8, 3, 3, 1, 1, true, /*relu=*/false),
        Shape(8, 3, 3)},
       3},
      {"linear_last", {Shape(8, 3, 3), Shape(8, 3, 3, 1, 1, false, false)}, 2},
  };
}

class OnnxGeometry : public OnnxInterop,
                     public ::testing::WithParamInterface<Geometry> {};

TEST_P(OnnxGeometry, RandomModelAgreesWithTheReference) {
  const Geometry& g = GetParam();
  const uint32_t seed = 1000 + static_cast<uint32_t>(g.name.size());
  const InteropCase c = RandomCase(g.name, g.shapes, g.labels, seed, 200);
  ASSERT_FALSE(c.model.convs.empty()) << "the random model did not quantize";
  ExpectAgreement(c);
}

INSTANTIATE_TEST_SUITE_P(Geometries, OnnxGeometry,
                         ::testing::ValuesIn(Geometries()),
                         [](const ::testing::TestParamInfo<Geometry>& param) {
                           return param.param.name;
                         });

// A ReLU whose output zero point is above -128 (our quantizer never writes
// one, a hand-made or other tool's model may): the graph clamps with Clip.
TEST_F(OnnxInterop, ReluWithAGeneralZeroPointIsClamped) {
  InteropCase c = RandomCase("relu_zero_point",
                             {Shape(8, 3, 3), Shape(8, 3, 3)}, 2, 77, 200);
  for (format::ConvLayer& conv : c.model.convs) conv.output_zero_point = -40;
  RunReference(&c);
  int clamped = 0;
  for (int8_t v : c.activation) clamped += v == -40;
  ASSERT_GT(clamped, 0) << "the clamp never acted: not a test of it";
  ExpectAgreement(c);
}

TEST_F(OnnxInterop, CommittedTrainedModelsAgreeOnRandomInputs) {
  for (const char* name : {"go_stop_tuned", "go_stop_seed"}) {
    StatusOr<format::ModelFile> model =
        format::ReadModelFile(kTrainedDir + "/" + name + ".kws");
    ASSERT_TRUE(model.ok()) << model.status().message();
    InteropCase c;
    c.name = std::string(name) + "_random";
    c.model = *model;
    std::mt19937 rng(5);
    for (c.count = 0; c.count < 200; ++c.count) {
      const std::vector<float> x = RandomMfcc(c.model.features, rng);
      c.mfcc.insert(c.mfcc.end(), x.begin(), x.end());
    }
    RunReference(&c);
    ExpectAgreement(c);
  }
}

// An fp32 model file becomes a float Conv/Relu graph; compared with our float
// executor (no int8 steps here: a float tolerance on the logits).
TEST_F(OnnxInterop, FloatModelAgreesWithTheFloatExecutor) {
  const quant::FloatModel fm = RandomFloatModel(
      SmallFeatures(), {Shape(8, 3, 3), Shape(8, 3, 3, 2, 1, false)}, 3, 9);
  InteropCase c;
  c.name = "float_model";
  c.model = quant::FloatModelFile(fm);
  quant::FloatExecutor executor(fm);
  std::mt19937 rng(3);
  std::vector<float> logits(3);
  for (c.count = 0; c.count < 100; ++c.count) {
    const std::vector<float> x = RandomMfcc(fm.features, rng);
    executor.Run(x.data(), logits.data(), nullptr);
    c.mfcc.insert(c.mfcc.end(), x.begin(), x.end());
    c.logits.insert(c.logits.end(), logits.begin(), logits.end());
  }
  OrtOutputs ort;
  ASSERT_TRUE(RunInOrt(c, Path(c.name), {}, &ort));
  const Agreement a = Compare(c, ort.logits, {});
  PrintAgreement(c, a);
  double largest = 0.0;
  for (float v : c.logits) largest = std::max(largest, std::fabs(double{v}));
  EXPECT_LE(a.max_logit_diff, 1e-4 * largest);
  EXPECT_GE(a.label_agreement(), kMinLabelAgreement);
}

// The trained models on every clip of the shared data set's testing list.
TEST_F(OnnxInterop, TrainedModelsAgreeOnEveryTestingClip) {
  if (!fs::exists(kSpeechCommands + "/testing_list.txt")) {
    GTEST_SKIP() << "no data set at " << kSpeechCommands;
  }
  std::vector<std::string> models = {kTrainedDir + "/go_stop_tuned.kws",
                                     kTrainedDir + "/go_stop_seed.kws"};
  if (const char* extra = std::getenv("TINYKWS_ONNX_EXTRA_MODELS")) {
    std::stringstream list(extra);
    for (std::string path; std::getline(list, path, ':');) {
      if (!path.empty()) models.push_back(path);
    }
  }
  for (const std::string& path : models) {
    SCOPED_TRACE(path);
    InteropCase c;
    ASSERT_TRUE(TestingClipsCase(path, kSpeechCommands, &c));
    ASSERT_GT(c.count, 0);
    c.name += "_testing";
    ExpectAgreement(c);
  }
}

}  // namespace
}  // namespace tinykws::testing
