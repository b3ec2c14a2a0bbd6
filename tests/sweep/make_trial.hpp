// A trial result with the fields the front, the pick and the reports read.
#pragma once

#include <cstdint>
#include <string>

#include "sweep/sweep_result.hpp"

namespace tinykws::sweep::testing {

inline TrialResult Trial(const std::string& id, double val_accuracy,
                         double latency_us, int64_t bytes,
                         const std::string& status = "ok") {
  TrialResult t;
  t.id = id;
  t.status = status;
  t.val_accuracy = val_accuracy;
  t.latency_us = latency_us;
  t.model_bytes = bytes;
  return t;
}

}  // namespace tinykws::sweep::testing
