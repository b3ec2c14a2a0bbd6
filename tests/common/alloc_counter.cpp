#include "alloc_counter.hpp"

#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<size_t> g_allocations{0};
std::atomic<int64_t> g_live{0};

void* Track(void* p) {
  if (p != nullptr)
    g_live.fetch_add(static_cast<int64_t>(malloc_usable_size(p)));
  return p;
}
}  // namespace

namespace tinykws::testing {
size_t AllocationCount() { return g_allocations.load(); }
int64_t LiveHeapBytes() { return g_live.load(); }
}  // namespace tinykws::testing

extern "C" {
void* __real_malloc(size_t size);
void* __real_calloc(size_t count, size_t size);
void* __real_realloc(void* ptr, size_t size);
void __real_free(void* ptr);
void* __real_aligned_alloc(size_t alignment, size_t size);

void* __wrap_malloc(size_t size) {
  g_allocations.fetch_add(1);
  return Track(__real_malloc(size));
}
void* __wrap_calloc(size_t count, size_t size) {
  g_allocations.fetch_add(1);
  return Track(__real_calloc(count, size));
}
void* __wrap_realloc(void* ptr, size_t size) {
  g_allocations.fetch_add(1);
  if (ptr != nullptr) {
    g_live.fetch_sub(static_cast<int64_t>(malloc_usable_size(ptr)));
  }
  return Track(__real_realloc(ptr, size));
}
void* __wrap_aligned_alloc(size_t alignment, size_t size) {
  g_allocations.fetch_add(1);
  return Track(__real_aligned_alloc(alignment, size));
}
void __wrap_free(void* ptr) {
  if (ptr != nullptr) {
    g_live.fetch_sub(static_cast<int64_t>(malloc_usable_size(ptr)));
  }
  __real_free(ptr);
}
}

void* operator new(size_t size) {
  g_allocations.fetch_add(1);
  if (void* p = Track(__real_malloc(size == 0 ? 1 : size))) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { __wrap_free(p); }
void operator delete[](void* p) noexcept { __wrap_free(p); }
void operator delete(void* p, size_t) noexcept { __wrap_free(p); }
void operator delete[](void* p, size_t) noexcept { __wrap_free(p); }
