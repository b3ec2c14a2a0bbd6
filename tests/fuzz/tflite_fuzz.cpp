// libFuzzer target: the .tflite reader (tests/fuzz/README.md), which reads
// files our converter wrote back but is written for untrusted bytes. Any
// input it accepts is a graph that writes out and reads back to the same
// bytes; a rejection is a Status with a message.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.hpp"
#include "interop/tflite_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using tinykws::fuzz::Require;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const tinykws::StatusOr<tinykws::interop::TfliteGraph> graph =
      tinykws::interop::ParseTflite(bytes);
  if (!graph.ok()) {
    Require(!graph.status().message().empty());
    return 0;
  }
  const std::string again = tinykws::interop::SerializeTflite(*graph);
  const tinykws::StatusOr<tinykws::interop::TfliteGraph> reread =
      tinykws::interop::ParseTflite(again);
  Require(reread.ok() && tinykws::interop::SerializeTflite(*reread) == again);
  return 0;
}
