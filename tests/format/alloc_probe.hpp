// Records the largest single heap request made through operator new, so a
// test can prove that absurd counts in a file never lead to a huge
// allocation (alloc_probe.cpp replaces the global operator new).
#pragma once

#include <cstddef>

namespace tinykws::format::testing {

void ResetLargestAllocation();
size_t LargestAllocation();

}  // namespace tinykws::format::testing
