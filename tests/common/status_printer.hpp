// Status in gtest messages: EXPECT_TRUE(s.ok()) << s. Test-only (the library
// has no operator<< for Status); found by argument-dependent lookup.
#pragma once

#include <ostream>

#include "tinykws/status.hpp"

namespace tinykws {

inline std::ostream& operator<<(std::ostream& os, const Status& status) {
  return os << StatusCodeName(status.code()) << ": " << status.message();
}

}  // namespace tinykws
