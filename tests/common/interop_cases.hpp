// Shared by the ONNX and TFLite interop tests: a model plus the inputs it is
// checked on, our int8 reference's outputs for them, the files a Node script
// reads (inputs, expected outputs) and writes back, and the agreement of
// another runtime's outputs with ours. Link ../common/run_command.cpp.
//
// Files WriteCaseFiles writes into a folder (all little-endian, row-major):
//   mfcc.f32        count x frames x num_mfcc float32 (the model's input)
//   logits.f32      count x labels float32, our reference's logits
//   activation.i8   count x (last conv's output size) int8
//   case.json       {"count", "frames", "num_mfcc", "labels",
//                    "activation_size", "activation_shape": [h, w, c]}
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "format/model_file.hpp"
#include "quant/int8_reference.hpp"
#include "random_model.hpp"
#include "run_command.hpp"
#include "tinykws/audio.hpp"
#include "tinykws/features.hpp"

namespace tinykws::testing {

struct InteropCase {
  std::string name;
  format::ModelFile model;
  int count = 0;
  std::vector<float> mfcc;         // count x num_features
  std::vector<float> logits;       // count x labels
  std::vector<int8_t> activation;  // count x activation_size
  int activation_h = 0, activation_w = 0, activation_c = 0;
  std::vector<std::string> inputs;  // per input: clip path or "random #i"
};

inline int ActivationSize(const InteropCase& c) {
  return c.activation_h * c.activation_w * c.activation_c;
}

// Runs our int8 reference on every input of c (c.mfcc filled) and records
// its logits and last activations.
inline void RunReference(InteropCase* c) {
  const format::ConvLayer& last = c->model.convs.back();
  c->activation_h = last.out_height;
  c->activation_w = last.out_width;
  c->activation_c = last.out_channels;
  const int features = c->model.features.num_features();
  c->logits.clear();
  c->activation.clear();
  quant::Int8Trace trace;
  for (int i = 0; i < c->count; ++i) {
    quant::RunInt8Reference(c->model, c->mfcc.data() + i * features, &trace);
    c->logits.insert(c->logits.end(), trace.logits.begin(), trace.logits.end());
    c->activation.insert(c->activation.end(), trace.activations.back().begin(),
                         trace.activations.back().end());
  }
}

// A random int8 model of the given geometry on `count` random MFCC inputs.
inline InteropCase RandomCase(const std::string& name,
                              const std::vector<ConvShape>& shapes, int labels,
                              uint32_t seed, int count) {
  InteropCase c;
  c.name = name;
  const FeatureConfig f = SmallFeatures();
  c.model = RandomInt8Model(RandomFloatModel(f, shapes, labels, seed), seed);
  std::mt19937 rng(seed + 1);
  for (int i = 0; i < count; ++i) {
    const std::vector<float> x = RandomMfcc(f, rng);
    c.mfcc.insert(c.mfcc.end(), x.begin(), x.end());
    c.inputs.push_back("random #" + std::to_string(i));
  }
  c.count = count;
  RunReference(&c);
  return c;
}

// A model file on every clip of the data set's testing_list.txt (MFCC with
// the model's own front end). Fails the calling test on a read error.
inline ::testing::AssertionResult TestingClipsCase(
    const std::string& model_path, const std::string& data_dir,
    InteropCase* c) {
  StatusOr<format::ModelFile> model = format::ReadModelFile(model_path);
  if (!model.ok())
    return ::testing::AssertionFailure() << model.status().message();
  c->name = std::filesystem::path(model_path).stem().string();
  c->model = *model;
  StatusOr<MfccExtractor> mfcc = MfccExtractor::Create(model->features);
  if (!mfcc.ok())
    return ::testing::AssertionFailure() << mfcc.status().message();
  std::ifstream list(data_dir + "/testing_list.txt");
  if (!list) return ::testing::AssertionFailure() << "no testing_list.txt";
  const int features = model->features.num_features();
  std::vector<float> x(features);
  for (std::string line; std::getline(list, line);) {
    if (line.empty()) continue;
    const std::string path = data_dir + "/" + line;
    StatusOr<AudioClip> clip = ReadAudio(path, model->features.sample_rate);
    if (!clip.ok())
      return ::testing::AssertionFailure() << clip.status().message();
    Status s = mfcc->Compute(clip->samples.data(), clip->samples.size(),
                             x.data(), x.size());
    if (!s.ok()) return ::testing::AssertionFailure() << s.message();
    c->mfcc.insert(c->mfcc.end(), x.begin(), x.end());
    c->inputs.push_back(line);
  }
  c->count = static_cast<int>(c->inputs.size());
  RunReference(c);
  return ::testing::AssertionSuccess();
}

inline void WriteCaseFiles(const InteropCase& c,
                           const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  auto write = [&](const char* name, const void* data, size_t bytes) {
    std::ofstream out(dir / name, std::ios::binary);
    out.write(static_cast<const char*>(data),
              static_cast<std::streamsize>(bytes));
  };
  write("mfcc.f32", c.mfcc.data(), c.mfcc.size() * sizeof(float));
  write("logits.f32", c.logits.data(), c.logits.size() * sizeof(float));
  write("activation.i8", c.activation.data(), c.activation.size());
  std::ofstream(dir / "case.json")
      << "{\"count\": " << c.count
      << ", \"frames\": " << c.model.features.num_frames()
      << ", \"num_mfcc\": " << c.model.features.num_mfcc
      << ", \"labels\": " << c.model.labels.size()
      << ", \"activation_size\": " << ActivationSize(c)
      << ", \"activation_shape\": [" << c.activation_h << ", " << c.activation_w
      << ", " << c.activation_c << "]}\n";
}

// How another runtime's outputs compare with ours over a case.
struct Agreement {
  int count = 0;
  int same_label = 0;           // argmax equal
  double max_logit_diff = 0.0;  // absolute
  // max_logit_diff in int8 steps of the logits: (max - min of our logits over
  // the case) / 255, the step an int8 output calibrated on them would have.
  double max_logit_steps = 0.0;
  int max_activation_diff = -1;  // int8 steps; -1: activations not compared
  double label_agreement() const {
    return count == 0 ? 0.0 : static_cast<double>(same_label) / count;
  }
};

// One int8 step of a case's logits: (max - min of our logits over the
// case) / 255, the step an int8 output calibrated on them would have.
inline double LogitStep(const InteropCase& c) {
  const auto [lo, hi] = std::minmax_element(c.logits.begin(), c.logits.end());
  return std::max(1e-12, (double{*hi} - *lo) / 255.0);
}

// A file of raw little-endian values (what the Node scripts write back).
template <typename T>
std::vector<T> ReadArray(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)),
                          std::istreambuf_iterator<char>());
  std::vector<T> values(bytes.size() / sizeof(T));
  if (!values.empty()) std::memcpy(values.data(), bytes.data(), bytes.size());
  return values;
}

// node and the interpreters are test prerequisites (scripts/setup.sh
// installs them: npm ci --prefix tools/interop, Debian's chromium): their
// absence fails a test, it does not skip it. required: paths that must
// exist (node_modules packages, a browser).
inline ::testing::AssertionResult InteropToolsInstalled(
    const std::vector<std::string>& required) {
  if (RunCommand({"node", "--version"}).exit_code != 0) {
    return ::testing::AssertionFailure()
           << "node does not run: run scripts/setup.sh";
  }
  for (const std::string& path : required) {
    if (!std::filesystem::exists(path)) {
      return ::testing::AssertionFailure()
             << path << " is missing: run scripts/setup.sh";
    }
  }
  return ::testing::AssertionSuccess();
}

// theirs_activation may be empty (not compared).
inline Agreement Compare(const InteropCase& c,
                         const std::vector<float>& theirs_logits,
                         const std::vector<int8_t>& theirs_activation) {
  Agreement a;
  a.count = c.count;
  const size_t labels = c.model.labels.size();
  if (theirs_logits.size() != c.logits.size()) return a;
  const double step = LogitStep(c);
  for (int i = 0; i < c.count; ++i) {
    const float* ours = c.logits.data() + i * labels;
    const float* theirs = theirs_logits.data() + i * labels;
    for (size_t k = 0; k < labels; ++k) {
      a.max_logit_diff =
          std::max(a.max_logit_diff, std::fabs(double{ours[k]} - theirs[k]));
    }
    a.same_label += std::max_element(ours, ours + labels) - ours ==
                    std::max_element(theirs, theirs + labels) - theirs;
  }
  a.max_logit_steps = a.max_logit_diff / step;
  if (!theirs_activation.empty() &&
      theirs_activation.size() == c.activation.size()) {
    a.max_activation_diff = 0;
    for (size_t i = 0; i < c.activation.size(); ++i) {
      a.max_activation_diff =
          std::max(a.max_activation_diff,
                   std::abs(int{c.activation[i]} - theirs_activation[i]));
    }
  }
  return a;
}

}  // namespace tinykws::testing
