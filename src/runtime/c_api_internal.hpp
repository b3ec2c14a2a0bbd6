// Shared by the C API's translation units: the handle structs and the
// status/exception conversion.
#pragma once

#include <memory>
#include <new>
#include <string>

#include "tinykws/runtime.hpp"
#include "tinykws/tinykws.h"

struct kws_model {
  std::shared_ptr<const tinykws::Model> model;
};

struct kws_error {
  kws_status status;
  std::string message;
};

namespace tinykws::c_api {

inline kws_status ToC(StatusCode code) {
  return static_cast<kws_status>(static_cast<int>(code));
}

inline kws_status Fail(kws_error** error, kws_status status,
                       const std::string& message) {
  if (error != nullptr) *error = new (std::nothrow) kws_error{status, message};
  return status;
}

inline kws_status Fail(kws_error** error, const Status& s) {
  return Fail(error, ToC(s.code()), s.message());
}

// Runs fn; no exception crosses the C boundary.
template <typename Fn>
kws_status Guard(kws_error** error, Fn fn) {
  try {
    return fn();
  } catch (const std::bad_alloc&) {
    return Fail(error, KWS_ERROR_OUT_OF_RANGE, "out of memory");
  } catch (...) {
    return Fail(error, KWS_ERROR_INTERNAL, "unexpected internal error");
  }
}

}  // namespace tinykws::c_api
