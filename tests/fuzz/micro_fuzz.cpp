// libFuzzer target: the micro runtime on untrusted model bytes. The input,
// resealed so mutations reach the record and semantic checks, must be
// accepted by the micro reader exactly when the C++ reader accepts it (an
// int8 model; float32 weights are refused as unsupported); an accepted
// model runs in an arena of exactly kws_micro_arena_size bytes (ASan sees
// any overrun) and classifies a clip with the C++ Session's bits.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_util.hpp"
#include "tinykws/micro.h"
#include "tinykws/runtime.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tinykws;
  const std::string bytes =
      fuzz::Reseal(std::string(reinterpret_cast<const char*>(data), size));
  const auto* model = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t need = 0;
  char error[256];
  const kws_micro_status status =
      kws_micro_arena_size(model, bytes.size(), &need, error, sizeof error);
  const StatusOr<format::ModelFile> parsed = format::Parse(bytes, "fuzz.kws");
  const bool int8 =
      parsed.ok() && parsed->precision == format::Precision::kInt8;
  // Accepted exactly when the C++ reader accepts an int8 model; a valid
  // float32-weights model is "unsupported", not "bad".
  const bool float_weights = parsed.ok() && !int8;
  if ((status == KWS_MICRO_OK) != int8 ||
      (float_weights && status != KWS_MICRO_UNSUPPORTED)) {
    std::fprintf(stderr, "readers disagree: micro %d '%s', C++ '%s'\n",
                 static_cast<int>(status), error,
                 parsed.ok() ? "ok" : parsed.status().message().c_str());
    std::abort();
  }
  if (!int8) return 0;
  // Exactly the reported size, on the heap: one byte more would be an
  // overrun ASan reports.
  void* arena = std::malloc(need);
  fuzz::Require(arena != nullptr);
  kws_micro* kws = nullptr;
  fuzz::Require(kws_micro_init(model, bytes.size(), arena, need, &kws, error,
                               sizeof error) == KWS_MICRO_OK);
  StatusOr<std::shared_ptr<const Model>> cpp =
      Model::LoadFromBuffer(bytes.data(), bytes.size(), "fuzz.kws");
  fuzz::Require(cpp.ok());
  StatusOr<Session> session = Session::Create(*cpp);
  fuzz::Require(session.ok());
  static const std::string signal = fuzz::TestSignal();
  const auto* pcm = reinterpret_cast<const int16_t*>(signal.data());
  const size_t offset = 8000 * (data[size / 2] % 3);
  const size_t n = std::min<size_t>(16000, signal.size() / 2 - offset);
  ClassifyResult expected;
  const Status s = session->Classify(pcm + offset, n,
                                     (*cpp)->features().sample_rate, &expected);
  const size_t labels = (*cpp)->labels().size();
  std::vector<float> scores(labels);
  int label = -1;
  const kws_micro_status micro =
      kws_micro_classify(kws, pcm + offset, n, &label, scores.data(), nullptr);
  if (!s.ok()) {  // logits that overflow: the micro runtime says so too
    fuzz::Require(micro == KWS_MICRO_NOT_FINITE);
  } else {
    fuzz::Require(micro == KWS_MICRO_OK && label == expected.label);
    fuzz::Require(std::memcmp(scores.data(), expected.scores,
                              labels * sizeof(float)) == 0);
  }
  // A little streaming on the same arena.
  kws_micro_detection found[4];
  size_t count = 0;
  kws_micro_reset(kws);
  kws_micro_push(kws, pcm, 4000, found, 4, &count);
  std::free(arena);
  return 0;
}
