// libFuzzer target: a streaming application -- load a model (resealed),
// create a spotter with the stored detector, push a fixed 2 s signal in
// chunk sizes taken from the input's last bytes, reset, push again. Every
// detection is a keyword with a finite score in [0, 1], at a sample the
// stream has reached; the two passes agree.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_util.hpp"
#include "tinykws/spotter.hpp"

namespace {

struct Seen {
  const tinykws::Model* model;
  std::vector<tinykws::Detection> detections;
};

void OnDetection(const tinykws::Detection& d, void* user) {
  auto* seen = static_cast<Seen*>(user);
  const auto& labels = seen->model->labels();
  tinykws::fuzz::Require(d.label >= 0 &&
                         static_cast<size_t>(d.label) < labels.size());
  tinykws::fuzz::Require(tinykws::IsKeywordLabel(labels[d.label]));
  tinykws::fuzz::Require(std::isfinite(d.score) && d.score >= 0.0f &&
                         d.score <= 1.0f);
  seen->detections.push_back(d);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tinykws;
  StatusOr<std::shared_ptr<const Model>> model = fuzz::LoadResealed(data, size);
  if (!model.ok()) return 0;
  StatusOr<Spotter> spotter = Spotter::Create(*model);
  if (!spotter.ok()) return 0;
  fuzz::Require(spotter->arena_bytes() <= (*model)->spotter_bytes_bound());
  static const std::string signal = fuzz::TestSignal();
  const auto* pcm = reinterpret_cast<const int16_t*>(signal.data());
  const size_t total = signal.size() / 2;
  const int rate = (*model)->features().sample_rate;
  Seen passes[2] = {{model->get(), {}}, {model->get(), {}}};
  for (Seen& seen : passes) {
    spotter->Reset();
    size_t at = 0;
    for (size_t i = 0; at < total; ++i) {
      const uint8_t b =
          size > 0 ? data[size - 1 - i % std::min<size_t>(size, 8)] : 1;
      const size_t chunk = std::min(total - at, size_t{1} + b * 37u);
      const Status s = spotter->Push(pcm + at, chunk, rate, OnDetection, &seen);
      if (!s.ok()) {
        fuzz::Require(s.code() == StatusCode::kOutOfRange);  // not finite
        return 0;
      }
      at += chunk;
    }
    for (const Detection& d : seen.detections) {
      fuzz::Require(d.sample >= 0 && d.sample < static_cast<int64_t>(total));
    }
  }
  fuzz::Require(passes[0].detections.size() == passes[1].detections.size());
  return 0;
}
