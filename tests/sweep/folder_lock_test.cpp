// A folder lock refuses a second writer, naming the holder's pid, and is
// gone with its holder.
#include "common/folder_lock.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace tinykws {
namespace {

namespace fs = std::filesystem;

TEST(FolderLock, ASecondWriterIsRefusedWithTheHoldersPid) {
  const fs::path dir = fs::temp_directory_path() /
                       ("tinykws_lock_" + std::to_string(getpid())) / "new";
  fs::remove_all(dir.parent_path());
  {
    StatusOr<FolderLock> first = FolderLock::Acquire(dir.string(), "sweep");
    ASSERT_TRUE(first.ok()) << first.status().message();
    EXPECT_TRUE(fs::is_directory(dir));  // created
    StatusOr<FolderLock> second = FolderLock::Acquire(dir.string(), "sweep");
    ASSERT_FALSE(second.ok());
    EXPECT_NE(second.status().message().find(
                  "another sweep is writing this folder (process " +
                  std::to_string(getpid())),
              std::string::npos)
        << second.status().message();
    FolderLock moved = std::move(*first);
    EXPECT_TRUE(moved.held());
    EXPECT_FALSE(FolderLock::Acquire(dir.string(), "sweep").ok());
  }
  // Released with its holder.
  StatusOr<FolderLock> again = FolderLock::Acquire(dir.string(), "sweep");
  ASSERT_TRUE(again.ok());
  again->ReleaseAndRemove();
  EXPECT_FALSE(fs::exists(dir / FolderLock::kFileName));
  fs::remove_all(dir.parent_path());
}

}  // namespace
}  // namespace tinykws
