// libFuzzer target: what an application does with a model it was given --
// load (resealed, so mutations reach the runtime), create a session,
// classify clips. Loading either fails with a Status or gives a model whose
// sessions classify without crashing, within the model's memory bound, and
// never return a non-finite score as a success.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_util.hpp"
#include "tinykws/runtime.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tinykws;
  StatusOr<std::shared_ptr<const Model>> model = fuzz::LoadResealed(data, size);
  if (!model.ok()) return 0;
  StatusOr<Session> session = Session::Create(*model);
  if (!session.ok()) return 0;
  fuzz::Require(session->arena_bytes() <= (*model)->session_bytes_bound());
  static const std::string signal = fuzz::TestSignal();
  const auto* pcm = reinterpret_cast<const int16_t*>(signal.data());
  const int rate = (*model)->features().sample_rate;
  const size_t labels = (*model)->labels().size();
  // One clip per input (silence, a tone, noise, picked by the input), so
  // executions stay fast.
  const size_t offset = size > 0 ? 8000 * (data[size / 2] % 3) : 0;
  {
    ClassifyResult r;
    const Status s = session->Classify(pcm + offset, 16000, rate, &r);
    if (!s.ok()) {
      fuzz::Require(s.code() == StatusCode::kOutOfRange);  // not finite
      return 0;
    }
    fuzz::Require(r.label >= 0 && static_cast<size_t>(r.label) < labels);
    for (size_t k = 0; k < labels; ++k) {
      fuzz::Require(std::isfinite(r.scores[k]) && r.scores[k] >= 0.0f &&
                    r.scores[k] <= 1.0f);
    }
  }
  return 0;
}
