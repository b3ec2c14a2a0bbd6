// Reading validation_list.txt / testing_list.txt (internal to the dataset
// library).
#pragma once

#include <string>
#include <unordered_map>

#include "tinykws/dataset.hpp"
#include "tinykws/status.hpp"

namespace tinykws {
namespace dataset {

inline constexpr const char* kValidationListFile = "validation_list.txt";
inline constexpr const char* kTestingListFile = "testing_list.txt";

struct SplitLists {
  bool present = false;  // at least one of the two list files exists
  // Listed clip ("go/x.flac", lexically normalized) -> its split. Clips not
  // in the map are training clips.
  std::unordered_map<std::string, Split> split_of;
};

// Reads whichever of the two list files exist in data_dir. Every listed path
// must exist (relative to data_dir); errors name the list file and line.
Status ReadSplitLists(const std::string& data_dir, SplitLists* lists);

}  // namespace dataset
}  // namespace tinykws
