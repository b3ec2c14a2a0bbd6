// A run folder's files as one byte string, so a trial's run can move
// between processes (through the sweep's store) and machines without a
// shared file system: [u32 name length][name][u64 size][bytes] per file.
#pragma once

#include <string>
#include <vector>

#include "tinykws/status.hpp"

namespace tinykws::sweep {

// The named files of dir that exist (others are skipped).
StatusOr<std::string> PackFiles(const std::string& dir,
                                const std::vector<std::string>& names);
// Writes each file into dir (created if needed), atomically; every name
// must be one of `allowed` (anything else refuses the whole pack before a
// file is written).
Status UnpackFiles(const std::string& packed, const std::string& dir,
                   const std::vector<std::string>& allowed);
// The checks of UnpackFiles alone, writing nothing.
Status CheckPackedFiles(const std::string& packed,
                        const std::vector<std::string>& allowed);

}  // namespace tinykws::sweep
