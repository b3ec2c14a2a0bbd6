#include "alloc_counter.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<size_t> g_allocations{0};
}

namespace tinykws::testing {
size_t AllocationCount() { return g_allocations.load(); }
}  // namespace tinykws::testing

extern "C" {
void* __real_malloc(size_t size);
void* __real_calloc(size_t count, size_t size);
void* __real_realloc(void* ptr, size_t size);

void* __wrap_malloc(size_t size) {
  g_allocations.fetch_add(1);
  return __real_malloc(size);
}
void* __wrap_calloc(size_t count, size_t size) {
  g_allocations.fetch_add(1);
  return __real_calloc(count, size);
}
void* __wrap_realloc(void* ptr, size_t size) {
  g_allocations.fetch_add(1);
  return __real_realloc(ptr, size);
}
}

void* operator new(size_t size) {
  g_allocations.fetch_add(1);
  if (void* p = __real_malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }
