// The manifest of a generated data folder (kDataManifestFile), internal to
// the dataset library.
#pragma once

#include <string>

#include "tinykws/status.hpp"

namespace tinykws::dataset {

// Reads data_dir's manifest when there is one: "training_only" and
// "synthetic" (both false when absent). A manifest that is not a JSON object
// or holds those keys with other than boolean values is an error naming it.
Status ReadManifest(const std::string& data_dir, bool* training_only,
                    bool* synthetic);

}  // namespace tinykws::dataset
