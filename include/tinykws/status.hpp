// Error values used across tinykws: library code reports bad input as a
// Status (code + message) instead of throwing or aborting.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "tinykws/export.hpp"

namespace tinykws {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument = 1,  // bad parameter or configuration value
  kNotFound = 2,         // file or folder does not exist
  kIoError = 3,          // read/write failed
  kFormatError = 4,      // file exists but its content is malformed
  kUnsupported = 5,      // valid but not supported (e.g. future version)
  kOutOfRange = 6,       // a size or count beyond the supported limits
  kInternal = 7,         // a broken invariant: a bug in tinykws
};

TINYKWS_API const char* StatusCodeName(StatusCode code);

class TINYKWS_API Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "prefix: message" (for adding context
  // such as a file name while passing an error up).
  Status WithPrefix(const std::string& prefix) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}
inline Status NotFound(std::string message) {
  return Status(StatusCode::kNotFound, std::move(message));
}
inline Status IoError(std::string message) {
  return Status(StatusCode::kIoError, std::move(message));
}
inline Status FormatError(std::string message) {
  return Status(StatusCode::kFormatError, std::move(message));
}
inline Status Unsupported(std::string message) {
  return Status(StatusCode::kUnsupported, std::move(message));
}
inline Status OutOfRange(std::string message) {
  return Status(StatusCode::kOutOfRange, std::move(message));
}
inline Status InternalError(std::string message) {
  return Status(StatusCode::kInternal, std::move(message));
}

// A value or the Status explaining why there is none.
template <typename T>
class StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok()) {
      status_ = InternalError("StatusOr constructed from an OK status");
    }
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  // Precondition: ok(). Callers check ok() first.
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace tinykws

// Propagates a non-OK Status from an expression returning Status.
#define TINYKWS_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::tinykws::Status tinykws_status_ = (expr);        \
    if (!tinykws_status_.ok()) return tinykws_status_; \
  } while (0)
