// Counts heap allocations made through operator new and malloc/calloc/
// realloc (the latter via the linker's --wrap, see tests/CMakeLists.txt), so
// tests can prove a hot path does not allocate.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tinykws::testing {

// Allocations made so far by this process.
size_t AllocationCount();

// Heap bytes currently allocated through the counted functions (usable
// sizes), for measuring what an object keeps.
int64_t LiveHeapBytes();

}  // namespace tinykws::testing
