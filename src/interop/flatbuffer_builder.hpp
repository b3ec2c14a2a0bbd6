// A small FlatBuffers writer (tables, scalar vectors, strings, vectors of
// tables), enough for the TFLite schema; no flatbuffers dependency.
//
// Objects are described first (each returns a Ref) and laid out by Finish.
// Finish writes the root first and every child after its parent (breadth
// first), so each offset points forward as the format requires; vtables sit
// just before their table. Scalars are aligned to their size, vector payloads
// to their element size or a requested larger alignment (TFLite buffers: 16),
// all relative to the start of the output, which a loader places at an
// aligned address.
//
// Rule: every object is referenced exactly once (the TFLite writer never
// shares an object); a second reference would have to point backwards.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace tinykws::interop::flatbuffer {

// Handle to an object added to a Builder.
struct Ref {
  int index = -1;
  bool valid() const { return index >= 0; }
};

// One table field by schema id: a scalar (size 1, 2, 4 or 8 bytes) or an
// offset to another object.
struct Field {
  int id = 0;
  int size = 0;       // scalar size in bytes; 0 for an offset
  uint64_t bits = 0;  // the scalar's little-endian bytes
  Ref ref;

  template <typename T>
  static Field Scalar(int id, T value) {
    static_assert(std::is_arithmetic_v<T> && sizeof(T) <= 8);
    Field f;
    f.id = id;
    f.size = sizeof(T);
    std::memcpy(&f.bits, &value, sizeof(T));
    return f;
  }
  static Field Offset(int id, Ref ref) {
    Field f;
    f.id = id;
    f.ref = ref;
    return f;
  }
};

class Builder {
 public:
  Ref String(std::string_view s) {
    Object o;
    o.kind = Kind::kBytes;
    o.bytes.assign(s.data(), s.size());
    o.count = static_cast<uint32_t>(s.size());
    o.terminate = true;
    return Add(std::move(o));
  }

  // A vector of scalars (bytes, ints, floats, longs).
  template <typename T>
  Ref Vector(const std::vector<T>& values, size_t align = sizeof(T)) {
    static_assert(std::is_arithmetic_v<T>);
    Object o;
    o.kind = Kind::kBytes;
    o.bytes.resize(values.size() * sizeof(T));
    if (!values.empty()) {
      std::memcpy(o.bytes.data(), values.data(), o.bytes.size());
    }
    o.count = static_cast<uint32_t>(values.size());
    o.align = std::max(align, sizeof(T));
    return Add(std::move(o));
  }

  // A [ubyte] vector of raw bytes with the payload aligned to `align`.
  Ref Bytes(std::string_view bytes, size_t align) {
    Object o;
    o.kind = Kind::kBytes;
    o.bytes.assign(bytes.data(), bytes.size());
    o.count = static_cast<uint32_t>(bytes.size());
    o.align = align;
    return Add(std::move(o));
  }

  // A vector of offsets (to tables or strings).
  Ref Vector(const std::vector<Ref>& refs) {
    Object o;
    o.kind = Kind::kRefs;
    o.refs = refs;
    return Add(std::move(o));
  }

  // Fields equal to the schema's default may be left out, as FlatBuffers
  // builders do; absent offsets mean "no object".
  Ref Table(std::vector<Field> fields) {
    Object o;
    o.kind = Kind::kTable;
    // Widest first keeps padding inside the table small.
    std::stable_sort(
        fields.begin(), fields.end(), [](const Field& a, const Field& b) {
          return (a.size == 0 ? 4 : a.size) > (b.size == 0 ? 4 : b.size);
        });
    o.fields = std::move(fields);
    return Add(std::move(o));
  }

  // The finished buffer: root offset, 4-byte file identifier, objects.
  std::string Finish(Ref root, std::string_view identifier) {
    assert(root.valid() && identifier.size() == 4);
    out_.assign(8, '\0');
    out_.replace(4, 4, identifier.data(), 4);
    position_.assign(objects_.size(), 0);
    patches_.clear();
    std::vector<bool> queued(objects_.size(), false);
    std::deque<int> queue = {root.index};
    queued[root.index] = true;
    patches_.push_back({0, root.index});
    while (!queue.empty()) {
      const int index = queue.front();
      queue.pop_front();
      Emit(index);
      for (int child : children_) {
        assert(!queued[child] && "an object may be referenced only once");
        queued[child] = true;
        queue.push_back(child);
      }
    }
    for (const Patch& p : patches_) {
      assert(position_[p.target] > p.at);
      PutAt<uint32_t>(p.at, static_cast<uint32_t>(position_[p.target] - p.at));
    }
    Pad(4);
    return std::move(out_);
  }

 private:
  enum class Kind { kTable, kBytes, kRefs };
  struct Object {
    Kind kind = Kind::kBytes;
    std::string bytes;  // kBytes payload
    uint32_t count = 0;
    size_t align = 1;
    bool terminate = false;     // strings end with a NUL not counted
    std::vector<Ref> refs;      // kRefs
    std::vector<Field> fields;  // kTable
  };
  struct Patch {
    size_t at;   // where the uoffset is written
    int target;  // the object it points to
  };

  Ref Add(Object o) {
    objects_.push_back(std::move(o));
    return Ref{static_cast<int>(objects_.size() - 1)};
  }

  void Pad(size_t align) {
    while (out_.size() % align != 0) out_.push_back('\0');
  }
  template <typename T>
  void Put(T value) {
    char raw[sizeof(T)];
    std::memcpy(raw, &value, sizeof(T));
    out_.append(raw, sizeof(T));
  }
  template <typename T>
  void PutAt(size_t at, T value) {
    std::memcpy(&out_[at], &value, sizeof(T));
  }
  // A uoffset to be filled in once the target has a position.
  void PutOffset(Ref target) {
    assert(target.valid() && target.index < static_cast<int>(objects_.size()));
    patches_.push_back({out_.size(), target.index});
    children_.push_back(target.index);
    Put<uint32_t>(0);
  }

  // Writes objects_[index] and lists the objects it points to in children_.
  void Emit(int index) {
    children_.clear();
    const Object& o = objects_[index];
    if (o.kind == Kind::kTable) {
      EmitTable(index);
      return;
    }
    // Length at a multiple of 4, payload at a multiple of the alignment.
    const size_t align = std::max<size_t>(4, o.align);
    while ((out_.size() + 4) % align != 0) out_.push_back('\0');
    position_[index] = out_.size();
    if (o.kind == Kind::kBytes) {
      Put<uint32_t>(o.count);
      out_ += o.bytes;
      if (o.terminate) out_.push_back('\0');
    } else {
      Put<uint32_t>(static_cast<uint32_t>(o.refs.size()));
      for (Ref r : o.refs) PutOffset(r);
    }
  }

  void EmitTable(int index) {
    const Object& o = objects_[index];
    int slots = 0;
    for (const Field& f : o.fields) slots = std::max(slots, f.id + 1);
    Pad(2);
    const size_t vtable = out_.size();
    out_.append(4 + 2 * slots, '\0');
    Pad(4);
    const size_t table = out_.size();
    position_[index] = table;
    Put<int32_t>(static_cast<int32_t>(table - vtable));
    for (const Field& f : o.fields) {
      const size_t size = f.size == 0 ? 4 : f.size;
      Pad(size);
      PutAt<uint16_t>(vtable + 4 + 2 * f.id,
                      static_cast<uint16_t>(out_.size() - table));
      if (f.size == 0) {
        PutOffset(f.ref);
      } else {
        out_.append(reinterpret_cast<const char*>(&f.bits), f.size);
      }
    }
    PutAt<uint16_t>(vtable, static_cast<uint16_t>(4 + 2 * slots));
    PutAt<uint16_t>(vtable + 2, static_cast<uint16_t>(out_.size() - table));
  }

  std::vector<Object> objects_;
  std::string out_;
  std::vector<size_t> position_;
  std::vector<Patch> patches_;
  std::vector<int> children_;
};

}  // namespace tinykws::interop::flatbuffer
