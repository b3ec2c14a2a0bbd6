// spot_cpp: keyword spotting with the tinykws C++ API (tinykws/runtime.hpp,
// tinykws/spotter.hpp; C++17).
//
// Streams a recording or a microphone through a tinykws::Spotter and prints
// one line per detected keyword: time (s), label, score; tab-separated, the
// format of `kws spot`:
//
//   ./spot_cpp go_stop.kws recording.wav
//   arecord -f S16_LE -r 16000 -c 1 -t raw | ./spot_cpp go_stop.kws -
//
// The detector comes from the model file; SpotterOptions could override
// thresholds, smoothing or the refractory period. The installed C++ API
// reads no audio files (that part of tinykws needs libsndfile and is not
// installed), so audio comes through the same small WAV / raw PCM reader as
// the C example (../c/pcm_source.h).
//
// Build against an installed tinykws: examples/README.md, with CMake
// (target_link_libraries(app PRIVATE tinykws::tinykws) brings C++17 along)
// or pkg-config (-std=c++17 from `pkg-config --variable=cxxflags tinykws`).
// Exit status: 0 success, 1 error (a message on stderr), 2 usage.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <tinykws/runtime.hpp>
#include <tinykws/spotter.hpp>
#include <vector>

#include "pcm_source.h"

namespace {

struct SpotParams {
  std::string model_path;
  std::string input;  // a WAV file, or "-" for raw PCM on stdin
  int raw_rate = 0;   // of the raw PCM; 0: the model's rate
};

void PrintUsage(const char* program) {
  std::fprintf(stderr,
               "usage: %s MODEL.kws AUDIO.wav\n"
               "       %s MODEL.kws - [RATE]   raw S16_LE mono PCM on stdin\n",
               program, program);
}

bool ParseParams(int argc, char** argv, SpotParams* params) {
  if (argc < 3 || argc > 4) return false;
  params->model_path = argv[1];
  params->input = argv[2];
  if (argc == 4) {
    char* end = nullptr;
    const long rate = std::strtol(argv[3], &end, 10);
    if (params->input != "-" || *end != '\0' || rate < 1000 || rate > 384000) {
      return false;
    }
    params->raw_rate = static_cast<int>(rate);
  }
  return true;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  SpotParams params;
  if (!ParseParams(argc, argv, &params)) {
    PrintUsage(argv[0]);
    return 2;
  }
  // Errors are values: StatusOr<T> holds the result or a Status whose
  // message says what went wrong. No exceptions cross the API.
  tinykws::StatusOr<std::shared_ptr<const tinykws::Model>> model =
      tinykws::Model::Load(params.model_path);
  if (!model.ok()) return Fail(model.status().message());
  // One spotter per stream; any number of them may share the model.
  tinykws::StatusOr<tinykws::Spotter> spotter =
      tinykws::Spotter::Create(*model);
  if (!spotter.ok()) return Fail(spotter.status().message());
  const std::vector<std::string>& labels = (*model)->labels();

  pcm_source source;
  char message[256];
  const int raw_rate =
      params.raw_rate ? params.raw_rate : (*model)->features().sample_rate;
  if (!pcm_source_open(&source, params.input.c_str(), raw_rate, message,
                       sizeof message)) {
    return Fail(message);
  }
  // 100 ms at 16 kHz. Any size works: the spotter keeps what a chunk
  // leaves unfinished for the next one. Allocated once here; Push itself
  // never allocates.
  std::vector<int16_t> chunk(1600);
  tinykws::Status status = tinykws::Status::Ok();
  size_t n;
  while (status.ok() &&
         (n = pcm_source_read(&source, chunk.data(), chunk.size())) > 0) {
    // The callback runs inside Push, once per detection, in order; printed
    // and flushed at once, so a microphone's keywords show as they are
    // heard.
    status = spotter->Push(chunk.data(), n, source.sample_rate,
                           [&](const tinykws::Detection& d) {
                             std::printf("%.3f\t%s\t%.6f\n", d.time_s,
                                         labels[d.label].c_str(), d.score);
                             std::fflush(stdout);
                           });
  }
  const bool read_failed = pcm_source_failed(&source) != 0;
  pcm_source_close(&source);
  if (!status.ok()) return Fail(status.message());
  if (read_failed) return Fail("reading the audio failed");
  return 0;
}
