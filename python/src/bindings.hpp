// Shared pieces of the tinykws Python module: how a Status becomes a Python
// exception, how numpy audio arrives, and the per-area binding functions
// that module.cpp calls.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <charconv>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "tinykws/runtime.hpp"
#include "tinykws/status.hpp"

namespace tinykws::python {

namespace py = pybind11;

// Carries a non-OK Status out of C++ code; module.cpp's translator turns it
// into the Python exception of its code (ValueError, FileNotFoundError,
// OSError, RuntimeError) with the Status message unchanged.
class StatusError : public std::runtime_error {
 public:
  explicit StatusError(Status status)
      : std::runtime_error(status.message()), status_(std::move(status)) {}
  const Status& status() const { return status_; }

 private:
  Status status_;
};

inline void ThrowIfError(const Status& status) {
  if (!status.ok()) throw StatusError(status);
}

template <typename T>
T ValueOrThrow(StatusOr<T> value_or) {
  if (!value_or.ok()) throw StatusError(value_or.status());
  return std::move(value_or).value();
}

// The Python Model: a shared handle, so that sessions and spotters made
// from it keep the model alive as the C++ objects do.
struct ModelHandle {
  std::shared_ptr<const Model> model;
};

enum class SampleType { kInt16, kFloat32 };

// Audio as the C++ API takes it: 1-D, C-contiguous (copied if strided or
// byte-swapped), int16 or, where float_ok, float32 in [-1, 1] (the C++ call
// converts it). Any other dtype raises TypeError rather than being cast
// (numpy's casts would silently wrap or rescale samples); another shape
// raises ValueError. `what` names the argument in the messages.
struct Samples {
  SampleType type;
  py::array array;  // keeps the samples alive
  const void* data() const { return array.data(); }
  size_t size() const { return static_cast<size_t>(array.size()); }
};
Samples AudioSamples(const py::handle& audio, const char* what, bool float_ok);

// The shortest text that reads back as the same float32 ("0.9", where
// Python's repr of the widened double would print 0.8999999761581421).
inline std::string FloatText(float value) {
  char text[32];
  const auto result = std::to_chars(text, text + sizeof text, value);
  return std::string(text, result.ptr);
}

void BindFeatures(py::module_& m);
void BindModel(py::module_& m);
void BindSpotter(py::module_& m);

}  // namespace tinykws::python
