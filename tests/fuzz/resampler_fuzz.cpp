// libFuzzer target: the rate converter a spotter uses for microphones at
// other rates. The first 4 bytes choose the input and output rates (any
// values, many of them refused), the next bytes the chunk sizes and output
// capacities, the rest are int16 samples. Converting in those chunks must
// give exactly the output of one call with room for everything, every
// output finite, every refused rate a Status.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "fuzz_util.hpp"
#include "tinykws/resampler.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tinykws;
  if (size < 12) return 0;
  uint16_t a, b;
  std::memcpy(&a, data, 2);
  std::memcpy(&b, data + 2, 2);
  // Rates in steps of 50 Hz up to 3.2 MHz: common ones are reachable, and
  // so are refused ones (too low, too high, ratio terms over 1024).
  const int in_rate = 50 * a, out_rate = 50 * b;
  StatusOr<Resampler> whole = Resampler::Create(in_rate, out_rate);
  if (!whole.ok()) {
    fuzz::Require(whole.status().code() == StatusCode::kInvalidArgument);
    return 0;
  }
  StatusOr<Resampler> pieces = Resampler::Create(in_rate, out_rate);
  fuzz::Require(pieces.ok());
  const uint8_t* steer = data + 4;  // 8 bytes of chunk sizes / capacities
  std::vector<float> in((size - 12) / 2);
  for (size_t i = 0; i < in.size(); ++i) {
    int16_t v;
    std::memcpy(&v, data + 12 + 2 * i, 2);
    in[i] = v;
  }
  // Enough room for every output: in * out / in_rate, plus slack.
  const size_t room =
      static_cast<size_t>(static_cast<double>(in.size()) * out_rate / in_rate) +
      8;
  std::vector<float> expected(room);
  size_t expected_n = 0;
  fuzz::Require(whole->Process(in.data(), in.size(), expected.data(), room,
                               &expected_n) == in.size());
  fuzz::Require(expected_n <= room);
  std::vector<float> got, block(64);
  size_t at = 0, written = 0, capacity = 0;
  for (size_t step = 0; at < in.size() || written == capacity; ++step) {
    const size_t chunk = 1 + steer[step % 4] % 97;
    capacity = 1 + steer[4 + step % 4] % block.size();
    const size_t n = std::min(chunk, in.size() - at);
    at += pieces->Process(in.data() + at, n, block.data(), capacity, &written);
    fuzz::Require(written <= capacity);
    got.insert(got.end(), block.begin(), block.begin() + written);
  }
  fuzz::Require(got.size() == expected_n);
  for (size_t i = 0; i < expected_n; ++i) {
    fuzz::Require(std::isfinite(got[i]));
    fuzz::Require(std::memcmp(&got[i], &expected[i], sizeof(float)) == 0);
  }
  return 0;
}
