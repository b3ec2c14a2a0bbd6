// WriteModelFile / ReadModelFile: atomic write, whole-file read, errors
// naming the path, nothing left behind after a failed write.
#include <dirent.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "../common/file_size_limit.hpp"
#include "format/model_file.hpp"
#include "model_compare.hpp"
#include "test_model.hpp"

namespace tinykws::format {
namespace {

using testing::GoStopLikeModel;

class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "kws_format_XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (mkdtemp(buf.data()) != nullptr) path_ = buf.data();
  }
  ~TempDir() {
    for (const std::string& name : List()) unlink((path_ + "/" + name).c_str());
    rmdir(path_.c_str());
  }
  const std::string& path() const { return path_; }
  std::vector<std::string> List() const {
    std::vector<std::string> names;
    if (DIR* dir = opendir(path_.c_str())) {
      while (const dirent* e = readdir(dir)) {
        const std::string name = e->d_name;
        if (name != "." && name != "..") names.push_back(name);
      }
      closedir(dir);
    }
    return names;
  }

 private:
  std::string path_;
};

TEST(FileIo, WriteThenReadGivesTheModelBack) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  for (Precision p : {Precision::kInt8, Precision::kFloat32}) {
    const ModelFile m = GoStopLikeModel(p);
    const std::string path = dir.path() + "/model.kws";
    const Status written = WriteModelFile(path, m);
    ASSERT_TRUE(written.ok()) << written.message();
    EXPECT_EQ(dir.List(), std::vector<std::string>{"model.kws"});
    const StatusOr<ModelFile> read = ReadModelFile(path);
    ASSERT_TRUE(read.ok()) << read.status().message();
    testing::ExpectModelsEqual(*read, m);
  }
}

TEST(FileIo, FailedWritesLeaveNothingBehind) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const Status missing = WriteModelFile(
      dir.path() + "/no/such/folder/model.kws", GoStopLikeModel());
  EXPECT_FALSE(missing.ok());
  EXPECT_EQ(missing.code(), StatusCode::kIoError);
  EXPECT_NE(missing.message().find("no/such/folder/model.kws"),
            std::string::npos)
      << missing.message();

  ModelFile invalid = GoStopLikeModel();
  invalid.convs[0].weights[0] = -128;
  const std::string path = dir.path() + "/model.kws";
  const Status refused = WriteModelFile(path, invalid);
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find(path + ": conv[0] weights[0]"),
            std::string::npos)
      << refused.message();
  EXPECT_TRUE(dir.List().empty());

  // A failed overwrite keeps the previous file intact.
  ASSERT_TRUE(WriteModelFile(path, GoStopLikeModel()).ok());
  EXPECT_FALSE(WriteModelFile(path, invalid).ok());
  EXPECT_TRUE(ReadModelFile(path).ok());
  EXPECT_EQ(dir.List(), std::vector<std::string>{"model.kws"});
}

// On a full disk (a file-size cap gives the same write error) the write
// fails naming the file, and leaves no partial model, no temporary, and any
// earlier model at the path intact.
TEST(FileIo, AFullDiskLeavesNoPartialModel) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string path = dir.path() + "/model.kws";
  const ModelFile big = GoStopLikeModel(Precision::kFloat32);
  auto write_capped = [&] {
    return tinykws::testing::WithFileSizeLimit(
        4096, [&] { return WriteModelFile(path, big); });
  };
  const Status full = write_capped();
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.code(), StatusCode::kIoError);
  EXPECT_NE(full.message().find(path + ": write failed"), std::string::npos)
      << full.message();
  EXPECT_TRUE(dir.List().empty());

  ASSERT_TRUE(WriteModelFile(path, GoStopLikeModel()).ok());
  EXPECT_FALSE(write_capped().ok());
  EXPECT_EQ(dir.List(), std::vector<std::string>{"model.kws"});
  const StatusOr<ModelFile> kept = ReadModelFile(path);
  ASSERT_TRUE(kept.ok()) << kept.status().message();
  testing::ExpectModelsEqual(*kept, GoStopLikeModel());
}

TEST(FileIo, ReadErrorsNameThePath) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const StatusOr<ModelFile> missing = ReadModelFile(dir.path() + "/none.kws");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);

  const StatusOr<ModelFile> folder = ReadModelFile(dir.path());
  EXPECT_FALSE(folder.ok());

  const std::string text = dir.path() + "/notes.kws";
  std::ofstream(text) << "these are not model bytes\n";
  const StatusOr<ModelFile> garbage = ReadModelFile(text);
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status().code(), StatusCode::kFormatError);
  EXPECT_EQ(
      garbage.status().message().rfind(text + ": not a tinykws model file", 0),
      0u)
      << garbage.status().message();
}

}  // namespace
}  // namespace tinykws::format
