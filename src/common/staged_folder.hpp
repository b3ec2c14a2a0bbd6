// An output folder written atomically (`kws synth`, `kws-train mine`):
// everything goes into the sibling OUT.tmp-<pid>, which is renamed to OUT
// only when complete. OUT existing is
// an error unless replacing it is asked for; the old OUT is then removed
// only after the new one is in place. An interrupted run leaves no OUT.
#pragma once

#include <string>
#include <vector>

#include "tinykws/status.hpp"

namespace tinykws {

// Checks that out can be made (its parent folder exists; out does not,
// unless force). Run before any work.
Status CheckNewFolder(const std::string& out, bool force);

// Creates OUT.tmp-<pid> (removing temporaries of OUT left by processes
// that no longer run) and returns its path.
StatusOr<std::string> CreateStagingFolder(const std::string& out);

// Renames temporary to out (replacing an existing out when force).
Status CommitStagingFolder(const std::string& temporary, const std::string& out,
                           bool force);

// Removes the temporary folder (after a failure).
void AbandonStagingFolder(const std::string& temporary);

// Creates folder (and parents).
Status MakeFolder(const std::string& folder);

}  // namespace tinykws
