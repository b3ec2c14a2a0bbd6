// A temp data folder per test, filled with dummy clip files: IndexDataset
// only looks at names, never decodes audio.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../common/temp_dir_test.hpp"
#include "gtest/gtest.h"
#include "tinykws/dataset.hpp"

namespace tinykws {
namespace dataset_test {

class DataDirTest : public testing::TempDirTest {
 protected:
  // Writes bytes to dir_/relative, creating parent folders.
  void Write(const std::string& relative, const std::string& bytes) {
    const std::filesystem::path path(Path(relative));
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    ASSERT_TRUE(out.good()) << path;
  }
  void Touch(const std::string& relative) { Write(relative, "RIFF"); }
  void Mkdir(const std::string& relative) {
    std::filesystem::create_directories(Path(relative));
  }

  StatusOr<DatasetIndex> Index(const std::vector<std::string>& labels,
                               const DatasetOptions& options = {}) const {
    return IndexDataset(dir_, labels, options);
  }
};

inline std::vector<std::string> Relatives(const DatasetIndex& index) {
  std::vector<std::string> out;
  for (const ClipInfo& clip : index.clips) out.push_back(clip.relative);
  return out;
}

inline size_t CountSplit(const DatasetIndex& index, Split split,
                         const std::string& folder = "") {
  size_t n = 0;
  for (const ClipInfo& clip : index.clips) {
    if (clip.split == split && (folder.empty() || clip.folder == folder)) ++n;
  }
  return n;
}

}  // namespace dataset_test
}  // namespace tinykws
