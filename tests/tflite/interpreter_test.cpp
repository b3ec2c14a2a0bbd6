// Converted models run in a real TFLite interpreter (tfjs-tflite, TFLite
// compiled to WebAssembly, in headless Chromium: tools/interop/
// run_tflite.mjs). That runtime delegates the whole graph to XNNPACK, whose
// int8 requantization rounds in float (xnnpack_twin.hpp). Checked: the last
// activations equal XNNPACK's arithmetic on our model exactly, the float
// head's logits equal the exact ones up to float rounding, labels agree with
// our int8 reference on >= 99.5 % of inputs, and a single conv is within 1
// step of it. float32 models give our float executor's logits up to float
// rounding. One browser run per test serves all its models.
//
// TINYKWS_TFLITE_EXTRA_MODELS (':'-separated .kws paths) adds models to the
// testing-clips test.
// interop_cases.hpp uses gtest without including it.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "../common/interop_cases.hpp"
#include "../common/run_command.hpp"
#include "../common/temp_dir_test.hpp"
#include "tflite_test_util.hpp"
#include "xnnpack_twin.hpp"

namespace tinykws::testing {
namespace {

namespace fs = std::filesystem;

const std::string kSource = TINYKWS_SOURCE_DIR;
const std::string kScript = kSource + "/tools/interop/run_tflite.mjs";

// Missing tools are a setup problem to fix, not a reason to skip.
::testing::AssertionResult InterpreterInstalled() {
  const char* chromium = std::getenv("TINYKWS_CHROMIUM");
  return InteropToolsInstalled(
      {kSource + "/tools/interop/node_modules/@tensorflow/tfjs-tflite",
       kSource + "/tools/interop/node_modules/playwright-core",
       chromium ? chromium : "/usr/bin/chromium"});
}

struct TwinAgreement {
  int max_twin_diff = -1;          // interpreter vs XNNPACK twin, int8 steps
  double max_twin_logit_diff = 0;  // logits vs the twin's, absolute
  double differ_from_ours = 0.0;   // fraction of activations != our reference
};

TwinAgreement CompareWithTwin(const InteropCase& c,
                              const std::vector<int8_t>& theirs,
                              const std::vector<float>& theirs_logits) {
  TwinAgreement t;
  const size_t size = ActivationSize(c);
  const size_t labels = c.model.labels.size();
  if (theirs.size() != c.activation.size() || theirs.empty() ||
      theirs_logits.size() != c.logits.size()) {
    return t;
  }
  t.max_twin_diff = 0;
  size_t differ = 0;
  for (int i = 0; i < c.count; ++i) {
    const std::vector<int8_t> twin = XnnpackLastActivation(
        c.model, c.mfcc.data() + i * c.model.features.num_features());
    for (size_t k = 0; k < size; ++k) {
      const int8_t v = theirs[i * size + k];
      t.max_twin_diff = std::max(t.max_twin_diff, std::abs(v - twin[k]));
      differ += v != c.activation[i * size + k];
    }
    const std::vector<double> logits = LogitsOf(c.model, twin);
    for (size_t k = 0; k < labels; ++k) {
      t.max_twin_logit_diff =
          std::max(t.max_twin_logit_diff,
                   std::fabs(logits[k] - theirs_logits[i * labels + k]));
    }
  }
  t.differ_from_ours = static_cast<double>(differ) / theirs.size();
  return t;
}

bool IsInt8(const InteropCase& c) {
  return c.model.precision == format::Precision::kInt8;
}

// A float32 model on random inputs, with our float executor's logits.
InteropCase Float32Case(const std::string& name,
                        const std::vector<ConvShape>& shapes, int labels,
                        uint32_t seed, int count) {
  InteropCase c;
  c.name = name;
  const quant::FloatModel float_model =
      RandomFloatModel(SmallFeatures(), shapes, labels, seed);
  c.model = quant::FloatModelFile(float_model);
  quant::FloatExecutor executor(float_model);
  std::mt19937 rng(seed + 1);
  std::vector<float> logits(labels);
  for (int i = 0; i < count; ++i) {
    const std::vector<float> x = RandomMfcc(float_model.features, rng);
    c.mfcc.insert(c.mfcc.end(), x.begin(), x.end());
    executor.Run(x.data(), logits.data(), nullptr);
    c.logits.insert(c.logits.end(), logits.begin(), logits.end());
  }
  c.count = count;
  return c;
}

// Float graphs: the same logits up to float rounding, the same labels.
void CheckFloat32(const InteropCase& c, const std::vector<float>& logits) {
  const Agreement a = Compare(c, logits, {});
  std::printf("%-24s %6d %7.2f%% %8s %8s %9s %10.3g %8.4f (float32)\n",
              c.name.c_str(), a.count, 100.0 * a.label_agreement(), "-", "-",
              "-", a.max_logit_diff, a.max_logit_steps);
  EXPECT_EQ(logits.size(), c.logits.size()) << c.name;
  EXPECT_GE(a.label_agreement(), 0.995) << c.name;
  EXPECT_LT(a.max_logit_steps, 0.01) << c.name;
}

class TfliteInterpreterTest : public TempDirTest {
 protected:
  // Converts every case (exposing the activation), runs them all in one
  // browser and checks and prints each case's agreement with our reference.
  void RunAndCompare(const std::vector<InteropCase>& cases) {
    ASSERT_TRUE(InterpreterInstalled());
    std::vector<std::string> argv = {"node", kScript};
    for (size_t i = 0; i < cases.size(); ++i) {
      const fs::path dir = fs::path(dir_) / ("case" + std::to_string(i));
      WriteCaseFiles(cases[i], dir);
      interop::TfliteOptions options;
      options.expose_activation = IsInt8(cases[i]);
      const StatusOr<std::string> bytes =
          interop::ToTflite(cases[i].model, options);
      ASSERT_TRUE(bytes.ok()) << cases[i].name << ": " << bytes.status();
      std::ofstream(dir / "model.tflite", std::ios::binary) << *bytes;
      argv.push_back(dir.string());
    }
    const auto start = std::chrono::steady_clock::now();
    const CommandResult run = RunCommand(argv);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    std::printf("%s", run.out.c_str());
    std::printf("interpreter run (%zu models): %.1f s\n", cases.size(),
                seconds);
    std::printf("%-24s %6s %8s %8s %8s %9s %10s %8s %10s\n", "model", "inputs",
                "labels", "act.diff", "differ", "twin diff", "logit diff",
                "steps", "twin logit");
    for (size_t i = 0; i < cases.size(); ++i) {
      const InteropCase& c = cases[i];
      const fs::path dir = fs::path(dir_) / ("case" + std::to_string(i));
      const std::vector<int8_t> theirs =
          ReadArray<int8_t>(dir / "tflite_activation.i8");
      const std::vector<float> logits =
          ReadArray<float>(dir / "tflite_logits.f32");
      if (!IsInt8(c)) {
        CheckFloat32(c, logits);
        continue;
      }
      const Agreement a = Compare(c, logits, theirs);
      const TwinAgreement t = CompareWithTwin(c, theirs, logits);
      std::printf("%-24s %6d %7.2f%% %8d %7.4f%% %9d %10.3g %8.4f %10.3g\n",
                  c.name.c_str(), a.count, 100.0 * a.label_agreement(),
                  a.max_activation_diff, 100.0 * t.differ_from_ours,
                  t.max_twin_diff, a.max_logit_diff, a.max_logit_steps,
                  t.max_twin_logit_diff);
      EXPECT_EQ(a.count, c.count) << c.name;
      EXPECT_GE(a.max_activation_diff, 0)
          << c.name << ": activations missing or of the wrong size";
      // Exactly XNNPACK's arithmetic on our model (tolerance 0).
      EXPECT_EQ(t.max_twin_diff, 0) << c.name;
      // Against our fixed-point reference: XNNPACK's float requantization
      // moves a value by one step now and then (at most one for a single
      // conv, whose inputs are identical); through later layers a moved
      // value moves others, so deeper models are bounded by the exact twin
      // check above, and their differences are printed.
      if (c.model.convs.size() == 1) {
        EXPECT_LE(a.max_activation_diff, 1) << c.name;
      }
      EXPECT_GE(a.label_agreement(), 0.995) << c.name;
      // The float head on the same activations: float rounding only.
      EXPECT_LT(t.max_twin_logit_diff, 1e-3 * LogitStep(c)) << c.name;
    }
  }
};

// A committed or extra .kws model on random MFCC-like inputs.
InteropCase FileModelOnRandomInputs(const std::string& path, int count) {
  InteropCase c;
  StatusOr<format::ModelFile> model = format::ReadModelFile(path);
  EXPECT_TRUE(model.ok()) << model.status();
  if (!model.ok()) return c;
  c.name = fs::path(path).stem().string() + " (random)";
  c.model = *model;
  std::mt19937 rng(5);
  for (int i = 0; i < count; ++i) {
    const std::vector<float> x = RandomMfcc(c.model.features, rng);
    c.mfcc.insert(c.mfcc.end(), x.begin(), x.end());
  }
  c.count = count;
  RunReference(&c);
  return c;
}

const char* kCommittedModels[] = {"go_stop_tuned.kws", "go_stop_seed.kws"};

std::string CommittedModel(const char* name) {
  return kSource + "/tests/runtime/data/" + name;
}

TEST_F(TfliteInterpreterTest, RandomGeometriesAndCommittedModels) {
  const int n = 200;
  using S = ConvShape;
  std::vector<InteropCase> cases = {
      RandomCase("same_3x3", {S{8, 3, 3, 1, 1, 1, 1, true, true}, S{}}, 2, 1,
                 n),
      RandomCase("valid", {S{8, 3, 3, 1, 1, 1, 1, false, true}}, 3, 2, n),
      RandomCase("stride_2", {S{8, 3, 3, 2, 2, 1, 1, true, true}, S{}}, 4, 3,
                 n),
      RandomCase("dilation",
                 {S{8, 3, 3, 1, 1, 2, 2, true, true},
                  S{8, 3, 3, 1, 1, 1, 2, false, true}},
                 2, 4, n),
      RandomCase("kernel_3x10", {S{16, 3, 10, 2, 1, 1, 1, true, true}}, 3, 5,
                 n),
      RandomCase("kernel_3x10_valid", {S{12, 3, 10, 1, 1, 1, 1, false, true}},
                 2, 6, n),
      RandomCase("deep_4_layers",
                 {S{8, 3, 3, 1, 1, 1, 1, true, true},
                  S{12, 3, 3, 2, 2, 1, 1, true, true},
                  S{12, 3, 3, 1, 1, 2, 1, true, true},
                  S{16, 3, 3, 1, 1, 1, 1, false, true}},
                 4, 7, n),
      RandomCase("no_relu", {S{8, 3, 3, 1, 1, 1, 1, true, false}, S{}}, 2, 8,
                 n),
      RandomCase("last_no_relu", {S{}, S{8, 3, 3, 1, 1, 1, 1, true, false}}, 3,
                 9, n),
      RandomCase("stride_dilation", {S{8, 5, 3, 2, 1, 1, 2, false, true}}, 2,
                 10, n),
  };
  // Explicit pads that only a PAD operator can express.
  InteropCase pad = RandomCase("pad_op", {S{}}, 3, 11, n);
  pad.model = PadOpModel(3, 11);
  RunReference(&pad);
  cases.push_back(pad);
  for (const char* name : kCommittedModels) {
    cases.push_back(FileModelOnRandomInputs(CommittedModel(name), n));
  }
  cases.push_back(Float32Case(
      "float32_same_stride",
      {S{8, 3, 10, 2, 1, 1, 1, true, true}, S{8, 3, 3, 1, 1, 1, 1, true, true}},
      3, 12, n));
  cases.push_back(Float32Case("float32_valid_dilation",
                              {S{8, 3, 3, 1, 1, 2, 2, false, true},
                               S{6, 3, 3, 2, 2, 1, 1, true, false}},
                              2, 13, n));
  RunAndCompare(cases);
}

TEST_F(TfliteInterpreterTest, TrainedModelsOnEveryTestingClip) {
  const std::string data = kSource + "/../shared/data/speech_commands";
  if (!fs::exists(data + "/testing_list.txt")) {
    GTEST_SKIP() << data << " is absent (shared data set not available)";
  }
  std::vector<std::string> models;
  for (const char* name : kCommittedModels) {
    models.push_back(CommittedModel(name));
  }
  if (const char* extra = std::getenv("TINYKWS_TFLITE_EXTRA_MODELS")) {
    std::string list = extra;
    for (size_t start = 0; start <= list.size();) {
      const size_t end = std::min(list.find(':', start), list.size());
      if (end > start) models.push_back(list.substr(start, end - start));
      start = end + 1;
    }
  }
  std::vector<InteropCase> cases(models.size());
  for (size_t i = 0; i < models.size(); ++i) {
    ASSERT_TRUE(TestingClipsCase(models[i], data, &cases[i])) << models[i];
  }
  RunAndCompare(cases);
}

}  // namespace
}  // namespace tinykws::testing
