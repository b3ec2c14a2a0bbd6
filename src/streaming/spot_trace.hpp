// Running a Spotter over a stream while recording every network run, and
// replaying the recorded posteriors under other detector parameters (same
// hop): calibration and DET curves without re-running the network. Replay
// uses the Spotter's own decision logic, so it reports exactly what a
// Spotter with those parameters would.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "streaming/stream_builder.hpp"
#include "tinykws/spotter.hpp"

namespace tinykws::streaming {

struct SpotTrace {
  size_t labels = 0;
  std::vector<int64_t> samples;       // last sample of each run's window
  std::vector<float> scores;          // runs x labels: the network's softmax
  std::vector<Detection> detections;  // what the spotter reported
  int64_t audio_samples = 0;
  double spot_seconds = 0.0;    // wall time spent in Spotter::Push
  double decode_seconds = 0.0;  // rendering or decoding the audio
  bool truncated = false;  // a file shorter than its header says (SpotFile)
  size_t runs() const { return samples.size(); }
};

// Renders the stream in chunks and pushes them through `spotter` (reset
// first).
Status SpotStream(Spotter& spotter, const SyntheticStream& stream,
                  SpotTrace* trace);

// Longest recording SpotFile reads: a year.
inline constexpr double kMaxRecordingSeconds = 366.0 * 24 * 3600;

// Paths given for recordings: each folder becomes its audio files (sorted,
// not recursive); a path given twice counts once. Errors name the path.
StatusOr<std::vector<std::string>> ListRecordings(
    const std::vector<std::string>& paths);

// Decodes an audio file chunk by chunk (resampled to the model's rate) and
// pushes it through `spotter` (reset first).
Status SpotFile(Spotter& spotter, const std::string& path, SpotTrace* trace);

// The smoothed scores a Spotter computes, for every run: runs x labels.
std::vector<float> SmoothedScores(const SpotTrace& trace, int runs);

// The detections of the Spotter's gate over smoothed scores (as from
// SmoothedScores); time_s is set from sample_rate.
std::vector<Detection> GateDetections(const SpotTrace& trace,
                                      const std::vector<float>& smoothed,
                                      const std::vector<std::string>& labels,
                                      const std::vector<float>& thresholds,
                                      int64_t refractory_samples,
                                      int sample_rate);

// The detections a Spotter with `params` reports on the traced stream
// (params.hop_frames must be the hop the trace was recorded with).
std::vector<Detection> Replay(const SpotTrace& trace,
                              const std::vector<std::string>& labels,
                              const DetectorParams& params, int sample_rate);

// Traces every stream and then every file, in parallel on `threads`
// threads (one spotter each, with `options`). traces receives one trace
// per stream, then per file.
Status TraceAll(const std::shared_ptr<const Model>& model,
                const SpotterOptions& options,
                const std::vector<const SyntheticStream*>& streams,
                const std::vector<std::string>& files, int threads,
                std::vector<SpotTrace>* traces);

}  // namespace tinykws::streaming
