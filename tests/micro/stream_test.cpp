// kws_micro_push against tinykws::Spotter: the same detections (label,
// sample, score bits) whatever the chunk sizes, and after a reset.
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <tuple>

#include "micro_test_util.hpp"
#include "test_models.hpp"
#include "tinykws/audio.hpp"
#include "tinykws/runtime.hpp"
#include "tinykws/spotter.hpp"

namespace tinykws::micro_test {
namespace {

using Found = std::tuple<int, int64_t, uint32_t>;  // label, sample, score bits

std::vector<Found> CppDetections(const std::string& bytes,
                                 const std::vector<int16_t>& pcm) {
  auto model = Model::LoadFromBuffer(bytes.data(), bytes.size());
  EXPECT_TRUE(model.ok());
  auto spotter = Spotter::Create(*model);
  EXPECT_TRUE(spotter.ok()) << spotter.status().message();
  std::vector<Found> found;
  const Status s =
      spotter->Push(pcm.data(), pcm.size(), (*model)->features().sample_rate,
                    [&](const Detection& d) {
                      found.emplace_back(d.label, d.sample, FloatBits(d.score));
                    });
  EXPECT_TRUE(s.ok()) << s.message();
  return found;
}

// Pushes pcm in random chunks (0..max_chunk samples) with a detection array
// of `capacity` entries.
std::vector<Found> MicroDetections(kws_micro* kws,
                                   const std::vector<int16_t>& pcm,
                                   uint32_t seed, size_t max_chunk,
                                   size_t capacity = 4) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<size_t> chunk(0, max_chunk);
  std::vector<kws_micro_detection> buffer(capacity);
  std::vector<Found> found;
  for (size_t at = 0; at < pcm.size();) {
    const size_t n = std::min(chunk(rng), pcm.size() - at);
    size_t count = 0;
    EXPECT_EQ(kws_micro_push(kws, pcm.data() + at, n, buffer.data(),
                             buffer.size(), &count),
              KWS_MICRO_OK);
    EXPECT_LE(count, buffer.size()) << "chunks too long for the test buffer";
    for (size_t i = 0; i < std::min(count, buffer.size()); ++i) {
      found.emplace_back(buffer[i].label, buffer[i].sample,
                         FloatBits(buffer[i].score));
    }
    at += n;
  }
  return found;
}

// Tones (the tone model fires on them), noise bursts and silence.
std::vector<int16_t> TestStream(uint32_t seed) {
  std::vector<int16_t> pcm = testing::ToneStream({{0.5, 0.6, false},
                                                  {2.3, 0.5, true},
                                                  {4.0, 0.7, false},
                                                  {5.2, 0.6, true}},
                                                 7.0);
  const std::vector<int16_t> noise = Noise(pcm.size(), 0.05, seed);
  for (size_t i = 0; i < pcm.size(); ++i) {
    if ((i / 16000) % 3 == 2) pcm[i] = static_cast<int16_t>(pcm[i] + noise[i]);
  }
  return pcm;
}

TEST(MicroStream, DetectionsMatchTheSpotterInAnyChunks) {
  size_t total = 0, total32 = 0;
  for (const auto& [name, bytes] : TestModels()) {
    SCOPED_TRACE(name);
    const std::vector<int16_t> pcm = TestStream(3);
    const std::vector<Found> expected = CppDetections(bytes, pcm);
    total += expected.size();
    MicroInstance micro(bytes);
    ASSERT_TRUE(micro.ok()) << micro.error();
    uint32_t seed = 1;
    for (size_t max_chunk : {1u, 7u, 447u, 800u, 3000u}) {
      kws_micro_reset(micro.get());
      EXPECT_EQ(MicroDetections(micro.get(), pcm, seed++, max_chunk), expected)
          << "chunks up to " << max_chunk;
    }
    // The float32 front end.
    const std::string f32 = WithFloat32FrontEnd(bytes);
    MicroInstance micro32(f32);
    ASSERT_TRUE(micro32.ok()) << micro32.error();
    const std::vector<Found> expected32 = CppDetections(f32, pcm);
    total32 += expected32.size();
    EXPECT_EQ(MicroDetections(micro32.get(), pcm, 99, 2000), expected32);
    // With a tables blob, both front ends.
    MicroInstance tables64(bytes, true), tables32(f32, true);
    ASSERT_TRUE(tables64.ok()) << tables64.error();
    ASSERT_TRUE(tables32.ok()) << tables32.error();
    EXPECT_EQ(MicroDetections(tables64.get(), pcm, 5, 900), expected);
    EXPECT_EQ(MicroDetections(tables32.get(), pcm, 6, 900), expected32);
  }
  EXPECT_GT(total, 3u) << "the streams should produce some detections";
  EXPECT_GT(total32, 3u) << "and so should the float32 front end's";
}

// Real speech: the testing split's go and stop clips back to back, when the
// shared data is there.
TEST(MicroStream, SpeechStreamMatchesTheSpotter) {
  const std::string dir = DataDir();
  std::ifstream list(dir + "/testing_list.txt");
  if (!list) GTEST_SKIP() << dir << "/testing_list.txt is absent";
  std::vector<int16_t> pcm;
  int clips = 0;
  for (std::string line; std::getline(list, line) && clips < 60;) {
    if (line.rfind("go/", 0) != 0 && line.rfind("stop/", 0) != 0 &&
        clips % 3 != 0) {
      continue;
    }
    StatusOr<AudioClip> audio = ReadAudio(dir + "/" + line, 16000);
    ASSERT_TRUE(audio.ok()) << audio.status().message();
    pcm.insert(pcm.end(), audio->samples.begin(), audio->samples.end());
    pcm.insert(pcm.end(), 4000 + 37 * clips, 0);
    ++clips;
  }
  size_t total = 0;
  for (const auto& [name, bytes] : TestModels()) {
    SCOPED_TRACE(name);
    const std::vector<Found> expected = CppDetections(bytes, pcm);
    total += expected.size();
    MicroInstance micro(bytes), tables(bytes, true);
    ASSERT_TRUE(micro.ok()) << micro.error();
    ASSERT_TRUE(tables.ok()) << tables.error();
    EXPECT_EQ(MicroDetections(micro.get(), pcm, 11, 1200), expected);
    EXPECT_EQ(MicroDetections(tables.get(), pcm, 12, 1200), expected);
  }
  EXPECT_GT(total, 10u);
}

TEST(MicroStream, ResetStartsANewStream) {
  const std::string bytes = format::Serialize(testing::ToneModelFile(true));
  const std::vector<int16_t> pcm = TestStream(5);
  const std::vector<Found> expected = CppDetections(bytes, pcm);
  ASSERT_FALSE(expected.empty());
  MicroInstance micro(bytes);
  ASSERT_TRUE(micro.ok());
  // Half a stream, then a reset: the full stream gives the fresh results.
  const std::vector<int16_t> half(pcm.begin(),
                                  pcm.begin() + pcm.size() / 2 + 123);
  MicroDetections(micro.get(), half, 1, 500);
  kws_micro_reset(micro.get());
  EXPECT_EQ(MicroDetections(micro.get(), pcm, 2, 500), expected);
  // Classify resets the stream too (it uses the window's buffers).
  MicroDetections(micro.get(), half, 3, 500);
  int label = -1;
  ASSERT_EQ(kws_micro_classify(micro.get(), pcm.data(), 16000, &label, nullptr,
                               nullptr),
            KWS_MICRO_OK);
  EXPECT_EQ(MicroDetections(micro.get(), pcm, 4, 500), expected);
}

TEST(MicroStream, CountsDetectionsBeyondTheArray) {
  const std::string bytes = format::Serialize(testing::ToneModelFile(true));
  const std::vector<int16_t> pcm = TestStream(5);
  const std::vector<Found> expected = CppDetections(bytes, pcm);
  ASSERT_GE(expected.size(), 2u);
  MicroInstance micro(bytes);
  ASSERT_TRUE(micro.ok());
  kws_micro_detection one;
  size_t count = 0;
  ASSERT_EQ(
      kws_micro_push(micro.get(), pcm.data(), pcm.size(), &one, 1, &count),
      KWS_MICRO_OK);
  EXPECT_EQ(count, expected.size());
  EXPECT_EQ(one.label, std::get<0>(expected[0]));
  EXPECT_EQ(one.sample, std::get<1>(expected[0]));
  // No array at all: only the count.
  kws_micro_reset(micro.get());
  ASSERT_EQ(
      kws_micro_push(micro.get(), pcm.data(), pcm.size(), nullptr, 0, &count),
      KWS_MICRO_OK);
  EXPECT_EQ(count, expected.size());
}

// count can exceed the array (above), so the usage example in micro.h must
// read at most as many detections as its array holds (it read found[count]).
TEST(MicroStream, HeaderExampleReadsOnlyTheDetectionsThatFit) {
  std::ifstream in(std::string(TINYKWS_SOURCE_DIR) +
                   "/include/tinykws/micro.h");
  ASSERT_TRUE(in.good());
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  const size_t begin = text.find("Usage:"), end = text.find("Thread safety");
  ASSERT_LT(begin, end);
  const std::string usage = text.substr(begin, end - begin);
  std::smatch array;
  ASSERT_TRUE(std::regex_search(
      usage, array, std::regex(R"(kws_micro_detection found\[(\d+)\];)")));
  const std::string bound = "i < " + array[1].str();
  const std::regex loop(
      R"(for \(size_t i = 0; ([^;]*); \+\+i\)[^\n]*found\[i\])");
  int loops = 0;
  for (auto it = std::sregex_iterator(usage.begin(), usage.end(), loop);
       it != std::sregex_iterator(); ++it, ++loops) {
    EXPECT_NE((*it)[1].str().find(bound), std::string::npos) << it->str();
  }
  EXPECT_GE(loops, 1) << usage;
}

}  // namespace
}  // namespace tinykws::micro_test
