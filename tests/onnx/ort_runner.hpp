// Runs an InteropCase's model, converted to ONNX, in the real ONNX Runtime:
// writes the case files and model.onnx into a folder, runs
// tools/interop/run_onnx.mjs there with node, and compares the outputs it
// writes with ours.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "../common/interop_cases.hpp"
#include "../common/run_command.hpp"
#include "../common/status_printer.hpp"
#include "interop/onnx_writer.hpp"
#include "tinykws/status.hpp"

namespace tinykws::testing {

inline const std::string kInteropDir = TINYKWS_SOURCE_DIR "/tools/interop";

inline ::testing::AssertionResult OrtInstalled() {
  return InteropToolsInstalled(
      {kInteropDir + "/node_modules/onnxruntime-node"});
}

// ONNX Runtime's outputs over a case.
struct OrtOutputs {
  std::vector<float> logits;
  std::vector<int8_t> activation;       // empty when the model has none
  std::vector<float> float_activation;  // fp32 models
  // With expose_layer_activations: the quantized input and every conv's
  // activation, each all inputs concatenated.
  std::vector<int8_t> input_q;
  std::vector<std::vector<int8_t>> layers;
};

inline ::testing::AssertionResult RunInOrt(const InteropCase& c,
                                           const std::string& dir,
                                           const interop::OnnxOptions& options,
                                           OrtOutputs* out) {
  WriteCaseFiles(c, dir);
  StatusOr<std::string> onnx = interop::ToOnnx(c.model, options);
  if (!onnx.ok())
    return ::testing::AssertionFailure() << onnx.status().message();
  const std::string model_path = dir + "/model.onnx";
  std::ofstream(model_path, std::ios::binary) << *onnx;
  const CommandResult r =
      RunCommand({"node", kInteropDir + "/run_onnx.mjs", model_path, dir});
  if (r.exit_code != 0) {
    return ::testing::AssertionFailure()
           << "run_onnx.mjs exited with " << r.exit_code << ": " << r.err;
  }
  out->logits = ReadArray<float>(dir + "/onnx_logits.f32");
  out->activation = ReadArray<int8_t>(dir + "/onnx_activation.i8");
  out->float_activation = ReadArray<float>(dir + "/onnx_activation.f32");
  out->input_q = ReadArray<int8_t>(dir + "/onnx_input_q.i8");
  out->layers.clear();
  for (size_t i = 0; i < c.model.convs.size(); ++i) {
    out->layers.push_back(ReadArray<int8_t>(dir + "/onnx_activation" +
                                            std::to_string(i) + ".i8"));
  }
  return ::testing::AssertionSuccess();
}

// One line per case for the log (and the report).
inline void PrintAgreement(const InteropCase& c, const Agreement& a) {
  std::printf(
      "[ onnx ] %-22s n=%4d  labels %6.2f %% (%d/%d)  activation max diff "
      "%d step(s)  logit max diff %.3g (%.3g steps)\n",
      c.name.c_str(), a.count, 100.0 * a.label_agreement(), a.same_label,
      a.count, a.max_activation_diff, a.max_logit_diff, a.max_logit_steps);
}

}  // namespace tinykws::testing
