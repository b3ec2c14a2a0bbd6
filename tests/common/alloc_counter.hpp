// Counts heap allocations made through operator new and malloc/calloc/
// realloc (the latter via the linker's --wrap, see tests/CMakeLists.txt), so
// tests can prove a hot path does not allocate.
#pragma once

#include <cstddef>

namespace tinykws::testing {

// Allocations made so far by this process.
size_t AllocationCount();

}  // namespace tinykws::testing
