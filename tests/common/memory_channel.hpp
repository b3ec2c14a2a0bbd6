// A store connection in memory (sweep/kv_store.hpp's Channel): reads come
// from a fixed input, writes are kept. For the store's tests and fuzzer.
#pragma once

#include <cstring>
#include <string>

#include "sweep/kv_store.hpp"

namespace tinykws::testing {

class MemoryChannel : public sweep::Channel {
 public:
  explicit MemoryChannel(std::string in) : in_(std::move(in)) {}
  bool ReadExact(void* data, size_t size) override {
    if (in_.size() - at_ < size) return false;
    std::memcpy(data, in_.data() + at_, size);
    at_ += size;
    return true;
  }
  bool WriteAll(const void* data, size_t size) override {
    out_.append(static_cast<const char*>(data), size);
    return true;
  }
  const std::string& out() const { return out_; }

 private:
  std::string in_, out_;
  size_t at_ = 0;
};

}  // namespace tinykws::testing
