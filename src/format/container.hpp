// The .kws container: header, section table, payload CRCs. Internal.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tinykws/status.hpp"

namespace tinykws::format {

struct SectionView {
  uint32_t type = 0;
  uint64_t offset = 0;  // within the file; offset + length <= file size
  uint64_t length = 0;
};

// Checks magic, version, header CRC, sizes, the section table (CRC, bounds,
// alignment, order, zero padding) and every payload CRC. On success the
// views (at most kMaxSections) are in table order and safe to read.
Status ParseContainer(const std::string& bytes, const std::string& origin,
                      std::vector<SectionView>* sections);

}  // namespace tinykws::format
