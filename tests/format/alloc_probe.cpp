#include "alloc_probe.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace tinykws::format::testing {
namespace {
std::atomic<size_t> g_largest{0};
}  // namespace

void ResetLargestAllocation() { g_largest = 0; }
size_t LargestAllocation() { return g_largest; }

}  // namespace tinykws::format::testing

// The array and sized forms of new/delete forward to these by default.
void* operator new(std::size_t size) {
  size_t seen = tinykws::format::testing::g_largest.load();
  while (
      size > seen &&
      !tinykws::format::testing::g_largest.compare_exchange_weak(seen, size)) {
  }
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}

void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
