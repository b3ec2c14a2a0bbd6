// Whole-file writes that never leave a half-written file behind: data goes
// to a temporary file in the same folder, which is renamed over the target
// only after everything was written and flushed.
#pragma once

#include <string>

#include "tinykws/status.hpp"

namespace tinykws {

Status WriteFileAtomically(const std::string& path, const std::string& bytes);

// Checks, before long work, that the folder a file will be written to
// exists ("" passes: no output requested).
Status CheckOutputFolder(const std::string& path);

// Removes "<path>.tmp.*": complete or partial temporaries of `path` that a
// writer killed before its rename left behind (WriteFileAtomically names
// its temporaries so).
void RemoveStaleTemporaries(const std::string& path);

// Reads a whole file (up to max_bytes; larger files are an error).
StatusOr<std::string> ReadWholeFile(const std::string& path, size_t max_bytes);

}  // namespace tinykws
