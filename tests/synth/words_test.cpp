// Phonemes, the keyword filter, neighbours, the word list, sentences.
#include "synth/words.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "synth/phonemizer.hpp"
#include "synth/text.hpp"
#include "synth_test_util.hpp"

namespace tinykws::synth {
namespace {

using testing::DataPath;

TEST(SynthWords, PhonemeDistanceAndContainment) {
  const Phonemes go = SplitPhonemes("g oU");
  EXPECT_EQ(go, (Phonemes{"g", "oU"}));
  EXPECT_EQ(JoinPhonemes(go), "g oU");
  EXPECT_EQ(PhonemeDistance(go, SplitPhonemes("n oU")), 1u);
  EXPECT_EQ(PhonemeDistance(go, SplitPhonemes("g oU t")), 1u);
  EXPECT_EQ(PhonemeDistance(go, go), 0u);
  EXPECT_EQ(PhonemeDistance(SplitPhonemes("s t2 0 p"), SplitPhonemes("S 0 p")),
            2u);
  EXPECT_TRUE(ContainsPhonemes(SplitPhonemes("k A@ g oU"), go));
  EXPECT_TRUE(ContainsPhonemes(SplitPhonemes("a# g oU"), go));
  EXPECT_FALSE(ContainsPhonemes(SplitPhonemes("D oU"), go));
  EXPECT_FALSE(ContainsPhonemes(go, {}));
}

TEST(SynthWords, KeywordFilter) {
  const std::vector<Keyword> keywords = {{"go", SplitPhonemes("g oU")},
                                         {"stop", SplitPhonemes("s t2 0 p")}};
  EXPECT_TRUE(ClashesWithKeyword("go", {}, keywords));
  EXPECT_TRUE(ClashesWithKeyword("ago", SplitPhonemes("a# g oU"), keywords));
  EXPECT_TRUE(
      ClashesWithKeyword("cargo", SplitPhonemes("k A@ g oU"), keywords));
  EXPECT_TRUE(ClashesWithKeyword("stopwatch", SplitPhonemes("s t2 0 p w 0 tS"),
                                 keywords));
  EXPECT_FALSE(ClashesWithKeyword("though", SplitPhonemes("D oU"), keywords));
  EXPECT_FALSE(ClashesWithKeyword("shop", SplitPhonemes("S 0 p"), keywords));
}

TEST(SynthWords, KeywordsMustBeLetters) {
  EXPECT_EQ(*NormalizeKeyword("Go"), "go");
  EXPECT_FALSE(NormalizeKeyword("go2").ok());
  EXPECT_FALSE(NormalizeKeyword("don't").ok());
  EXPECT_FALSE(NormalizeKeyword("").ok());
}

TEST(SynthWords, WordListKeepsShortLowercaseWords) {
  StatusOr<std::vector<std::string>> words =
      ReadWordList(DataPath("tiny_words.txt"));
  ASSERT_TRUE(words.ok()) << words.status().message();
  EXPECT_TRUE(std::is_sorted(words->begin(), words->end()));
  const std::set<std::string> set(words->begin(), words->end());
  EXPECT_EQ(set.count("apple"), 1u);
  EXPECT_EQ(set.count("Cherry"), 0u);       // uppercase
  EXPECT_EQ(set.count("x"), 0u);            // too short
  EXPECT_EQ(set.count("hello-world"), 0u);  // not a-z
  EXPECT_EQ(set.count("verylongwordthatistoolong"), 0u);
  EXPECT_FALSE(ReadWordList(DataPath("no_such_file.txt")).ok());
  const std::string empty = ::testing::TempDir() + "synth_empty_words.txt";
  std::ofstream(empty) << "Only\nUPPER\n1234\n";
  StatusOr<std::vector<std::string>> none = ReadWordList(empty);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("no usable word"), std::string::npos);
}

TEST(SynthWords, NeighboursPreferRhymesAndSkipKeywords) {
  const std::vector<std::string> words = {"go",     "goat", "guy",  "no", "toe",
                                          "though", "tow",  "stop", "sew"};
  std::vector<Phonemes> ph;
  for (const char* p : {"g oU", "g oU t", "g aI", "n oU", "t oU", "D oU",
                        "t oU", "s t2 0 p", "s oU"}) {
    ph.push_back(SplitPhonemes(p));
  }
  const std::vector<Keyword> keywords = {{"go", SplitPhonemes("g oU")},
                                         {"stop", SplitPhonemes("s t2 0 p")}};
  const std::vector<std::string> near =
      NearestWords(keywords[0], words, ph, keywords, 10);
  // One spelling per sound (toe, not tow), consonant edits first, never a
  // keyword nor a word holding one ("goat").
  EXPECT_EQ(near,
            (std::vector<std::string>{"no", "sew", "though", "toe", "guy"}));
}

// The real dictionary through espeak-ng (a child process).
TEST(SynthWords, NeighboursOfGoFromTheDictionary) {
  StatusOr<std::vector<std::string>> list = ReadWordList(kDefaultWordList);
  if (!list.ok()) GTEST_SKIP() << "no " << kDefaultWordList;
  std::vector<std::string> words = *list;
  words.push_back("go");
  StatusOr<PhonemizerResult> r = PhonemizeInChild(words, {"en-us+m3"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->unknown_voices.empty());
  EXPECT_EQ(r->phonemes.back(), "g oU");
  std::vector<Phonemes> ph;
  for (const std::string& p : r->phonemes) ph.push_back(SplitPhonemes(p));
  const std::vector<Keyword> keywords = {{"go", SplitPhonemes("g oU")}};
  const std::vector<std::string> near =
      NearestWords(keywords[0], words, ph, keywords, 10);
  ASSERT_EQ(near.size(), 10u);
  const std::set<std::string> expected = {"no",  "toe", "though", "doe", "show",
                                          "so",  "low", "row",    "tow", "bow",
                                          "foe", "hoe", "sow"};
  int hits = 0;
  for (const std::string& w : near) {
    EXPECT_NE(w, "go");
    hits += static_cast<int>(expected.count(w));
  }
  EXPECT_GE(hits, 2) << ::testing::PrintToString(near);
}

TEST(SynthText, SplitsTheTinyText) {
  StatusOr<TextFileSentences> t = ReadTextFile(DataPath("tiny.txt"));
  ASSERT_TRUE(t.ok()) << t.status().message();
  const std::vector<std::string> expected = {
      "The cat sat on the mat.",
      "It was warm!",
      "Did you see the red bird?",
      "A long line that wraps across two lines ends here.",
      "We will go home soon.",
      "Let it go.",
      "That was a long time ago.",
      "Nobody is going anywhere today.",
      "The little dog ran to the big old barn.",
      "She said \"bring the blue cup.\"",
      "that which is perceived or known to exist",
      "the old man walked slowly",
      "The cat sat on the mat."};
  EXPECT_EQ(t->usable, expected);
  // + "Short one." (2 words), the digits and the '#' sentence.
  EXPECT_EQ(t->candidates, expected.size() + 3);
}

TEST(SynthText, SentenceRules) {
  EXPECT_EQ(SplitSentences("One two three. Four five six!\n%\nseven eight\n"
                           "nine\n\nten"),
            (std::vector<std::string>{"One two three.", "Four five six!",
                                      "seven eight nine", "ten"}));
  EXPECT_EQ(SentenceWords("Don't go -- now, 'Sam'."),
            (std::vector<std::string>{"don't", "go", "now", "sam"}));
  EXPECT_TRUE(IsUsableSentence("A (quiet) one, \"yes\"; fine: ok?"));
  EXPECT_FALSE(IsUsableSentence("Two words."));
  EXPECT_FALSE(IsUsableSentence("It costs 5 dollars."));
  EXPECT_FALSE(IsUsableSentence("Caf\xc3\xa9 au lait today."));
  std::string many;
  for (int i = 0; i < 31; ++i) many += "word ";
  EXPECT_FALSE(IsUsableSentence(many));
}

}  // namespace
}  // namespace tinykws::synth
