// Synthetic streams: the recipe's guarantees (each keyword once, events
// apart, keyword-free streams free of keywords, noise from the split's part),
// determinism, chunked rendering, speech extents.
#include "streaming/stream_builder.hpp"

#include <gtest/gtest.h>

#include <set>

#include "../common/tone_data.hpp"

namespace tinykws::streaming {
namespace {

class StreamBuilderTest : public testing::ToneDataTest {
 protected:
  std::shared_ptr<const StreamSources> Sources(const std::string& split) {
    StatusOr<std::shared_ptr<const StreamSources>> s = LoadStreamSources(
        dir_, {"low", "high", "_unknown_", "_silence_"}, split, 16000, 2);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? *s : nullptr;
  }
};

TEST_F(StreamBuilderTest, SourcesFollowTheSplitAndTheLabels) {
  const auto training = Sources("training");
  ASSERT_NE(training, nullptr);
  EXPECT_EQ(training->keywords.size(), 8u);  // 4 low + 4 high
  EXPECT_EQ(training->others.size(), 4u);
  for (const SpeechClip& c : training->keywords) {
    EXPECT_EQ(c.label, c.name.rfind("low/", 0) == 0 ? 0 : 1) << c.name;
    // The tone sits at 0.2..0.8 s of the clip.
    EXPECT_EQ(c.speech_begin, 3200u) << c.name;
    EXPECT_EQ(c.speech_end, 12800u) << c.name;
  }
  const auto testing = Sources("testing");
  EXPECT_EQ(testing->keywords.size(), 2u);
  EXPECT_EQ(testing->others.size(), 1u);
  // Noise: 80 % / 10 % / 10 % of the 20 s recording.
  ASSERT_EQ(training->noise.size(), 1u);
  EXPECT_EQ(training->noise[0].size(), 256000u);
  EXPECT_EQ(testing->noise[0].size(), 32000u);
  EXPECT_EQ(Sources("all")->noise[0].size(), 320000u);
  EXPECT_EQ(Sources("all")->keywords.size(), 12u);
  EXPECT_FALSE(
      LoadStreamSources(dir_, {"low", "high"}, "later", 16000, 1).ok());
}

TEST_F(StreamBuilderTest, KeywordStreamPlacesEveryKeywordOnceApart) {
  const auto sources = Sources("training");
  StatusOr<SyntheticStream> s = SyntheticStream::Plan(sources, {0.0, true, 5});
  ASSERT_TRUE(s.ok()) << s.status().message();
  std::multiset<int> keyword_clips;
  ASSERT_FALSE(s->events().empty());
  EXPECT_EQ(s->events()[0].start, 8000);  // the first at 0.5 s
  int64_t previous_end = -8000;
  for (const StreamEvent& e : s->events()) {
    EXPECT_GE(e.start - previous_end, 16000) << "gaps are at least 1 s";
    EXPECT_EQ(e.end - e.start, 16000);
    previous_end = e.end;
    if (e.label >= 0) keyword_clips.insert(e.clip);
  }
  EXPECT_EQ(keyword_clips.size(), 8u);
  EXPECT_EQ(std::set<int>(keyword_clips.begin(), keyword_clips.end()).size(),
            8u);
  EXPECT_GE(s->size(), previous_end + 16000);
  // Same recipe, same stream; another seed, another one.
  StatusOr<SyntheticStream> again =
      SyntheticStream::Plan(sources, {0.0, true, 5});
  StatusOr<SyntheticStream> other =
      SyntheticStream::Plan(sources, {0.0, true, 6});
  ASSERT_EQ(again->events().size(), s->events().size());
  for (size_t i = 0; i < s->events().size(); ++i) {
    EXPECT_EQ(again->events()[i].start, s->events()[i].start);
    EXPECT_EQ(again->events()[i].clip, s->events()[i].clip);
  }
  EXPECT_NE(other->events()[0].start + other->events()[1].start,
            s->events()[0].start + s->events()[1].start);
}

TEST_F(StreamBuilderTest, KeywordFreeStreamsHaveNoKeywords) {
  StatusOr<SyntheticStream> s =
      SyntheticStream::Plan(Sources("training"), {2.0, false, 1});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->size(), 2 * 60 * 16000);
  EXPECT_GT(s->events().size(), 10u);
  for (const StreamEvent& e : s->events()) {
    EXPECT_EQ(e.label, -1);
    EXPECT_LE(e.end, s->size());
  }
  // The bed covers the stream without gaps, at volumes up to 0.1.
  int64_t at = 0;
  for (const NoiseSegment& seg : s->bed()) {
    EXPECT_EQ(seg.start, at);
    EXPECT_LE(seg.volume, 0.1f);
    at = seg.end;
  }
  EXPECT_EQ(at, s->size());
  EXPECT_EQ(SyntheticStream::Plan(Sources("training"), {0.0, false, 1})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

TEST_F(StreamBuilderTest, RenderingInChunksEqualsOneShot) {
  StatusOr<SyntheticStream> s =
      SyntheticStream::Plan(Sources("validation"), {0.5, true, 3});
  ASSERT_TRUE(s.ok());
  const size_t n = static_cast<size_t>(s->size());
  std::vector<float> work(n);
  std::vector<int16_t> whole(n), chunked(n);
  s->Render(0, n, work.data(), whole.data());
  for (size_t at = 0; at < n; at += 7777) {
    const size_t len = std::min<size_t>(7777, n - at);
    s->Render(static_cast<int64_t>(at), len, work.data(), chunked.data() + at);
  }
  EXPECT_EQ(whole, chunked);
  // Speech is where the events say: the tone's samples are there.
  const StreamEvent& e = s->events()[0];
  const SpeechClip& clip = e.label >= 0 ? s->sources().keywords[e.clip]
                                        : s->sources().others[e.clip];
  double speech = 0.0, outside = 0.0;
  for (int64_t t = e.speech_begin; t < e.speech_end; ++t) {
    speech += std::abs(whole[t] - 0.0);
  }
  for (int64_t t = e.start; t < e.speech_begin; ++t) {
    outside += std::abs(whole[t] - 0.0);
  }
  EXPECT_GT(speech / (e.speech_end - e.speech_begin),
            5 * outside / std::max<int64_t>(1, e.speech_begin - e.start));
  EXPECT_EQ(clip.samples.size(), 16000u);
}

TEST(SpeechExtent, FindsTheLoudPart) {
  std::vector<int16_t> pcm(16000, 3);
  for (int i = 4000; i < 9000; ++i) pcm[i] = (i % 2) ? 5000 : -5000;
  size_t begin = 0, end = 0;
  SpeechExtent(pcm, 16000, &begin, &end);
  EXPECT_EQ(begin, 4000u);
  EXPECT_EQ(end, 9120u);  // the 10 ms block holding sample 8999 ends there
  SpeechExtent(std::vector<int16_t>(800, 0), 16000, &begin, &end);
  EXPECT_EQ(begin, 0u);
  EXPECT_EQ(end, 800u);
}

TEST(NoiseSplit, PartsAreDisjointAndCoverTheRecording) {
  for (size_t total : {0u, 1u, 9u, 10u, 12345u, 960000u}) {
    const SampleRange t = NoiseSplitRange(total, Split::kTraining);
    const SampleRange v = NoiseSplitRange(total, Split::kValidation);
    const SampleRange s = NoiseSplitRange(total, Split::kTesting);
    EXPECT_EQ(t.begin, 0u);
    EXPECT_EQ(t.end, v.begin);
    EXPECT_EQ(v.end, s.begin);
    EXPECT_EQ(s.end, total);
  }
  EXPECT_EQ(NoiseSplitRange(960000, Split::kValidation).begin, 768000u);
  EXPECT_EQ(NoiseSplitRange(960000, Split::kTesting).begin, 864000u);
}

}  // namespace
}  // namespace tinykws::streaming
