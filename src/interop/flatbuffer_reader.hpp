// A bounds-checked view of FlatBuffers bytes (which may be untrusted): every
// offset, vtable, vector length and string is checked against the buffer
// before it is read. The first problem is kept as the error and every later
// read returns a default, so a caller reads a whole structure and then asks
// ok() once.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace tinykws::interop::flatbuffer {

class Reader {
 public:
  struct Table {
    size_t pos = 0;  // absolute position of the table (its soffset)
    size_t vtable = 0;
    uint16_t vtable_size = 0, table_size = 0;
    bool present = false;  // false: field absent or an error occurred
  };
  struct VectorView {
    size_t data = 0;  // first element
    uint32_t count = 0;
  };

  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  std::string_view Identifier() {
    if (bytes_.size() < 8) {
      Fail("file has " + std::to_string(bytes_.size()) +
           " bytes, a FlatBuffer needs at least 8");
      return {};
    }
    return bytes_.substr(4, 4);
  }

  Table Root() {
    if (bytes_.size() < 8) {
      Identifier();
      return {};
    }
    return TableAt(Load<uint32_t>(0), "root");
  }

  // A scalar field (default when absent).
  template <typename T>
  T Scalar(const Table& t, int id, T fallback) {
    static_assert(std::is_arithmetic_v<T>);
    const size_t at = FieldPos(t, id, sizeof(T));
    return at == 0 ? fallback : Load<T>(at);
  }

  bool Has(const Table& t, int id) { return FieldPos(t, id, 1) != 0; }

  // A table-valued field (present == false when absent).
  Table SubTable(const Table& t, int id, const char* what) {
    const size_t at = FieldPos(t, id, 4);
    if (at == 0) return {};
    return TableAt(at + Load<uint32_t>(at), what);
  }

  // A vector field with elements of elem_size bytes (empty when absent).
  VectorView Vector(const Table& t, int id, size_t elem_size,
                    const char* what) {
    const size_t at = FieldPos(t, id, 4);
    if (at == 0) return {};
    const uint64_t start = uint64_t{at} + Load<uint32_t>(at);
    if (start % 4 != 0 || start + 4 > bytes_.size()) {
      Fail(std::string(what) + ": vector at " + std::to_string(start) +
           " is outside the " + std::to_string(bytes_.size()) +
           "-byte file or misaligned");
      return {};
    }
    const uint32_t count = Load<uint32_t>(start);
    const uint64_t room = (bytes_.size() - start - 4) / elem_size;
    if (count > room) {
      Fail(std::string(what) + ": vector claims " + std::to_string(count) +
           " elements of " + std::to_string(elem_size) + " bytes, only " +
           std::to_string(room) + " fit in the file");
      return {};
    }
    return {static_cast<size_t>(start + 4), count};
  }

  template <typename T>
  std::vector<T> ScalarVector(const Table& t, int id, const char* what) {
    const VectorView v = Vector(t, id, sizeof(T), what);
    std::vector<T> out(v.count);
    if (v.count > 0) {
      std::memcpy(out.data(), bytes_.data() + v.data, v.count * sizeof(T));
    }
    return out;
  }

  std::string String(const Table& t, int id, const char* what) {
    const VectorView v = Vector(t, id, 1, what);
    if (v.count == 0) return {};
    if (v.data + v.count >= bytes_.size() || bytes_[v.data + v.count] != 0) {
      Fail(std::string(what) + ": string is not NUL-terminated");
      return {};
    }
    return std::string(bytes_.substr(v.data, v.count));
  }

  // Element i of a vector of tables.
  Table TableIn(const VectorView& v, uint32_t i, const char* what) {
    if (i >= v.count) return {};
    const size_t at = v.data + 4 * size_t{i};
    return TableAt(uint64_t{at} + Load<uint32_t>(at), what);
  }

  void Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }

 private:
  template <typename T>
  T Load(size_t at) const {
    T value;
    std::memcpy(&value, bytes_.data() + at, sizeof(T));
    return value;
  }

  Table TableAt(uint64_t pos, const char* what) {
    Table t;
    if (!ok()) return t;
    const std::string where =
        std::string(what) + ": table at " + std::to_string(pos);
    if (pos % 4 != 0 || pos + 4 > bytes_.size()) {
      Fail(where + " is outside the " + std::to_string(bytes_.size()) +
           "-byte file or misaligned");
      return t;
    }
    const int64_t vtable = static_cast<int64_t>(pos) - Load<int32_t>(pos);
    if (vtable < 0 || vtable % 2 != 0 ||
        static_cast<uint64_t>(vtable) + 4 > bytes_.size()) {
      Fail(where + " has its vtable outside the file");
      return t;
    }
    t.pos = static_cast<size_t>(pos);
    t.vtable = static_cast<size_t>(vtable);
    t.vtable_size = Load<uint16_t>(t.vtable);
    t.table_size = Load<uint16_t>(t.vtable + 2);
    if (t.vtable_size < 4 || t.vtable_size % 2 != 0 ||
        t.vtable + t.vtable_size > bytes_.size() || t.table_size < 4 ||
        t.pos + t.table_size > bytes_.size()) {
      Fail(where + " has a vtable of " + std::to_string(t.vtable_size) +
           " bytes and a table of " + std::to_string(t.table_size) +
           " bytes: they do not fit in the file");
      return {};
    }
    t.present = true;
    return t;
  }

  // Absolute position of a field of `size` bytes inside table t, 0 when
  // absent (a field never sits at position 0: the root offset is there).
  size_t FieldPos(const Table& t, int id, size_t size) {
    if (!t.present || !ok()) return 0;
    const size_t slot = 4 + 2 * static_cast<size_t>(id);
    if (slot + 2 > t.vtable_size) return 0;
    const uint16_t offset = Load<uint16_t>(t.vtable + slot);
    if (offset == 0) return 0;
    if (offset < 4 || offset + size > t.table_size) {
      Fail("table at " + std::to_string(t.pos) + ": field " +
           std::to_string(id) + " at offset " + std::to_string(offset) +
           " lies outside its " + std::to_string(t.table_size) + "-byte table");
      return 0;
    }
    return t.pos + offset;
  }

  std::string_view bytes_;
  std::string error_;
};

}  // namespace tinykws::interop::flatbuffer
