// The stream recipe (docs/streaming.md): a noise bed of segments, speech
// clips separated by random gaps. Every draw comes from a counter-based
// generator keyed by the recipe's seed.
#include "streaming/stream_builder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/parallel.hpp"
#include "tinykws/audio.hpp"
#include "tinykws/dataset.hpp"
#include "tinykws/detector.hpp"

namespace tinykws::streaming {

namespace {

// The recipe's constants (documented in docs/streaming.md).
constexpr double kBedMinSeconds = 4.0, kBedMaxSeconds = 12.0;
constexpr float kBedMaxVolume = 0.1f;  // the training noise augmentation's
constexpr double kFirstEventSeconds = 0.5;
constexpr double kGapMinSeconds = 1.0, kGapMaxSeconds = 4.0;
constexpr float kKeywordShare = 0.5f;    // keyword streams
constexpr float kOtherWordShare = 0.8f;  // keyword-free streams
constexpr uint64_t kEventStream = 11, kBedStream = 12, kOrderStream = 13;

int64_t Samples(double seconds, int rate) {
  return static_cast<int64_t>(std::llround(seconds * rate));
}

// A shuffled cycle over n items: each appears once before any repeats.
class Cycle {
 public:
  Cycle(size_t n, uint64_t seed, uint64_t which)
      : order_(n), rng_(seed, kOrderStream, which) {
    for (size_t i = 0; i < n; ++i) order_[i] = static_cast<int>(i);
    Shuffle(order_.begin(), order_.end(), rng_);
  }
  int Next() {
    if (next_ == order_.size()) {
      Shuffle(order_.begin(), order_.end(), rng_);
      next_ = 0;
      ++laps_;
    }
    return order_[next_++];
  }
  bool finished_once() const { return laps_ > 0 || next_ == order_.size(); }

 private:
  std::vector<int> order_;
  CounterRng rng_;
  size_t next_ = 0;
  int laps_ = 0;
};

}  // namespace

StatusOr<std::shared_ptr<const StreamSources>> LoadStreamSources(
    const std::string& data_dir, const std::vector<std::string>& labels,
    const std::string& split, int sample_rate, int threads) {
  const bool all = split == "all";
  Split which = Split::kTesting;
  if (!all && !ParseSplit(split, &which)) {
    return InvalidArgument(
        "split must be training, validation, testing or all, got '" + split +
        "'");
  }
  // Index every word folder: keyword labels as labels, the rest (if any)
  // as _unknown_ (the index maps them when the label list has it).
  std::vector<std::string> index_labels;
  for (const std::string& l : labels) {
    if (IsKeywordLabel(l)) index_labels.push_back(l);
  }
  StatusOr<DatasetIndex> index = IndexDataset(data_dir, index_labels);
  if (!index.ok()) return index.status();
  if (!index->skipped_folders.empty()) {
    // Other folders may hold no audio at all (then there are no others).
    std::vector<std::string> with_unknown = index_labels;
    with_unknown.push_back(kUnknownLabel);
    StatusOr<DatasetIndex> others = IndexDataset(data_dir, with_unknown);
    if (others.ok()) {
      index = std::move(others);
      index_labels = std::move(with_unknown);
    }
  }
  auto sources = std::make_shared<StreamSources>();
  sources->sample_rate = sample_rate;
  std::vector<const ClipInfo*> picked;
  for (const ClipInfo& clip : index->clips) {
    if (all || clip.split == which) picked.push_back(&clip);
  }
  std::vector<SpeechClip> clips(picked.size());
  std::vector<std::string> errors(picked.size());
  std::vector<char> truncated(picked.size(), 0);
  ParallelFor(picked.size(), threads, [&](size_t i, int) {
    StatusOr<AudioClip> audio = ReadAudio(picked[i]->path, sample_rate);
    if (!audio.ok()) {
      errors[i] = audio.status().message();
      return;
    }
    SpeechClip& c = clips[i];
    truncated[i] = audio->truncated;
    c.samples = std::move(audio->samples);
    c.name = picked[i]->relative;
    const std::string& label = index_labels[picked[i]->label];
    c.label =
        label == kUnknownLabel
            ? -1
            : static_cast<int>(std::find(labels.begin(), labels.end(), label) -
                               labels.begin());
    SpeechExtent(c.samples, sample_rate, &c.speech_begin, &c.speech_end);
  });
  for (size_t i = 0; i < picked.size(); ++i) {
    if (!errors[i].empty()) return IoError(errors[i]);
    if (truncated[i]) sources->truncated.push_back(picked[i]->path);
    auto& bucket = clips[i].label >= 0 ? sources->keywords : sources->others;
    bucket.push_back(std::move(clips[i]));
  }
  if (!index->background_noise_files.empty()) {
    StatusOr<NoiseBank> noise =
        LoadNoise(*index, sample_rate, all ? Split::kTraining : which,
                  &sources->truncated);
    if (!noise.ok()) return noise.status();
    if (all) {  // whole recordings: append the other two parts
      for (Split s : {Split::kValidation, Split::kTesting}) {
        StatusOr<NoiseBank> part = LoadNoise(*index, sample_rate, s);
        if (!part.ok()) return part.status();
        for (size_t f = 0; f < part->size(); ++f) {
          (*noise)[f].insert((*noise)[f].end(), (*part)[f].begin(),
                             (*part)[f].end());
        }
      }
    }
    sources->noise = std::move(*noise);
  }
  return std::shared_ptr<const StreamSources>(std::move(sources));
}

StatusOr<SyntheticStream> SyntheticStream::Plan(
    std::shared_ptr<const StreamSources> sources, const StreamRecipe& recipe) {
  if (sources == nullptr || sources->sample_rate <= 0) {
    return InvalidArgument("stream: no sources");
  }
  const int rate = sources->sample_rate;
  const bool keywords = recipe.with_keywords;
  if (keywords && sources->keywords.empty()) {
    return InvalidArgument("stream: no keyword clips to place");
  }
  if (!(recipe.minutes >= 0.0) || recipe.minutes > kMaxStreamMinutes) {
    return InvalidArgument("stream: minutes must be in 0..100000");
  }
  if (recipe.minutes == 0.0 && !keywords) {
    return InvalidArgument("stream: a keyword-free stream needs a length");
  }
  SyntheticStream s;
  s.sources_ = sources;
  const int64_t limit =
      recipe.minutes > 0.0 ? Samples(recipe.minutes * 60.0, rate) : INT64_MAX;
  CounterRng rng(recipe.seed, kEventStream, keywords ? 1 : 2);
  Cycle keyword_order(sources->keywords.size(), recipe.seed, 1);
  Cycle other_order(sources->others.size(), recipe.seed, 2);
  int64_t at = Samples(kFirstEventSeconds, rate);
  for (;;) {
    if (recipe.minutes == 0.0 && keyword_order.finished_once()) break;
    StreamEvent e;
    const float draw = rng.Uniform();
    const SpeechClip* clip = nullptr;
    if (keywords && (sources->others.empty() || draw < kKeywordShare)) {
      e.clip = keyword_order.Next();
      clip = &sources->keywords[e.clip];
      e.label = clip->label;
    } else if (!sources->others.empty() &&
               (keywords || draw < kOtherWordShare)) {
      e.clip = other_order.Next();
      clip = &sources->others[e.clip];
    }
    const double gap = rng.Uniform(static_cast<float>(kGapMinSeconds),
                                   static_cast<float>(kGapMaxSeconds));
    if (clip != nullptr) {
      const int64_t length = static_cast<int64_t>(clip->samples.size());
      if (at + length > limit) break;
      e.start = at;
      e.end = at + length;
      e.speech_begin = at + static_cast<int64_t>(clip->speech_begin);
      e.speech_end = at + static_cast<int64_t>(clip->speech_end);
      s.events_.push_back(e);
      at = e.end;
    } else {
      at += rate;  // an empty slot of one second
    }
    at += Samples(gap, rate);
    if (at >= limit) break;
  }
  s.size_ = recipe.minutes > 0.0 ? limit : at;
  // The noise bed.
  CounterRng bed(recipe.seed, kBedStream, keywords ? 1 : 2);
  for (int64_t t = 0; t < s.size_ && !sources->noise.empty();) {
    NoiseSegment seg;
    seg.start = t;
    seg.end = std::min(
        s.size_, t + Samples(bed.Uniform(static_cast<float>(kBedMinSeconds),
                                         static_cast<float>(kBedMaxSeconds)),
                             rate));
    seg.file = static_cast<int>(bed.Below(sources->noise.size()));
    const size_t part = sources->noise[seg.file].size();
    seg.offset = part > 0 ? bed.Below(part) : 0;
    seg.volume = bed.Uniform(0.0f, kBedMaxVolume);
    s.bed_.push_back(seg);
    t = seg.end;
  }
  return s;
}

double SyntheticStream::seconds() const {
  return static_cast<double>(size_) / sources_->sample_rate;
}

void SyntheticStream::Render(int64_t begin, size_t n, float* work,
                             int16_t* out) const {
  std::fill(work, work + n, 0.0f);
  const int64_t finish = begin + static_cast<int64_t>(n);
  auto first_bed = std::upper_bound(
      bed_.begin(), bed_.end(), begin,
      [](int64_t t, const NoiseSegment& s) { return t < s.end; });
  for (auto seg = first_bed; seg != bed_.end() && seg->start < finish; ++seg) {
    const std::vector<int16_t>& file = sources_->noise[seg->file];
    if (file.empty()) continue;
    const int64_t from = std::max(begin, seg->start);
    const int64_t to = std::min(finish, seg->end);
    size_t pos =
        (seg->offset + static_cast<size_t>(from - seg->start)) % file.size();
    for (int64_t t = from; t < to; ++t) {
      work[t - begin] += seg->volume * file[pos];
      if (++pos == file.size()) pos = 0;
    }
  }
  auto first_event = std::upper_bound(
      events_.begin(), events_.end(), begin,
      [](int64_t t, const StreamEvent& e) { return t < e.end; });
  for (auto e = first_event; e != events_.end() && e->start < finish; ++e) {
    const std::vector<int16_t>& clip = e->label >= 0
                                           ? sources_->keywords[e->clip].samples
                                           : sources_->others[e->clip].samples;
    const int64_t from = std::max(begin, e->start);
    const int64_t to = std::min(finish, e->end);
    for (int64_t t = from; t < to; ++t) {
      work[t - begin] += clip[static_cast<size_t>(t - e->start)];
    }
  }
  for (size_t i = 0; i < n; ++i) out[i] = SaturateToInt16(work[i]);
}

double MaxWavMinutes(int sample_rate) {
  return static_cast<double>(MaxWavFrames(1)) / sample_rate / 60.0;
}

Status CheckWavMinutes(const std::string& path, double minutes,
                       int sample_rate) {
  if (minutes <= MaxWavMinutes(sample_rate)) return Status::Ok();
  char text[160];
  std::snprintf(text, sizeof text,
                ": a %.1f-minute stream does not fit in a WAV file (at most "
                "%.1f minutes at %d Hz: 4 GiB of 16-bit samples)",
                minutes, MaxWavMinutes(sample_rate), sample_rate);
  return OutOfRange(path + text);
}

Status SaveStreamWav(const SyntheticStream& stream, const std::string& path) {
  const int rate = stream.sample_rate();
  TINYKWS_RETURN_IF_ERROR(CheckWavMinutes(path, stream.seconds() / 60, rate));
  StatusOr<std::unique_ptr<WavWriter>> writer = WavWriter::Create(path, rate);
  if (!writer.ok()) return writer.status();
  constexpr int64_t kChunk = 1 << 16;
  std::vector<float> work(kChunk);
  std::vector<int16_t> pcm(kChunk);
  for (int64_t at = 0; at < stream.size(); at += kChunk) {
    const size_t n = static_cast<size_t>(std::min(kChunk, stream.size() - at));
    stream.Render(at, n, work.data(), pcm.data());
    TINYKWS_RETURN_IF_ERROR((*writer)->Write(pcm.data(), n));
  }
  return (*writer)->Finish();
}

}  // namespace tinykws::streaming
