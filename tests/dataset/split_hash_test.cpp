// Digests and the speaker-hash split rule, checked against published SHA
// test vectors and values computed independently with Python's hashlib.
#include "dataset/split_hash.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "tinykws/dataset.hpp"

namespace tinykws {
namespace {

struct DigestCase {
  std::string input;
  const char* sha1;
  const char* sha256;
};

// FIPS 180 examples ("", "abc", the 448-bit message, a million 'a') plus an
// embedded NUL byte, which must be hashed rather than end the input.
TEST(DigestTest, KnownVectors) {
  const DigestCase cases[] = {
      {"", "da39a3ee5e6b4b0d3255bfef95601890afd80709",
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "a9993e364706816aba3e25717850c26c9cd0d89d",
       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {std::string(1000000, 'a'), "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
      {std::string("a\0b", 3), "4a3dec2d1f8245280855c42db0ee4239f917fdb8",
       "59b271ae1bbcb1d31d41929817f4b16fb439eb4f31520b5ad1d5ce98920a7138"},
  };
  for (const DigestCase& c : cases) {
    EXPECT_EQ(Sha1Hex(c.input), c.sha1) << "input size " << c.input.size();
    EXPECT_EQ(Sha256Hex(c.input), c.sha256) << "input size " << c.input.size();
  }
}

TEST(SplitNameTest, RoundTripsAndRejectsOthers) {
  for (Split s : {Split::kTraining, Split::kValidation, Split::kTesting}) {
    Split parsed = Split::kTraining;
    ASSERT_TRUE(ParseSplit(SplitName(s), &parsed)) << SplitName(s);
    EXPECT_EQ(parsed, s);
  }
  EXPECT_STREQ(SplitName(Split::kTraining), "training");
  EXPECT_STREQ(SplitName(Split::kValidation), "validation");
  EXPECT_STREQ(SplitName(Split::kTesting), "testing");
  Split untouched = Split::kTesting;
  for (const char* bad : {"", "train", "test", "Testing", "all", " testing"}) {
    EXPECT_FALSE(ParseSplit(bad, &untouched)) << "'" << bad << "'";
    EXPECT_EQ(untouched, Split::kTesting);
  }
  EXPECT_FALSE(ParseSplit("testing", nullptr));
}

struct SpeakerGolden {
  const char* speaker;
  double percent;
  const char* split;  // at validation 10 %, testing 10 %
};

// Generated with:
// /usr/bin/python3 -c "import hashlib; [print('{\"%s\", %r, \"%s\"},' % (n, p,
// 'validation' if p < 10 else 'testing' if p < 20 else 'training')) for n in
// ['0132a06d', '0ab3b47d', '099d52ad', '05b2db80', 'abc', '', 'clip.wav',
// 's\u00e9bastien', 'spk5', 'spk30', 'spk36'] for p in
// [(int(hashlib.sha1(n.encode()).hexdigest(), 16) % 2**27) * (100.0 / (2**27 -
// 1))]]"
constexpr SpeakerGolden kGolden[] = {
    {"0132a06d", 58.139242665016965, "training"},
    {"0ab3b47d", 9.130575575907345, "validation"},
    {"099d52ad", 9.288007835209427, "validation"},
    {"05b2db80", 24.647703205404454, "training"},
    {"abc", 60.19756615309094, "training"},
    {"", 98.04821758008165, "training"},
    {"clip.wav", 5.9757024494983435, "validation"},
    {"s\xc3\xa9"
     "bastien",
     91.01882346733528, "training"},  // "sébastien" as UTF-8
    {"spk5", 1.080276080073983, "validation"},
    {"spk30", 14.760483911339072, "testing"},
    {"spk36", 12.839558071192785, "testing"},
};

TEST(SpeakerHashTest, MatchesPythonHashlibGolden) {
  for (const SpeakerGolden& g : kGolden) {
    // Same double operations as Python: the value must be identical.
    EXPECT_EQ(dataset::SpeakerHashPercent(g.speaker), g.percent)
        << "'" << g.speaker << "'";
    EXPECT_STREQ(SplitName(SplitBySpeakerHash(g.speaker, 10.0, 10.0)), g.split)
        << "'" << g.speaker << "'";
  }
}

TEST(SpeakerHashTest, ThresholdsAreHalfOpen) {
  using dataset::SplitForPercent;
  EXPECT_EQ(SplitForPercent(0.0, 10, 10), Split::kValidation);
  EXPECT_EQ(SplitForPercent(std::nextafter(10.0, 0.0), 10, 10),
            Split::kValidation);
  EXPECT_EQ(SplitForPercent(10.0, 10, 10), Split::kTesting);
  EXPECT_EQ(SplitForPercent(std::nextafter(20.0, 0.0), 10, 10),
            Split::kTesting);
  EXPECT_EQ(SplitForPercent(20.0, 10, 10), Split::kTraining);
  EXPECT_EQ(SplitForPercent(100.0, 10, 10), Split::kTraining);
  // No validation or testing share: everything trains.
  EXPECT_EQ(SplitForPercent(0.0, 0, 0), Split::kTraining);
  EXPECT_EQ(SplitForPercent(std::numeric_limits<double>::quiet_NaN(), 10, 10),
            Split::kTraining);
  // Golden percents through the public rule with other shares.
  EXPECT_EQ(SplitBySpeakerHash("spk30", 15.0, 0.0), Split::kValidation);
  EXPECT_EQ(SplitBySpeakerHash("spk30", 14.0, 1.0), Split::kTesting);
  EXPECT_EQ(SplitBySpeakerHash("05b2db80", 20.0, 10.0), Split::kTesting);
}

// Random 8-hex-digit names like the data set's speaker ids: the buckets are
// uniform, so shares land near the requested percentages (the bounds are
// about three standard deviations for n = 2000).
TEST(SpeakerHashTest, ProportionsFollowPercentages) {
  std::mt19937 rng(1234);
  std::map<Split, int> count_10_10;
  std::map<Split, int> count_30_20;
  const int n = 2000;
  for (int i = 0; i < n; ++i) {
    char name[16];
    std::snprintf(name, sizeof(name), "%08x", static_cast<unsigned>(rng()));
    const double percent = dataset::SpeakerHashPercent(name);
    ASSERT_GE(percent, 0.0);
    ASSERT_LE(percent, 100.0);
    ++count_10_10[SplitBySpeakerHash(name, 10.0, 10.0)];
    ++count_30_20[SplitBySpeakerHash(name, 30.0, 20.0)];
  }
  EXPECT_NEAR(count_10_10[Split::kValidation] / double(n), 0.10, 0.02);
  EXPECT_NEAR(count_10_10[Split::kTesting] / double(n), 0.10, 0.02);
  EXPECT_NEAR(count_10_10[Split::kTraining] / double(n), 0.80, 0.03);
  EXPECT_NEAR(count_30_20[Split::kValidation] / double(n), 0.30, 0.03);
  EXPECT_NEAR(count_30_20[Split::kTesting] / double(n), 0.20, 0.03);
  EXPECT_NEAR(count_30_20[Split::kTraining] / double(n), 0.50, 0.035);
}

}  // namespace
}  // namespace tinykws
