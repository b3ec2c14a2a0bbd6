// Search-space files: lists, ranges, indexed model keys, marks, and clear
// errors for unknown keys, empty lists and ranges, and invalid values.
#include "sweep/space.hpp"

#include <gtest/gtest.h>

#include "../common/temp_dir_test.hpp"
#include "common/atomic_file.hpp"

namespace tinykws::sweep {
namespace {

const std::string kGoStop =
    std::string(TINYKWS_SOURCE_DIR) + "/configs/go_stop.toml";

class SpaceTest : public testing::TempDirTest {
 protected:
  StatusOr<SweepSpace> Load(const std::string& body) {
    const std::string path = Path("space.toml");
    EXPECT_TRUE(
        WriteFileAtomically(path, "base = \"" + kGoStop + "\"\n" + body).ok());
    return LoadSpace(path);
  }
  std::string Error(const std::string& body) {
    StatusOr<SweepSpace> s = Load(body);
    EXPECT_FALSE(s.ok()) << body;
    return s.ok() ? "" : s.status().message();
  }
};

TEST_F(SpaceTest, ListsRangesAndModelKeysInFileOrder) {
  StatusOr<SweepSpace> s = Load(R"(
[search]
strategy = "grid"
seeds = 2
early_stopping = "halving"
[features]
mel_bins = [10, 20]
frame_step = { from = 320, to = 448, step = 64 }
[model]
"conv[*].filters" = [4, 8]
"blocks[0].kernel" = [[3, 3], [5, 3]]
[training]
learning_rate = { from = 0.01, to = 0.03, step = 0.01 }
)");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->strategy, "grid");
  EXPECT_EQ(s->seeds, 2);
  EXPECT_EQ(s->early_stopping, "halving");
  ASSERT_EQ(s->dimensions.size(), 5u);
  EXPECT_EQ(s->dimensions[0].key, "features.mel_bins");
  EXPECT_EQ(s->dimensions[1].key, "features.frame_step");
  EXPECT_EQ(s->dimensions[1].choices,
            (std::vector<std::string>{"320", "384", "448"}));
  EXPECT_EQ(s->dimensions[2].key, "model.conv[*].filters");
  EXPECT_EQ(s->dimensions[3].key, "model.blocks[0].kernel");
  EXPECT_EQ(s->dimensions[3].choices,
            (std::vector<std::string>{"[ 3, 3 ]", "[ 5, 3 ]"}));
  EXPECT_EQ(s->dimensions[4].choices,
            (std::vector<std::string>{"0.01", "0.02", "0.03"}));
  EXPECT_EQ(CombinationCount(*s), 2 * 3 * 2 * 2 * 3);

  StatusOr<KwsConfig> c = ApplyChoices(*s, {1, 2, 0, 1, 2});
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->features.mel_bins, 20);
  EXPECT_EQ(c->features.frame_step, 448);
  EXPECT_EQ(c->model.blocks[0].filters, 4);
  EXPECT_EQ(c->model.blocks[4].filters, 4);  // the second conv block
  EXPECT_EQ(c->model.blocks[0].kernel_h, 5);
  EXPECT_EQ(c->model.blocks[0].kernel_w, 3);
  EXPECT_EQ(c->model.blocks[4].kernel_h, 3);  // untouched
  EXPECT_FLOAT_EQ(c->training.learning_rate, 0.03f);
  EXPECT_EQ(c->training.batch_size, 10);  // from the base
  EXPECT_EQ(ChoiceToJson("[ 5, 3 ]"), nlohmann::json::array({5, 3}));
  EXPECT_EQ(ChoiceToJson("0.01"), nlohmann::json(0.01));
}

TEST_F(SpaceTest, OneConvBlockAndMarks) {
  StatusOr<SweepSpace> s = Load(R"(
[marks]
seed = ")" + kGoStop + R"("
[model]
"conv[1].filters" = [6]
)");
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->marks.size(), 1u);
  EXPECT_EQ(s->marks[0].name, "seed");
  EXPECT_EQ(s->marks[0].config_toml.rfind(kResolvedConfigHeader, 0), 0u);
  StatusOr<KwsConfig> c = ApplyChoices(*s, {0});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->model.blocks[0].filters, 24);
  EXPECT_EQ(c->model.blocks[4].filters, 6);
}

TEST_F(SpaceTest, UnknownKeysAreNamedWithTheNearestOne) {
  const std::string unknown = Error("[features]\nmel_bin = [10]\n");
  EXPECT_NE(unknown.find("no key 'mel_bin' there in the config (did you mean "
                         "mel_bins?)"),
            std::string::npos)
      << unknown;
  EXPECT_NE(unknown.find("space.toml:3: features.mel_bin = 10: "),
            std::string::npos)
      << unknown;
  EXPECT_NE(Error("[serach]\ntrials = 3\n")
                .find("unknown key 'serach' (did you mean search?)"),
            std::string::npos);
  EXPECT_NE(Error("[model]\n\"conv[5].filters\" = [4]\n")
                .find("the base model has 2 conv blocks"),
            std::string::npos);
  EXPECT_NE(Error("[model]\n\"layers[0].filters\" = [4]\n")
                .find("only blocks[i] and conv[i] may be indexed"),
            std::string::npos);
  EXPECT_NE(Error("[search]\nstrategy = \"grd\"\n[features]\nmel_bins = [8]\n")
                .find("must be \"grid\" or \"random\""),
            std::string::npos);
  EXPECT_NE(Error("[search]\ntrails = 3\n[features]\nmel_bins = [8]\n")
                .find("unknown key 'search.trails'"),
            std::string::npos);
  EXPECT_NE(Error("[search]\nstrategy = \"grid\"\n").find("no key is swept"),
            std::string::npos);
}

TEST_F(SpaceTest, EmptyListsRangesAndBadValuesAreErrors) {
  const std::string empty = Error("[features]\nmel_bins = []\n");
  EXPECT_NE(empty.find("features.mel_bins: the list of values is empty"),
            std::string::npos)
      << empty;
  EXPECT_NE(empty.find("space.toml:3"), std::string::npos) << empty;
  EXPECT_NE(Error("[features]\nmel_bins = { from = 40, to = 20, step = 1 }\n")
                .find("features.mel_bins: empty range (from 40 to 20 step 1)"),
            std::string::npos);
  EXPECT_NE(Error("[features]\nmel_bins = { from = 20, to = 40, step = 0 }\n")
                .find("empty range"),
            std::string::npos);
  EXPECT_NE(Error("[features]\nmel_bins = { from = 20, to = 40 }\n")
                .find("missing 'step'"),
            std::string::npos);
  EXPECT_NE(Error("[features]\nmel_bins = 20\n").find("give a list of values"),
            std::string::npos);
  const std::string bad = Error("[features]\nmel_bins = [20, 0]\n");
  EXPECT_NE(bad.find("features.mel_bins = 0: "), std::string::npos) << bad;
  EXPECT_NE(Error("[training]\nlearning_rate = [\"fast\"]\n")
                .find("training.learning_rate = 'fast'"),
            std::string::npos);
  EXPECT_NE(Error("[search]\nstrategy = \"grid\"\nearly_stopping = "
                  "\"halving\"\n[training]\nepochs = [10, 20]\n")
                .find("training.epochs cannot be swept"),
            std::string::npos);
  EXPECT_NE(Error("[marks]\nseed = \"/no/such.toml\"\n[features]\n"
                  "mel_bins = [8]\n")
                .find("/no/such.toml"),
            std::string::npos);
}

}  // namespace
}  // namespace tinykws::sweep
