// The memory a session and a spotter of a model need, bounded from the model
// file alone (docs/model-format.md, "Resource limits"): Validate refuses a
// model whose bound exceeds kMaxWorkingSetBytes, so no file, however shaped,
// can make the runtime allocate more. tests/runtime checks the runtime's
// actual allocations against these bounds.
#include <algorithm>

#include "features/mfcc_tables.hpp"
#include "format/errors.hpp"
#include "format/layout.hpp"

namespace tinykws::format {

namespace {

uint64_t RoundUp(uint64_t v, uint64_t multiple) {
  return (v + multiple - 1) / multiple * multiple;
}

// An aligned buffer of `count` elements of `size` bytes.
uint64_t Buffer(uint64_t count, uint64_t size) {
  return RoundUp(count * size, 64);
}

}  // namespace

WorkingSet EstimateWorkingSet(const ModelFile& m) {
  WorkingSet ws;
  const FeatureConfig& f = m.features;
  const uint64_t frames = static_cast<uint64_t>(f.num_frames());
  const uint64_t coeffs = static_cast<uint64_t>(f.num_mfcc);
  const uint64_t labels = m.labels.size();
  const uint64_t mfcc = features::MemoryBound(f);
  uint64_t network = 0;
  if (m.precision == Precision::kInt8) {
    // One padded int16 input buffer per conv, then the pooled sums, as
    // runtime/packed_model.cpp lays them out: the MFCC input padded to a
    // channel pair, later inputs to whole blocks of 8 output channels.
    for (size_t i = 0; i < m.convs.size(); ++i) {
      const ConvLayer& c = m.convs[i];
      const uint64_t pixels =
          static_cast<uint64_t>(c.in_height + c.pad_top + c.pad_bottom) *
          static_cast<uint64_t>(c.in_width + c.pad_left + c.pad_right);
      network += Buffer(pixels * RoundUp(c.in_channels, i == 0 ? 2 : 8), 2);
    }
    network += Buffer(RoundUp(m.dense.in_channels, 8), 4);
  } else {
    // Two ping-pong buffers of the largest activation, pooled sums.
    uint64_t largest = frames * coeffs;
    for (const ConvLayer& c : m.convs) {
      largest = std::max<uint64_t>(
          largest, static_cast<uint64_t>(c.out_height) * c.out_width *
                       static_cast<uint64_t>(c.out_channels));
    }
    network += 2 * largest * 4 + 8 * static_cast<uint64_t>(m.dense.in_channels);
  }
  constexpr uint64_t kObjects = 4096;  // the objects themselves, allocator
  ws.session_bytes =
      mfcc + Buffer(frames * coeffs, 4) + network + 2 * labels * 4 + kObjects;
  // A spotter: its session, the streaming MFCC (own tables and sample
  // buffer), the ring of 2 x frames, the frame batch, the smoother's runs.
  const uint64_t stream_samples =
      static_cast<uint64_t>(f.frame_length) +
      static_cast<uint64_t>(kStreamBatchFrames - 1) * f.frame_step;
  ws.spotter_bytes =
      ws.session_bytes + mfcc + Buffer(stream_samples, 4) +
      Buffer(2 * frames * coeffs, 4) + Buffer(kStreamBatchFrames * coeffs, 4) +
      (kMaxSmoothingRuns + 1) * labels * 4 + 2 * labels * 4 + kObjects;
  for (const ConvLayer& c : m.convs) {
    ws.macs += static_cast<uint64_t>(c.kernel_h) * c.kernel_w *
               static_cast<uint64_t>(c.in_channels) * c.out_channels *
               static_cast<uint64_t>(c.out_height) * c.out_width;
  }
  ws.macs += static_cast<uint64_t>(m.dense.in_channels) * m.dense.out_channels;
  return ws;
}

Status CheckWorkingSet(const ModelFile& m, const std::string& origin) {
  const WorkingSet ws = EstimateWorkingSet(m);
  if (ws.macs > kMaxMacs) {
    return TooLarge(origin, "the network needs " + std::to_string(ws.macs) +
                                " multiply-accumulates per run, more than the "
                                "limit of " +
                                std::to_string(kMaxMacs));
  }
  if (ws.spotter_bytes > kMaxWorkingSetBytes) {
    return TooLarge(origin, "a spotter of this model needs up to " +
                                std::to_string(ws.spotter_bytes) +
                                " bytes of working memory (a session " +
                                std::to_string(ws.session_bytes) +
                                "), more than the limit of " +
                                std::to_string(kMaxWorkingSetBytes));
  }
  return Status::Ok();
}

}  // namespace tinykws::format
