// One sweep work item, run by whichever process took it: train a trial's
// seed up to the item's epochs (continuing the run it was given), and for
// the last rung export the int8 model and measure it on the validation and
// testing splits through the runtime.
#pragma once

#include <string>

#include "sweep/work_codec.hpp"

namespace tinykws::train {

struct ItemContext {
  std::string data_dir;
  std::string scratch_dir;  // this process's run folders
  std::string cache_dir;    // feature cache ("" = none)
  int threads = 1;
  int rank = 0;
};

// Never fails as a whole: a training or export error is the result's error.
sweep::ResultMessage RunSweepItem(const sweep::ItemMessage& item,
                                  const ItemContext& context);

// Files of a trial's run that move with it (model.kws once exported).
extern const char* const kRunFilesToMove[6];

}  // namespace tinykws::train
