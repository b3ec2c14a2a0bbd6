// ReadAudio / WriteWav on valid input: exact round trips, sample-format
// conversions, down-mixing and resampling. Formats WriteWav does not write
// are produced with libsndfile directly or built byte by byte.
#include "tinykws/audio.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "audio_test_util.hpp"
#include "gtest/gtest.h"

namespace tinykws {
namespace audio_test {
namespace {

constexpr double kPi = 3.14159265358979323846;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<int16_t> Sine(double freq, int rate, int frames, double amp) {
  std::vector<int16_t> out(static_cast<size_t>(frames));
  for (int i = 0; i < frames; ++i) {
    out[static_cast<size_t>(i)] = static_cast<int16_t>(
        std::lround(amp * 32767.0 * std::sin(2.0 * kPi * freq * i / rate)));
  }
  return out;
}

// Goertzel power of x[begin, end) at freq (independent of the code under
// test: a plain second-order recurrence in double).
double Power(const std::vector<int16_t>& x, size_t begin, size_t end,
             double freq, int rate) {
  const double coeff = 2.0 * std::cos(2.0 * kPi * freq / rate);
  double s1 = 0.0, s2 = 0.0;
  for (size_t i = begin; i < end; ++i) {
    const double s0 = x[i] + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

// Checks a resampled 1 kHz, amplitude-0.5 sine: length, frequency, level.
void ExpectSine1k(const AudioClip& clip, size_t expected_len) {
  ASSERT_EQ(clip.sample_rate, 16000);
  EXPECT_NEAR(static_cast<double>(clip.samples.size()),
              static_cast<double>(expected_len), 4.0);
  ASSERT_GE(clip.samples.size(), 12000u);
  // Middle 0.5 s: away from the filter's start-up and tail.
  const size_t b = 2000, e = 10000, n = e - b;
  const double p1000 = Power(clip.samples, b, e, 1000, 16000);
  for (double f : {800.0, 900.0, 1100.0, 1250.0, 2000.0}) {
    EXPECT_GT(p1000, 1e4 * Power(clip.samples, b, e, f, 16000)) << f << " Hz";
  }
  const double amplitude = 2.0 * std::sqrt(p1000) / n / 32767.0;
  EXPECT_NEAR(amplitude, 0.5, 0.01);
  int crossings = 0;
  for (size_t i = b + 1; i < e; ++i) {
    if ((clip.samples[i - 1] < 0) != (clip.samples[i] < 0)) ++crossings;
  }
  EXPECT_NEAR(crossings, 1000, 2);  // 2 per period, 500 periods
}

// --- Round trips and exact conversions -------------------------------------

TEST_F(AudioTest, RoundTripMono16IsExact) {
  std::vector<int16_t> s = {0, 1, -1, 32767, -32768, 12345, -12345, 2, -3};
  for (int i = 0; i < 1000; ++i)
    s.push_back(static_cast<int16_t>(i * 37 - 16000));
  const std::string path = Path("a.wav");
  ASSERT_TRUE(WriteWav(path, s.data(), s.size(), 16000).ok());
  auto r = ReadAudio(path, 16000);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->samples, s);
  EXPECT_EQ(r->sample_rate, 16000);
  EXPECT_EQ(r->source_sample_rate, 16000);
  EXPECT_EQ(r->source_channels, 1);
  EXPECT_EQ(Entries(), std::vector<std::string>{"a.wav"});
}

TEST_F(AudioTest, WriteWavReplacesExistingFile) {
  const std::string path = Path("a.wav");
  const std::vector<int16_t> first(100, 7), second = {1, 2, 3};
  ASSERT_TRUE(WriteWav(path, first.data(), first.size(), 16000).ok());
  ASSERT_TRUE(WriteWav(path, second.data(), second.size(), 16000).ok());
  auto r = ReadAudio(path, 16000);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->samples, second);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

// WavWriter: chunks make the same file as one WriteWav; nothing is at the
// path until Finish, and an unfinished writer leaves nothing behind.
TEST_F(AudioTest, WavWriterWritesInChunksAndRenamesAtTheEnd) {
  std::vector<int16_t> s;
  for (int i = 0; i < 5000; ++i) s.push_back(static_cast<int16_t>(i * 13));
  const std::string path = Path("chunks.wav");
  {
    StatusOr<std::unique_ptr<WavWriter>> w = WavWriter::Create(path, 16000);
    ASSERT_TRUE(w.ok()) << w.status().message();
    for (size_t at = 0; at < s.size(); at += 777) {
      const size_t n = std::min<size_t>(777, s.size() - at);
      ASSERT_TRUE((*w)->Write(s.data() + at, n).ok());
      EXPECT_TRUE(Entries().size() == 1 && Entries()[0] != "chunks.wav");
    }
    ASSERT_TRUE((*w)->Finish().ok());
    EXPECT_FALSE((*w)->Write(s.data(), 1).ok());  // finished
  }
  EXPECT_EQ(Entries(), std::vector<std::string>{"chunks.wav"});
  auto r = ReadAudio(path, 16000);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->samples, s);
  EXPECT_FALSE(r->truncated);
  ASSERT_TRUE(WriteWav(Path("whole.wav"), s.data(), s.size(), 16000).ok());
  EXPECT_EQ(Slurp(path), Slurp(Path("whole.wav")));
  {
    StatusOr<std::unique_ptr<WavWriter>> w =
        WavWriter::Create(Path("dropped.wav"), 16000);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Write(s.data(), s.size()).ok());
  }  // destroyed unfinished
  EXPECT_EQ(Entries().size(), 2u);
  {
    // More than a WAV file holds: refused from the count, before any sample
    // is read; the writer is then spent and leaves nothing.
    StatusOr<std::unique_ptr<WavWriter>> w =
        WavWriter::Create(Path("huge.wav"), 16000);
    ASSERT_TRUE(w.ok());
    const Status big = (*w)->Write(s.data(), MaxWavFrames(1) + 1);
    EXPECT_EQ(big.code(), StatusCode::kOutOfRange);
    EXPECT_NE(big.message().find("4 GiB"), std::string::npos);
    EXPECT_FALSE((*w)->Finish().ok());
  }
  EXPECT_EQ(Entries().size(), 2u);
  EXPECT_FALSE(WavWriter::Create(Path("x.wav"), 0).ok());
  EXPECT_FALSE(WavWriter::Create(Path("no/x.wav"), 16000).ok());
  EXPECT_EQ(MaxWavFrames(1), (0xFFFFFFFFull - 44) / 2);
}

TEST_F(AudioTest, StereoIsAveragedRoundingHalfAwayFromZero) {
  const std::vector<int16_t> lr = {100,   200,   -1,     0,      1,     2,
                                   32767, 32767, -32768, -32768, 32767, -32768,
                                   -7,    -8,    5,      -5};
  const std::string path = Path("stereo.wav");
  ASSERT_TRUE(WriteWav(path, lr.data(), lr.size() / 2, 16000, 2).ok());
  auto r = ReadAudio(path, 16000);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const std::vector<int16_t> want = {150, -1, 2, 32767, -32768, -1, -8, 0};
  EXPECT_EQ(r->samples, want);
  EXPECT_EQ(r->source_channels, 2);
}

TEST_F(AudioTest, FourChannelsAreAveraged) {
  const std::vector<short> s = {100, 200, 300, 400, -4, -4, -4, -5};
  const std::string path = Path("quad.wav");
  WriteSnd(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 4, 16000, s);
  auto r = ReadAudio(path, 16000);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->samples, (std::vector<int16_t>{250, -4}));  // -4.25 -> -4
}

TEST_F(AudioTest, FloatWavIsScaledRoundedAndSaturated) {
  const std::vector<float> f = {0.0f,          0.5f,           -0.5f,
                                1.0f,          -1.0f,          1.5f,
                                -2.0f,         1.5f / 32768,   -1.5f / 32768,
                                0.49f / 32768, 100.0f / 32768, std::nanf("")};
  const std::string path = Path("float.wav");
  WriteSnd(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, 16000, f);
  auto r = ReadAudio(path, 16000);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const std::vector<int16_t> want = {
      0, 16384, -16384, 32767, -32768, 32767, -32768, 2, -2, 0, 100, 0};
  EXPECT_EQ(r->samples, want);
}

TEST_F(AudioTest, Pcm24IsRoundedToInt16) {
  // 24-bit value v is v / 256 in int16 units.
  const std::vector<int> v24 = {0,   256,  -256, 8388607, -8388608,
                                384, -384, 383,  128,     127};
  std::vector<int> scaled;  // libsndfile ints are 32-bit full scale
  for (int v : v24) scaled.push_back(v * 256);
  const std::string path = Path("pcm24.wav");
  WriteSnd(path, SF_FORMAT_WAV | SF_FORMAT_PCM_24, 1, 16000, scaled);
  auto r = ReadAudio(path, 16000);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const std::vector<int16_t> want = {0, 1, -1, 32767, -32768, 2, -2, 1, 1, 0};
  EXPECT_EQ(r->samples, want);
}

TEST_F(AudioTest, UnsignedPcm8IsExact) {
  // Built by hand so the expected values do not come from libsndfile.
  const std::string payload = {'\x00', '\x01', '\x7f', '\x80', '\x81', '\xff'};
  const std::string path = Path("u8.wav");
  WriteBytes(path, WavBytes(1, 16000, 8, 6, payload));
  auto r = ReadAudio(path, 16000);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const std::vector<int16_t> want = {-32768, -32512, -256, 0, 256, 32512};
  EXPECT_EQ(r->samples, want);
}

TEST_F(AudioTest, FlacIsReadExactly) {
  std::vector<short> s;
  for (int i = 0; i < 4000; ++i)
    s.push_back(static_cast<short>((i * 7919) % 65536 - 32768));
  const std::string path = Path("a.flac");
  WriteSnd(path, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1, 16000, s);
  auto r = ReadAudio(path, 16000);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->samples, std::vector<int16_t>(s.begin(), s.end()));
}

// --- Resampling --------------------------------------------------------------

TEST_F(AudioTest, Resamples8kTo16kKeepingFrequency) {
  const auto s = Sine(1000, 8000, 8000, 0.5);
  const std::string path = Path("8k.wav");
  ASSERT_TRUE(WriteWav(path, s.data(), s.size(), 8000).ok());
  AudioReadOptions opt;
  opt.verbose = true;
  ::testing::internal::CaptureStderr();
  auto r = ReadAudio(path, 16000, opt);
  const std::string err = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->source_sample_rate, 8000);
  ExpectSine1k(*r, 16000);
  EXPECT_NE(err.find("note: " + path + ": resampled 8000 Hz -> 16000 Hz"),
            std::string::npos)
      << err;
}

TEST_F(AudioTest, Resamples44kStereoTo16kMono) {
  const auto m = Sine(1000, 44100, 44100, 0.5);
  std::vector<int16_t> lr;
  for (int16_t v : m) {
    lr.push_back(v);
    lr.push_back(v);
  }
  const std::string path = Path("44k.wav");
  ASSERT_TRUE(WriteWav(path, lr.data(), m.size(), 44100, 2).ok());
  ::testing::internal::CaptureStderr();
  auto r = ReadAudio(path, 16000);  // not verbose: nothing printed
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->source_sample_rate, 44100);
  EXPECT_EQ(r->source_channels, 2);
  ExpectSine1k(*r, 16000);
}

TEST_F(AudioTest, DownsamplesTo8k) {
  const auto s = Sine(1000, 16000, 16000, 0.5);
  const std::string path = Path("16k.wav");
  ASSERT_TRUE(WriteWav(path, s.data(), s.size(), 16000).ok());
  auto r = ReadAudio(path, 8000);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_NEAR(static_cast<double>(r->samples.size()), 8000.0, 4.0);
  EXPECT_EQ(r->sample_rate, 8000);
}

TEST_F(AudioTest, ImpossibleResampleRatioIsAnError) {
  const std::vector<int16_t> s(100, 1);
  const std::string path = Path("50hz.wav");
  ASSERT_TRUE(WriteWav(path, s.data(), s.size(), 50).ok());
  ExpectError(ReadAudio(path, 16000), path, "resample");
}

// Chunk by chunk, a long file decodes to exactly what ReadAudio returns, at
// the file's rate and resampled.
TEST_F(AudioTest, StreamedDecodingEqualsReadAudio) {
  const auto s = Sine(1000, 44100, 44100 * 5, 0.4);  // 5 s, many chunks
  const std::string path = Path("long.wav");
  ASSERT_TRUE(WriteWav(path, s.data(), s.size(), 44100).ok());
  for (int rate : {44100, 16000}) {
    StatusOr<AudioClip> whole = ReadAudio(path, rate);
    ASSERT_TRUE(whole.ok()) << whole.status().message();
    StatusOr<std::unique_ptr<AudioFileStream>> stream =
        AudioFileStream::Open(path, rate);
    ASSERT_TRUE(stream.ok()) << stream.status().message();
    EXPECT_EQ((*stream)->source_sample_rate(), 44100);
    EXPECT_EQ((*stream)->header_frames(), 44100 * 5);
    std::vector<int16_t> all, chunk;
    int reads = 0;
    for (bool end = false; !end; ++reads) {
      ASSERT_TRUE((*stream)->Read(&chunk, &end).ok());
      all.insert(all.end(), chunk.begin(), chunk.end());
    }
    EXPECT_GT(reads, 3) << rate;
    EXPECT_EQ(all, whole->samples) << rate;
    bool end = false;  // reading past the end stays at the end
    ASSERT_TRUE((*stream)->Read(&chunk, &end).ok());
    EXPECT_TRUE(end);
    EXPECT_TRUE(chunk.empty());
  }
  StatusOr<std::unique_ptr<AudioFileStream>> missing =
      AudioFileStream::Open(Path("none.wav"), 16000);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  AudioReadOptions short_limit;
  short_limit.max_seconds = 2.0;
  EXPECT_EQ(AudioFileStream::Open(path, 16000, short_limit).status().code(),
            StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace audio_test
}  // namespace tinykws
