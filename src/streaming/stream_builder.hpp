// Synthetic evaluation streams: keywords, other words and background noise
// at known times, from a Speech Commands-style folder (docs/streaming.md has
// the recipe). Seeded and deterministic; rendered chunk by chunk, so an
// hours-long stream never sits in memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dataset/noise.hpp"
#include "dataset/speech_extent.hpp"
#include "tinykws/status.hpp"

namespace tinykws::streaming {

struct SpeechClip {
  std::vector<int16_t> samples;
  int label = -1;    // model label of a keyword clip; -1 for other words
  std::string name;  // "go/0132a06d_nohash_2.flac"
  size_t speech_begin = 0, speech_end = 0;  // see SpeechExtent
};

struct StreamSources {
  int sample_rate = 0;
  std::vector<SpeechClip> keywords;  // clips of the model's keyword labels
  std::vector<SpeechClip> others;    // clips of every other word folder
  NoiseBank noise;                   // the split's part of each recording
  // Files shorter than their headers say, read as far as they go
  // (AudioClip::truncated): callers warn.
  std::vector<std::string> truncated;
};

// The clips of `split` ("training", "validation", "testing" or "all") of
// data_dir at sample_rate: folders named after a keyword label of `labels`
// give keywords, every other word folder gives other words; noise is the
// split's part of _background_noise_ ("all": whole recordings). Unreadable
// clips are errors. threads decode in parallel.
StatusOr<std::shared_ptr<const StreamSources>> LoadStreamSources(
    const std::string& data_dir, const std::vector<std::string>& labels,
    const std::string& split, int sample_rate, int threads);

// The longest stream planned (its events are held in memory).
inline constexpr double kMaxStreamMinutes = 100000.0;

struct StreamRecipe {
  // Length in minutes, 0..kMaxStreamMinutes. 0 (keyword streams only):
  // until every keyword clip has been placed once.
  double minutes = 0.0;
  bool with_keywords = true;  // false: a keyword-free stream
  uint64_t seed = 1;
};

struct StreamEvent {
  int64_t start = 0, end = 0;  // the clip's samples in the stream
  int64_t speech_begin = 0, speech_end = 0;
  int label = -1;  // keyword label, or -1 for another word
  int clip = 0;    // index into keywords (label >= 0) or others
};

struct NoiseSegment {
  int64_t start = 0, end = 0;
  int file = 0;
  size_t offset = 0;  // into the file's part, wrapping around
  float volume = 0.0f;
};

class SyntheticStream {
 public:
  static StatusOr<SyntheticStream> Plan(
      std::shared_ptr<const StreamSources> sources, const StreamRecipe& recipe);

  int64_t size() const { return size_; }  // samples
  double seconds() const;
  int sample_rate() const { return sources_->sample_rate; }
  const std::vector<StreamEvent>& events() const { return events_; }
  const std::vector<NoiseSegment>& bed() const { return bed_; }
  const StreamSources& sources() const { return *sources_; }
  // Samples [begin, begin + n) (zeros past the end). work: n floats.
  void Render(int64_t begin, size_t n, float* work, int16_t* out) const;

 private:
  std::shared_ptr<const StreamSources> sources_;
  std::vector<StreamEvent> events_;
  std::vector<NoiseSegment> bed_;
  int64_t size_ = 0;
};

// The longest stream a WAV file holds at sample_rate (MaxWavFrames), and
// an OutOfRange Status naming path and that limit when `minutes` exceed it.
double MaxWavMinutes(int sample_rate);
Status CheckWavMinutes(const std::string& path, double minutes,
                       int sample_rate);

// Writes the stream as a 16-bit mono WAV file, rendered and written chunk
// by chunk (constant memory; through WavWriter, so path is whole or
// untouched). A stream longer than MaxWavMinutes is refused before any file
// is made.
Status SaveStreamWav(const SyntheticStream& stream, const std::string& path);

}  // namespace tinykws::streaming
