// Trial plans (grid, seeded random, marks), halving rungs, and the schedule:
// who is compared when, who goes on, independence from completion order.
#include "sweep/plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "../common/temp_dir_test.hpp"
#include "common/atomic_file.hpp"

namespace tinykws::sweep {
namespace {

const std::string kGoStop =
    std::string(TINYKWS_SOURCE_DIR) + "/configs/go_stop.toml";

class PlanTest : public testing::TempDirTest {
 protected:
  SweepSpace Space(const std::string& body) {
    const std::string path = Path("space.toml");
    EXPECT_TRUE(
        WriteFileAtomically(path, "base = \"" + kGoStop + "\"\n" + body).ok());
    StatusOr<SweepSpace> s = LoadSpace(path);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? *s : SweepSpace{};
  }
};

TEST_F(PlanTest, GridIsEveryCombinationInOrder) {
  const SweepSpace s = Space(
      "[search]\nstrategy = \"grid\"\n[features]\nmel_bins = [10, 20, "
      "40]\n[model]\n\"conv[*].filters\" = [4, 8]\n");
  StatusOr<std::vector<PlannedTrial>> plan = PlanTrials(s, 0, 3);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->size(), 6u);
  EXPECT_EQ((*plan)[0].id, "t000");
  EXPECT_EQ((*plan)[5].id, "t005");
  EXPECT_EQ((*plan)[1].choice, (std::vector<int>{0, 1}));
  EXPECT_EQ((*plan)[2].choice, (std::vector<int>{1, 0}));
  EXPECT_EQ((*plan)[3].overrides[0].first, "features.mel_bins");
  EXPECT_EQ((*plan)[3].overrides[0].second, 20);
  EXPECT_EQ((*plan)[3].overrides[1].second, 8);
  StatusOr<KwsConfig> c = ParseConfig((*plan)[3].config_toml, "t003");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->training.epochs, 3);  // --epochs overrides every trial's
  EXPECT_EQ(c->features.mel_bins, 20);
  EXPECT_EQ(c->model.blocks[4].filters, 8);
  EXPECT_FALSE(PlanTrials(s, 5, 0).ok());  // 6 combinations > --trials 5
}

TEST_F(PlanTest, RandomIsADistinctSampleFixedByTheSeed) {
  const SweepSpace s = Space(
      "[search]\ntrials = 10\nseed = 7\n[features]\nmel_bins = { from = 10, "
      "to = 40, step = 1 }\nnum_mfcc = [8, 10, 12]\n");
  StatusOr<std::vector<PlannedTrial>> a = PlanTrials(s, 0, 0);
  StatusOr<std::vector<PlannedTrial>> b = PlanTrials(s, 0, 0);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->size(), 10u);
  std::set<std::vector<int>> distinct;
  for (size_t i = 0; i < a->size(); ++i) {
    distinct.insert((*a)[i].choice);
    EXPECT_EQ((*a)[i].choice, (*b)[i].choice);
  }
  EXPECT_EQ(distinct.size(), 10u);
  SweepSpace other = s;
  other.sample_seed = 8;
  StatusOr<std::vector<PlannedTrial>> c = PlanTrials(other, 0, 0);
  ASSERT_TRUE(c.ok());
  bool differs = false;
  for (size_t i = 0; i < c->size(); ++i) {
    differs = differs || (*c)[i].choice != (*a)[i].choice;
  }
  EXPECT_TRUE(differs);
  EXPECT_EQ(PlanTrials(s, 200, 0)->size(), 93u);  // all 31 x 3
}

TEST(Rungs, GrowByEtaAndEndAtTheFullLength) {
  EXPECT_EQ(Rungs(80, 10, 3, true), (std::vector<int>{10, 30, 80}));
  EXPECT_EQ(Rungs(80, 0, 3, true), (std::vector<int>{8, 24, 72, 80}));
  EXPECT_EQ(Rungs(40, 0, 3, false), (std::vector<int>{40}));
  EXPECT_EQ(Rungs(5, 10, 3, true), (std::vector<int>{5}));
}

// A plan of n plain trials (and optionally a mark and a broken trial).
std::vector<PlannedTrial> Trials(int n, bool mark, bool broken) {
  std::vector<PlannedTrial> out;
  if (mark) {
    out.push_back({"seed", true, "go_stop.toml", {}, "cfg", 5, "", {}});
  }
  for (int i = 0; i < n; ++i) {
    out.push_back({"t" + std::to_string(i), false, "", {i}, "cfg", 0, "", {}});
  }
  if (broken) {
    out.push_back({"bad", false, "", {0}, "", 0, "kernel too big", {}});
  }
  return out;
}

// Runs a schedule to the end; trial t's accuracy is score[t] - seed * 0.001;
// `reverse` completes the ready items in reverse order.
std::vector<TrialResult> RunToEnd(const std::vector<PlannedTrial>& trials,
                                  const std::vector<double>& score, int seeds,
                                  const std::vector<int>& rungs, bool reverse,
                                  std::multiset<int>* epochs_run = nullptr) {
  Schedule schedule(trials, seeds, rungs, 3);
  for (int guard = 0; guard < 100 && !schedule.Finished(); ++guard) {
    std::vector<WorkItem> ready = schedule.TakeReady();
    if (reverse) std::reverse(ready.begin(), ready.end());
    for (const WorkItem& item : ready) {
      if (static_cast<size_t>(item.trial) >= score.size()) {
        ADD_FAILURE() << "no score for trial " << item.trial;
        return {};
      }
      if (epochs_run != nullptr) epochs_run->insert(item.epochs);
      ItemResult r;
      r.ok = score[static_cast<size_t>(item.trial)] >= 0;
      r.error = r.ok ? "" : "diverged";
      r.best_val_fp32 =
          score[static_cast<size_t>(item.trial)] - 0.001 * item.seed_index;
      if (item.final) {
        r.val_int8 = r.best_val_fp32;
        r.test_int8 = r.best_val_fp32 - 0.01;
        r.model_bytes = 1000 + item.trial;
      }
      r.train_seconds = 1;
      schedule.Complete(item, r);
    }
  }
  EXPECT_TRUE(schedule.Finished());
  return schedule.Results(trials, std::vector<int64_t>(seeds, 1));
}

TEST(Schedule, HalvingKeepsTheBestThirdAtEachRung) {
  // 9 trials; trial 4 is best, then 7, 2.
  const std::vector<double> score = {0.50, 0.60, 0.80, 0.55, 0.95,
                                     0.52, 0.58, 0.90, 0.51};
  std::multiset<int> epochs_run;
  const std::vector<TrialResult> r = RunToEnd(Trials(9, false, false), score, 2,
                                              {2, 6, 18}, false, &epochs_run);
  // 9 x 2 seeds at rung 2, 3 x 2 at rung 6, 1 x 2 at rung 18.
  EXPECT_EQ(epochs_run.count(2), 18u);
  EXPECT_EQ(epochs_run.count(6), 6u);
  EXPECT_EQ(epochs_run.count(18), 2u);
  for (size_t i = 0; i < r.size(); ++i) {
    SCOPED_TRACE(r[i].id);
    if (i == 4) {
      EXPECT_EQ(r[i].status, "ok");
      EXPECT_EQ(r[i].epochs, 18);
      EXPECT_NEAR(r[i].val_accuracy, 0.9495, 1e-12);  // mean of 2 seeds
      EXPECT_NEAR(r[i].test_accuracy, 0.9395, 1e-12);
      EXPECT_EQ(r[i].model_bytes, 1004);
      EXPECT_EQ(r[i].train_seconds, 6);  // 3 rungs x 2 seeds
    } else {
      EXPECT_EQ(r[i].status, "stopped");
      EXPECT_EQ(r[i].epochs, i == 2 || i == 7 ? 6 : 2);
      EXPECT_TRUE(r[i].test_accuracies.empty());
    }
  }
}

TEST(Schedule, MarksRunOnceToTheEndAndBrokenTrialsFail) {
  const std::vector<double> score = {0.7, 0.9, 0.5, 0.8, 0.2};
  std::multiset<int> epochs_run;
  const std::vector<TrialResult> r =
      RunToEnd(Trials(3, true, true), score, 1, {2, 6}, false, &epochs_run);
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].id, "seed");
  EXPECT_EQ(r[0].status, "ok");  // a mark, although below the best
  EXPECT_EQ(r[0].epochs, 5);     // its own length
  EXPECT_EQ(r[1].status, "ok");  // the best third of 3: one trial
  EXPECT_EQ(r[2].status, "stopped");
  EXPECT_EQ(r[3].status, "stopped");
  EXPECT_EQ(r[4].status, "failed");
  EXPECT_EQ(r[4].error, "kernel too big");
  // The mark trained straight to its 5 epochs: 3 trials x rung 2, then
  // the promoted trial at 6.
  EXPECT_EQ(epochs_run.count(2), 3u);
  EXPECT_EQ(epochs_run.count(5), 1u);
  EXPECT_EQ(epochs_run.count(6), 1u);
}

TEST(Schedule, AFailedSeedFailsTheTrialAndTheRestGoesOn) {
  const std::vector<double> score = {0.7, -1, 0.8};
  const std::vector<TrialResult> r =
      RunToEnd(Trials(3, false, false), score, 2, {1, 3}, false);
  EXPECT_EQ(r[1].status, "failed");
  EXPECT_EQ(r[1].error, "diverged");
  EXPECT_EQ(r[2].status, "ok");
  EXPECT_EQ(r[0].status, "stopped");
}

TEST(Schedule, DecisionsDoNotDependOnCompletionOrder) {
  // The mark, then 7 trials.
  const std::vector<double> score = {0.5, 0.9, 0.8, 0.85, 0.7, 0.6, 0.9, 0.75};
  const std::vector<TrialResult> a =
      RunToEnd(Trials(7, true, false), score, 3, {1, 3, 9}, false);
  const std::vector<TrialResult> b =
      RunToEnd(Trials(7, true, false), score, 3, {1, 3, 9}, true);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(ToJson(a[i]).dump(), ToJson(b[i]).dump()) << a[i].id;
  }
}

}  // namespace
}  // namespace tinykws::sweep
