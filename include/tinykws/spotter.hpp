// Streaming keyword detection: push audio of any chunk size, get detections.
//
//   auto model = tinykws::Model::Load("go_stop_4class.kws");  // StatusOr
//   auto spotter = tinykws::Spotter::Create(*model);          // one per stream
//   spotter->Push(pcm, n, 16000, [&](const tinykws::Detection& d) {
//     printf("%.2f s: %s (%.2f)\n", d.time_s,
//            (*model)->labels()[d.label].c_str(), d.score);
//   });
//
// How it works: MFCC frames are computed as samples arrive (each frame once,
// bit-identical to whole-clip MFCC); every hop_frames frames the network runs
// on the last clip's worth of frames (the same numbers Session::Classify
// gives for that 1 s slice); a label's posteriors are averaged over the last
// smoothing_runs runs; a keyword is detected when its smoothed score rises to
// its threshold or above; within refractory_ms of the same keyword's last
// detection the rise waits for the period's end (and fires then if the score
// is still above). These parameters come from the model file
// (DetectorParams, calibrated by `kws-train export` / `kws calibrate`) and
// can be overridden per spotter.
//
// Thread safety: as for sessions. A Spotter is used by one thread at a time;
// any number of spotters may share one Model. Push never allocates (but the
// first push at a rate other than the model's, see SpotterOptions).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "tinykws/detector.hpp"
#include "tinykws/export.hpp"
#include "tinykws/runtime.hpp"
#include "tinykws/status.hpp"

namespace tinykws {

struct Detection {
  int label = -1;      // index into Model::labels() (always a keyword)
  float score = 0.0f;  // its smoothed score when it fired
  // Index of the stream's sample that completed the network's input window
  // (counted from Create or Reset), and the stream time at its end:
  // time_s = (sample + 1) / sample_rate.
  int64_t sample = 0;
  double time_s = 0.0;
};

// Overrides of the model's DetectorParams; the defaults keep the model's.
struct SpotterOptions {
  int hop_frames = 0;             // 0: the model's
  int smoothing_runs = 0;         // 0: the model's
  float refractory_ms = -1.0f;    // < 0: the model's
  std::vector<float> thresholds;  // empty: the model's; else one per label
  bool use_simd = true;           // false: the portable int8 kernels
  // Audio pushed at another rate than the model's is converted inside
  // (tinykws/resampler.hpp); the converter is made on the first push at that
  // rate, or here at Create for this rate, so that no push allocates.
  int input_sample_rate = 0;  // 0: the model's rate
};

// One network run, for observers (evaluation, plots). Borrowed pointers,
// valid during the callback: labels().size() values each.
struct SpotterRun {
  int64_t sample = 0;               // as Detection::sample
  const float* scores = nullptr;    // the network's softmax
  const float* smoothed = nullptr;  // after smoothing
};

class TINYKWS_API Spotter {
 public:
  using DetectionCallback = void (*)(const Detection& detection, void* user);
  using RunCallback = void (*)(const SpotterRun& run, void* user);

  // Allocates everything the stream needs; fails on invalid overrides.
  static StatusOr<Spotter> Create(std::shared_ptr<const Model> model,
                                  const SpotterOptions& options = {});

  Spotter(Spotter&&) noexcept;
  Spotter& operator=(Spotter&&) noexcept;
  ~Spotter();

  // Feeds mono samples at sample_rate: the model's, or another rate the
  // Resampler supports (44.1 and 48 kHz among them), converted inside after
  // rounding to int16; one stream keeps one rate until Reset(). Detection
  // times and samples_pushed() count at the model's rate (a converted
  // stream's are later by the converter's delay, ~1.6 ms). Float samples are
  // in [-1, 1] (converted to int16 as audio files are read).
  // on_detection (may be null) is called for each detection, in order,
  // before Push returns. A bad argument consumes nothing; a model whose
  // output is not finite (kOutOfRange) stops the push at that run.
  Status Push(const int16_t* pcm, size_t num_samples, int sample_rate,
              DetectionCallback on_detection = nullptr, void* user = nullptr);
  Status Push(const float* pcm, size_t num_samples, int sample_rate,
              DetectionCallback on_detection = nullptr, void* user = nullptr);

  // Same, with any callable taking const Detection& (no allocation: the
  // callable is passed by address).
  template <typename Sample, typename Fn,
            typename =
                std::enable_if_t<!std::is_convertible_v<Fn, DetectionCallback>>>
  Status Push(const Sample* pcm, size_t num_samples, int sample_rate,
              Fn&& on_detection) {
    using F = std::remove_reference_t<Fn>;
    return Push(
        pcm, num_samples, sample_rate,
        [](const Detection& d, void* user) { (*static_cast<F*>(user))(d); },
        const_cast<void*>(static_cast<const void*>(&on_detection)));
  }

  // Back to the start of a new stream (sample 0), keeping the memory.
  void Reset();

  // Changes one label's threshold ([0, 1]) from now on.
  Status SetThreshold(int label, float threshold);

  // Called after every network run (null to stop).
  void SetRunObserver(RunCallback observer, void* user);

  // A moved-from spotter is safe to ask: all-zero params without
  // thresholds, an empty model (no labels, all-zero features), 0 runs,
  // samples and bytes, kernel "". Its Push and SetThreshold fail.
  const DetectorParams& params() const;  // in effect
  const Model& model() const;
  int64_t samples_pushed() const;  // since Create or Reset
  int64_t network_runs() const;    // since Create or Reset
  // Working memory owned by this spotter, its rate converter included.
  size_t arena_bytes() const;
  const char* kernel_name() const;

  struct Impl;

 private:
  explicit Spotter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tinykws
