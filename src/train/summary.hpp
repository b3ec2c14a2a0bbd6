// summary.json of a finished run.
#pragma once

#include <string>

#include "tinykws/config.hpp"
#include "train/loop_state.hpp"
#include "train/trainer.hpp"
#include "train/training_data.hpp"

namespace tinykws::train {

struct SummaryInputs {
  const KwsConfig& config;
  const TrainOptions& options;
  const TrainingData& data;
  const LoopState& state;
  const Evaluation& test;  // best weights on the testing split
  int threads;
  double session_seconds;
  int64_t total_steps;
  const char* torch_version;
};

Status WriteSummary(const SummaryInputs& in, const std::string& path);

}  // namespace tinykws::train
