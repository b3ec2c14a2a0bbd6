// tinykws._tinykws: the Python module over the C++ runtime. Each binding is
// a thin shell over one C++ call: arguments checked for what C++ cannot see
// (array dtype and shape), the GIL released while the call works, the
// Status turned into an exception carrying its message.
#include <Python.h>

#include <string>

#include "bindings.hpp"

namespace tinykws::python {

namespace {

// Python's own exception types, so callers catch what they already know:
// bad input (arguments, malformed or unsupported files) is ValueError, a
// missing file FileNotFoundError, a failed read OSError; only a broken
// invariant of tinykws is RuntimeError.
PyObject* ExceptionTypeOf(StatusCode code) {
  switch (code) {
    case StatusCode::kNotFound:
      return PyExc_FileNotFoundError;
    case StatusCode::kIoError:
      return PyExc_OSError;
    case StatusCode::kInvalidArgument:
    case StatusCode::kFormatError:
    case StatusCode::kUnsupported:
    case StatusCode::kOutOfRange:
      return PyExc_ValueError;
    case StatusCode::kOk:
    case StatusCode::kInternal:
      break;
  }
  return PyExc_RuntimeError;
}

std::string DtypeName(const py::array& array) {
  return py::str(array.dtype()).cast<std::string>();
}

// "list", "numpy.int16" (a numpy scalar is not an array).
std::string TypeName(const py::handle& object) {
  const py::handle type = py::type::of(object);
  const auto module = type.attr("__module__").cast<std::string>();
  const auto name = type.attr("__qualname__").cast<std::string>();
  return module == "builtins" ? name : module + "." + name;
}

std::string ShapeText(const py::array& array) {
  std::string text = "(";
  for (py::ssize_t i = 0; i < array.ndim(); ++i) {
    text += (i ? ", " : "") + std::to_string(array.shape(i));
  }
  return text + (array.ndim() == 1 ? ",)" : ")");
}

}  // namespace

Samples AudioSamples(const py::handle& audio, const char* what, bool float_ok) {
  const std::string expected =
      float_ok ? "int16 (or float32 in [-1, 1])" : "int16";
  if (!py::isinstance<py::array>(audio)) {
    throw py::type_error(std::string(what) + " must be a numpy array of " +
                         expected + " samples, got " + TypeName(audio));
  }
  const auto array = py::reinterpret_borrow<py::array>(audio);
  const py::dtype dtype = array.dtype();
  const bool is_int16 = dtype.kind() == 'i' && dtype.itemsize() == 2;
  const bool is_float32 = dtype.kind() == 'f' && dtype.itemsize() == 4;
  if (!is_int16 && !(float_ok && is_float32)) {
    throw py::type_error(std::string(what) + " must be " + expected +
                         " samples, got dtype " + DtypeName(array));
  }
  if (array.ndim() != 1) {
    throw py::value_error(std::string(what) +
                          " must be 1-D mono samples, got shape " +
                          ShapeText(array));
  }
  // Same kind and width: ensure() changes only layout and byte order.
  if (is_int16) {
    return {
        SampleType::kInt16,
        py::array_t<int16_t, py::array::c_style | py::array::forcecast>::ensure(
            array)};
  }
  return {SampleType::kFloat32,
          py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(
              array)};
}

}  // namespace tinykws::python

PYBIND11_MODULE(_tinykws, m) {
  namespace tp = tinykws::python;
  m.doc() =
      "tinykws: keyword spotting with .kws models (load, classify clips, "
      "spot keywords in streams, MFCC features).";
  m.attr("__version__") = TINYKWS_VERSION;
  pybind11::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const tp::StatusError& e) {
      PyErr_SetString(tp::ExceptionTypeOf(e.status().code()),
                      e.status().message().c_str());
    }
  });
  tp::BindFeatures(m);
  tp::BindModel(m);
  tp::BindSpotter(m);
}
