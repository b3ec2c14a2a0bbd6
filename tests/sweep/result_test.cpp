// The Pareto front on a hand-made result table, sweep.json round trips,
// and --pick constraints.
#include <gtest/gtest.h>

#include <cmath>

#include "make_trial.hpp"
#include "sweep/pick.hpp"
#include "sweep/sweep_result.hpp"

namespace tinykws::sweep {
namespace {

using testing::Trial;

// Front by hand: a (best accuracy), b (fastest), c (smallest), d (between a
// and b on accuracy and latency, not dominated). e is dominated by a (same
// accuracy, slower, bigger); f equals a except worse accuracy... and so on.
std::vector<TrialResult> Table() {
  return {
      Trial("a", 0.99, 50, 8000),  // front: best accuracy
      Trial("b", 0.95, 20, 9000),  // front: fastest
      Trial("c", 0.96, 60, 4000),  // front: smallest
      Trial("d", 0.97, 30, 8500),  // front: trade-off
      Trial("e", 0.99, 55, 8100),  // dominated by a
      Trial("f", 0.95, 20, 9000),  // ties b everywhere: neither dominates
      Trial("g", 0.94, 25, 9500),  // dominated by b
      Trial("h", 0.999, 10, 100, "stopped"),  // not finished: never front
      Trial("i", 0.999, NAN, 100),            // no latency: never front
  };
}

TEST(Pareto, FrontOfAHandMadeTable) {
  std::vector<TrialResult> t = Table();
  MarkParetoFront(&t);
  std::string front;
  for (const TrialResult& r : t) {
    if (r.pareto) front += r.id;
  }
  EXPECT_EQ(front, "abcdf");
}

TEST(SweepJson, RoundTripsEveryField) {
  SweepReport r;
  r.name = "study";
  r.space_path = "configs/sweeps/seed_study.toml";
  r.strategy = "random";
  r.early_stopping = "halving";
  r.rungs = {10, 30, 80};
  r.epochs = 80;
  r.seeds = 2;
  r.world_size = 4;
  r.latency_kernel = "avx2";
  TrialResult t = Trial("t001", 0.98, 42.5, 6300);
  t.overrides = {{"features.mel_bins", 20},
                 {"model.conv[*].filters", 8},
                 {"a.first", "x"}};
  t.seeds = {1, 2};
  t.val_accuracies = {0.97, 0.99};
  t.test_accuracies = {0.96, NAN};
  t.rank = 3;
  TrialResult mark = Trial("seed", NAN, NAN, 0, "failed");
  mark.mark = true;
  mark.mark_config = "../go_stop.toml";
  mark.error = "out of memory";
  r.trials = {mark, t};
  const nlohmann::json j = ToJson(r);
  EXPECT_TRUE(j["trials"][0]["val_accuracy"].is_null());  // NaN -> null
  EXPECT_EQ(j["trials"][1]["overrides"]["features.mel_bins"], 20);
  StatusOr<SweepReport> back = SweepFromJson(nlohmann::json::parse(j.dump()));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(ToJson(*back).dump(), j.dump());
  ASSERT_EQ(back->trials[1].overrides.size(), 3u);
  EXPECT_EQ(back->trials[1].overrides[2].first, "a.first");  // order kept
  EXPECT_TRUE(std::isnan(back->trials[1].test_accuracies[1]));
  EXPECT_TRUE(back->trials[0].mark);
  EXPECT_EQ(back->trials[0].error, "out of memory");

  nlohmann::json broken = j;
  broken["trials"][1]["epochs"] = "ten";
  StatusOr<SweepReport> bad = SweepFromJson(broken);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("trial t001: 'epochs'"),
            std::string::npos)
      << bad.status().message();
  EXPECT_FALSE(SweepFromJson(nlohmann::json::array()).ok());
}

TEST(Pick, ParsesUnitsAndOperators) {
  StatusOr<std::vector<Constraint>> c =
      ParseConstraints("size<=8KB, latency<50us,accuracy>=99.5%,macs<=1e6");
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_EQ(c->size(), 4u);
  EXPECT_EQ((*c)[0].quantity, "size");
  EXPECT_DOUBLE_EQ((*c)[0].value, 8000);
  EXPECT_TRUE((*c)[0].at_most);
  EXPECT_FALSE((*c)[0].strict);
  EXPECT_TRUE((*c)[1].strict);
  EXPECT_DOUBLE_EQ((*c)[2].value, 0.995);
  EXPECT_FALSE((*c)[2].at_most);
  EXPECT_DOUBLE_EQ(ParseConstraints("size<=8KiB")->at(0).value, 8192);
  EXPECT_DOUBLE_EQ(ParseConstraints("latency<=0.05ms")->at(0).value, 50);
  EXPECT_DOUBLE_EQ(ParseConstraints("val>=0.98")->at(0).value, 0.98);
  for (const char* bad : {"size<=8XB", "speed<=3", "size=8KB", "",
                          "size<=", "latency<=5KB", ",size<=1"}) {
    EXPECT_FALSE(ParseConstraints(bad).ok()) << bad;
  }
  // The error lists the units the quantity takes.
  EXPECT_NE(ParseConstraints("size<=8kb")
                .status()
                .message()
                .find("(B, KB, KiB, MB or MiB; none = bytes)"),
            std::string::npos);
  EXPECT_NE(ParseConstraints("latency<=5KB").status().message().find("ms"),
            std::string::npos);
}

TEST(Pick, BestAccuracyThatMeetsEveryConstraint) {
  const std::vector<TrialResult> t = Table();
  auto pick = [&](const std::string& text) {
    const int i = PickTrial(t, ParseConstraints(text).value());
    return i < 0 ? std::string("none") : t[static_cast<size_t>(i)].id;
  };
  EXPECT_EQ(pick("size<=100000"), "a");  // a and e tie; a is faster
  EXPECT_EQ(pick("latency<=40us"), "d");
  EXPECT_EQ(pick("size<=8KiB,latency<=60us"), "a");
  EXPECT_EQ(pick("size<=5000"), "c");
  EXPECT_EQ(pick("latency<=20us"), "b");  // b and f tie; b comes first
  EXPECT_EQ(pick("size<=1000"), "none");  // h and i are not finished/timed
}

}  // namespace
}  // namespace tinykws::sweep
