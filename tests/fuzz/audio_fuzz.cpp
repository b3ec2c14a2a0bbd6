// libFuzzer target: the audio reader on any bytes, as a file (an in-memory
// file, so no disk is involved): ReadAudio and AudioFileStream decode the
// same samples or fail with a Status naming the file; resampling included
// (the target rate alternates with the input's first byte).
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_util.hpp"
#include "tinykws/audio.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tinykws;
  static const int fd = memfd_create("tinykws_audio_fuzz", 0);
  static const std::string path = "/proc/self/fd/" + std::to_string(fd);
  fuzz::Require(fd >= 0);
  fuzz::Require(ftruncate(fd, 0) == 0);
  if (size > 0)
    fuzz::Require(pwrite(fd, data, size, 0) == static_cast<ssize_t>(size));
  const int rate = size > 0 && (data[0] & 1) ? 8000 : 16000;
  AudioReadOptions options;
  options.max_seconds =
      2.0;  // keeps each input cheap; the limit path is exercised too
  StatusOr<AudioClip> clip = ReadAudio(path, rate, options);
  StatusOr<std::unique_ptr<AudioFileStream>> stream =
      AudioFileStream::Open(path, rate, options);
  if (!clip.ok()) {
    fuzz::Require(clip.status().message().rfind(path, 0) == 0);
    return 0;
  }
  fuzz::Require(stream.ok());
  std::vector<int16_t> all, chunk;
  for (bool end = false; !end;) {
    if (!(*stream)->Read(&chunk, &end).ok()) std::abort();
    all.insert(all.end(), chunk.begin(), chunk.end());
  }
  fuzz::Require(all == clip->samples);
  // Both readers agree on whether the file held less than its header said.
  fuzz::Require(clip->truncated == (*stream)->truncated());
  return 0;
}
