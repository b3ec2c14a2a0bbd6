// Checkpoints (model, optimizer, loop position) and weight files, written
// atomically: a temporary file in the same folder renamed into place.
#pragma once

#include <string>

#include "tinykws/status.hpp"
#include "train/loop_state.hpp"
#include "train/model.hpp"
#include "train/optimizer.hpp"

namespace tinykws::train {

Status SaveCheckpoint(const std::string& path, KwsNetImpl& net, FlatAdam& adam,
                      const LoopState& state);
Status LoadCheckpoint(const std::string& path, KwsNetImpl& net, FlatAdam& adam,
                      LoopState* state);

// Parameters and buffers only (best.pt).
Status SaveWeights(const std::string& path, KwsNetImpl& net);
Status LoadWeights(const std::string& path, KwsNetImpl& net);

}  // namespace tinykws::train
