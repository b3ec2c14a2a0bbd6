// ReadAudio / WriteWav on bad input: every failure is a Status naming the
// file and the problem, nothing crashes, leaks or leaves temp files behind.
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "../common/file_size_limit.hpp"
#include "audio_test_util.hpp"
#include "gtest/gtest.h"
#include "tinykws/audio.hpp"

namespace tinykws {
namespace audio_test {
namespace {

// --- Bad inputs --------------------------------------------------------------

TEST_F(AudioTest, MissingFile) {
  const std::string path = Path("nope.wav");
  ExpectError(ReadAudio(path, 16000), path, "not found");
  EXPECT_EQ(ReadAudio(path, 16000).status().code(), StatusCode::kNotFound);
  ExpectError(ReadAudio(Path("nodir/x.wav"), 16000), Path("nodir/x.wav"),
              "not found");
}

TEST_F(AudioTest, Directory) {
  ExpectError(ReadAudio(dir_, 16000), dir_, "directory");
}

TEST_F(AudioTest, Fifo) {
  const std::string path = Path("fifo");
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  // Opening a FIFO without a writer would block; the reader must not.
  ExpectError(ReadAudio(path, 16000), path, "not a regular file");
}

TEST_F(AudioTest, EmptyFile) {
  const std::string path = Path("empty.wav");
  WriteBytes(path, "");
  ExpectError(ReadAudio(path, 16000), path, "empty");
}

TEST_F(AudioTest, TextFile) {
  const std::string path = Path("notes.au");  // .au must not mean raw mu-law
  WriteBytes(path, "This is a text file, not audio.\nSecond line.\n");
  ExpectError(ReadAudio(path, 16000), path, "not an audio file");
}

TEST_F(AudioTest, TruncatedHeader) {
  const std::string full = WavBytes(1, 16000, 16, 200, std::string(200, '\0'));
  for (size_t len : {4u, 12u, 30u, 40u}) {
    const std::string path = Path("trunc" + std::to_string(len) + ".wav");
    WriteBytes(path, full.substr(0, len));
    ExpectError(ReadAudio(path, 16000), path, "header is damaged, truncated");
  }
}

TEST_F(AudioTest, TooLong) {
  const std::vector<int16_t> s(16000, 3);
  const std::string path = Path("1s.wav");
  ASSERT_TRUE(WriteWav(path, s.data(), s.size(), 16000).ok());
  AudioReadOptions opt;
  opt.max_seconds = 0.5;
  ExpectError(ReadAudio(path, 16000, opt), path, "too long");
  opt.max_seconds = 1.0;  // exactly at the limit is fine
  EXPECT_TRUE(ReadAudio(path, 16000, opt).ok());
}

TEST_F(AudioTest, ZeroFrames) {
  const std::string path = Path("zero.wav");
  ASSERT_TRUE(WriteWav(path, nullptr, 0, 16000).ok());
  ExpectError(ReadAudio(path, 16000), path, "no audio");
  // Header claims 400 bytes of data, none present.
  const std::string cut = Path("nodata.wav");
  WriteBytes(cut, WavBytes(1, 16000, 16, 400, ""));
  ExpectError(ReadAudio(cut, 16000), cut, "no audio");
}

TEST_F(AudioTest, AbsurdChannelCounts) {
  const std::string path = Path("ch300.wav");
  WriteBytes(path, WavBytes(300, 16000, 16, 600, std::string(600, '\1')));
  ExpectError(ReadAudio(path, 16000), path, "300 channels");
  // Beyond libsndfile's own limit (1024) it refuses the header itself.
  const std::string huge = Path("ch60000.wav");
  WriteBytes(huge, WavBytes(60000, 16000, 16, 0, ""));
  ExpectError(ReadAudio(huge, 16000), huge, "header is damaged");
}

TEST_F(AudioTest, AbsurdSampleRate) {
  const std::string path = Path("rate.wav");
  WriteBytes(path, WavBytes(1, 2000000000u, 16, 4, std::string(4, '\1')));
  ExpectError(ReadAudio(path, 16000), path, "sample rate");
}

TEST_F(AudioTest, BadArguments) {
  const std::vector<int16_t> s(10, 0);
  const std::string path = Path("a.wav");
  ASSERT_TRUE(WriteWav(path, s.data(), s.size(), 16000).ok());
  ExpectError(ReadAudio(path, 0), path, "sample rate");
  ExpectError(ReadAudio(path, -16000), path, "sample rate");
  AudioReadOptions opt;
  opt.max_seconds = 0;
  ExpectError(ReadAudio(path, 16000, opt), path, "max_seconds");
  opt.max_seconds = std::nan("");
  ExpectError(ReadAudio(path, 16000, opt), path, "max_seconds");
}

// Documented choice: a data chunk shorter than its header claims is read as
// far as it goes, and marked truncated (ReadAudio and the stream alike).
TEST_F(AudioTest, HeaderClaimingMoreFramesReadsWhatIsThere) {
  std::string payload;
  for (int i = 0; i < 100; ++i) payload += Le(static_cast<uint32_t>(i * 3), 2);
  for (uint32_t claimed : {202u, 400u, 0x7FFFFFF0u}) {
    const std::string path = Path("short" + std::to_string(claimed) + ".wav");
    WriteBytes(path, WavBytes(1, 16000, 16, claimed, payload));
    auto r = ReadAudio(path, 16000);
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(r->samples.size(), 100u);
    for (int i = 0; i < 100; ++i)
      EXPECT_EQ(r->samples[static_cast<size_t>(i)], i * 3);
    EXPECT_TRUE(r->truncated) << claimed;
    auto stream = AudioFileStream::Open(path, 8000);
    ASSERT_TRUE(stream.ok()) << stream.status().message();
    std::vector<int16_t> chunk;
    for (bool end = false; !end;)
      ASSERT_TRUE((*stream)->Read(&chunk, &end).ok());
    EXPECT_TRUE((*stream)->truncated()) << claimed;
  }
}

// Whole files are not truncated: exact sizes, a chunk after the data, and
// the sizes recorders write to a pipe for "length unknown".
TEST_F(AudioTest, CompleteWavFilesAreNotTruncated) {
  std::string payload;
  for (int i = 0; i < 100; ++i) payload += Le(static_cast<uint32_t>(i), 2);
  const std::string after = "LIST" + Le(4, 4) + "INFO";
  for (const auto& [name, bytes] :
       std::vector<std::pair<std::string, std::string>>{
           {"exact", WavBytes(1, 16000, 16, 200, payload)},
           {"list_after", WavBytes(1, 16000, 16, 200, payload) + after},
           {"unknown_7fff", WavBytes(1, 16000, 16, 0x7FFFFFFFu, payload)},
           {"unknown_ffff", WavBytes(1, 16000, 16, 0xFFFFFFFFu, payload)}}) {
    const std::string path = Path(name + ".wav");
    WriteBytes(path, bytes);
    auto r = ReadAudio(path, 16000);
    ASSERT_TRUE(r.ok()) << name << ": " << r.status().message();
    EXPECT_EQ(r->samples.size(), 100u) << name;
    EXPECT_FALSE(r->truncated) << name;
  }
  const std::vector<int16_t> s(1000, 5);
  ASSERT_TRUE(WriteWav(Path("written.wav"), s.data(), s.size(), 16000).ok());
  auto written = ReadAudio(Path("written.wav"), 16000);
  ASSERT_TRUE(written.ok());
  EXPECT_FALSE(written->truncated);
}

// FLAC's frame count comes from STREAMINFO, so a cut file really is short:
// the decodable prefix is returned (noted when verbose); a cut before the
// first complete frame is an error. Neither may crash.
TEST_F(AudioTest, TruncatedFlacReadsDecodablePrefix) {
  std::vector<short> s;
  for (int i = 0; i < 32000; ++i) {
    s.push_back(static_cast<short>((i * 7919) % 20000 - 10000));
  }
  const std::string full = Path("full.flac");
  WriteSnd(full, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1, 16000, s);
  const auto size = std::filesystem::file_size(full);
  for (int percent : {50, 10, 2}) {
    const std::string path = Path("cut" + std::to_string(percent) + ".flac");
    std::filesystem::copy_file(full, path);
    std::filesystem::resize_file(path, size * percent / 100);
    AudioReadOptions opt;
    opt.verbose = true;
    ::testing::internal::CaptureStderr();
    auto r = ReadAudio(path, 16000, opt);
    const std::string err = ::testing::internal::GetCapturedStderr();
    if (percent == 50) {
      ASSERT_TRUE(r.ok()) << r.status().message();
    }
    if (r.ok()) {
      ASSERT_GT(r->samples.size(), 0u);
      ASSERT_LT(r->samples.size(), s.size());
      for (size_t i = 0; i < r->samples.size(); ++i) {
        ASSERT_EQ(r->samples[i], s[i]) << i;
      }
      EXPECT_NE(err.find("header claims 32000 frames, only"), std::string::npos)
          << err;
      EXPECT_TRUE(r->truncated);
    } else {
      ExpectError(r, path, "decoding failed");
    }
  }
}

size_t OpenDescriptors() {
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
    (void)e;
    ++n;
  }
  return n;
}

// libsndfile closes descriptors on some failure paths and not others; the
// reader and writer must neither leak nor double-close around that.
TEST_F(AudioTest, NoDescriptorLeaks) {
  if (!std::filesystem::exists("/proc/self/fd")) GTEST_SKIP() << "no /proc";
  const std::vector<int16_t> s(100, 5);
  const std::string good = Path("good.wav"), text = Path("text.wav");
  const std::string trunc = Path("trunc.wav"), zero = Path("zero.wav");
  ASSERT_TRUE(WriteWav(good, s.data(), s.size(), 16000).ok());
  ASSERT_TRUE(WriteWav(zero, nullptr, 0, 16000).ok());
  WriteBytes(text, "plain text");
  WriteBytes(trunc, WavBytes(1, 16000, 16, 200, "").substr(0, 30));
  const std::string sub = Path("sub");
  ASSERT_EQ(::mkdir(sub.c_str(), 0755), 0);
  const size_t before = OpenDescriptors();
  for (int i = 0; i < 20; ++i) {
    EXPECT_TRUE(ReadAudio(good, 8000).ok());
    EXPECT_FALSE(ReadAudio(text, 16000).ok());
    EXPECT_FALSE(ReadAudio(trunc, 16000).ok());
    EXPECT_FALSE(ReadAudio(zero, 16000).ok());
    EXPECT_FALSE(ReadAudio(sub, 16000).ok());
    EXPECT_TRUE(WriteWav(good, s.data(), s.size(), 16000).ok());
    EXPECT_FALSE(WriteWav(sub, s.data(), s.size(), 16000).ok());
  }
  EXPECT_EQ(OpenDescriptors(), before);
}

// --- WriteWav failures -------------------------------------------------------

TEST_F(AudioTest, WriteWavRejectsBadArguments) {
  const std::vector<int16_t> s(10, 0);
  const std::string path = Path("out.wav");
  EXPECT_FALSE(WriteWav(path, nullptr, 10, 16000).ok());
  EXPECT_FALSE(WriteWav(path, s.data(), s.size(), 0).ok());
  EXPECT_FALSE(WriteWav(path, s.data(), s.size(), -1).ok());
  EXPECT_FALSE(WriteWav(path, s.data(), s.size(), 16000, 0).ok());
  const Status st = WriteWav(path, s.data(), s.size(), 16000, -2);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message().rfind(path, 0), 0u) << st.message();
  EXPECT_NE(st.message().find("channels"), std::string::npos);
  // Rejected from the count alone, before any sample is touched.
  const Status big = WriteWav(path, s.data(), size_t{1} << 31, 16000);
  EXPECT_EQ(big.code(), StatusCode::kOutOfRange);
  EXPECT_NE(big.message().find("4 GiB"), std::string::npos) << big.message();
  EXPECT_TRUE(Entries().empty());
}

TEST_F(AudioTest, WriteWavIntoMissingFolderLeavesNothing) {
  const std::vector<int16_t> s(10, 0);
  const std::string path = Path("missing/out.wav");
  const Status st = WriteWav(path, s.data(), s.size(), 16000);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message().rfind(path, 0), 0u) << st.message();
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_NE(st.message().find("folder does not exist"), std::string::npos);
  EXPECT_TRUE(Entries().empty());
}

TEST_F(AudioTest, WriteWavOntoDirectoryRemovesTempFile) {
  // The temp file is created next to the target, then rename() fails.
  const std::string path = Path("target");
  ASSERT_EQ(::mkdir(path.c_str(), 0755), 0);
  const std::vector<int16_t> s(10, 0);
  const Status st = WriteWav(path, s.data(), s.size(), 16000);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message().rfind(path, 0), 0u) << st.message();
  EXPECT_EQ(Entries(), std::vector<std::string>{"target"});
}

// A full disk (a file-size cap, same write error) fails the write with a
// Status naming the file; no partial WAV and no temporary are left, and a
// WAV already at the path stays as it was.
TEST_F(AudioTest, WriteWavOnAFullDiskLeavesNothingOrTheOldFile) {
  const std::vector<int16_t> s(16000, 1000);
  const std::string path = Path("out.wav");
  const Status full = testing::WithFileSizeLimit(
      8192, [&] { return WriteWav(path, s.data(), s.size(), 16000); });
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.code(), StatusCode::kIoError) << full.message();
  EXPECT_EQ(full.message().rfind(path, 0), 0u) << full.message();
  EXPECT_TRUE(Entries().empty());

  const std::vector<int16_t> small(100, 7);
  ASSERT_TRUE(WriteWav(path, small.data(), small.size(), 16000).ok());
  EXPECT_FALSE(testing::WithFileSizeLimit(8192, [&] {
                 return WriteWav(path, s.data(), s.size(), 16000);
               }).ok());
  EXPECT_EQ(Entries(), std::vector<std::string>{"out.wav"});
  StatusOr<AudioClip> kept = ReadAudio(path, 16000);
  ASSERT_TRUE(kept.ok()) << kept.status().message();
  EXPECT_EQ(kept->samples, small);
}

}  // namespace
}  // namespace audio_test
}  // namespace tinykws
