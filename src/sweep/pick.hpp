// kws-train sweep --pick: constraints such as "size<=8KB,latency<=50us" and
// the best finished trial that meets them.
#pragma once

#include <string>
#include <vector>

#include "sweep/sweep_result.hpp"
#include "tinykws/status.hpp"

namespace tinykws::sweep {

struct Constraint {
  // "size" (bytes), "latency" (µs), "accuracy" (validation, 0..1),
  // "test_accuracy" (0..1) or "macs".
  std::string quantity;
  bool at_most = true;  // <= (or <); false: >= (or >)
  bool strict = false;  // < or >
  double value = 0;     // in the unit above
};

// Comma-separated "QUANTITY OP VALUE[UNIT]": size in B, KB (1000 bytes),
// KiB (1024), MB, MiB; latency in us (µs), ms, s; accuracy as a fraction or
// with %. Aliases: bytes = size, val = val_accuracy = accuracy, test =
// test_accuracy.
StatusOr<std::vector<Constraint>> ParseConstraints(const std::string& text);

bool Meets(const TrialResult& trial, const Constraint& c);

// Index of the "ok" trial (with its latency and size measured) with the
// highest validation accuracy that meets every constraint (ties: lower latency,
// then fewer bytes); -1 if none.
int PickTrial(const std::vector<TrialResult>& trials,
              const std::vector<Constraint>& constraints);

}  // namespace tinykws::sweep
