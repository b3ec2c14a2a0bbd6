// A GoogleTest fixture with a fresh temporary folder per test, removed after
// it: tests read and write only there.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

#include "gtest/gtest.h"

namespace tinykws::testing {

class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "tinykws_test_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& relative) const {
    return dir_ + "/" + relative;
  }

  std::string dir_;
};

}  // namespace tinykws::testing
