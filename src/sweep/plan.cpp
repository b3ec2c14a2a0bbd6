#include "sweep/plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>
#include <set>

namespace tinykws::sweep {

namespace {

constexpr int64_t kMaxGridTrials = 100000;

std::vector<int> ChoiceAt(const SweepSpace& space, int64_t index) {
  std::vector<int> choice(space.dimensions.size());
  for (size_t d = space.dimensions.size(); d-- > 0;) {
    const int64_t k = static_cast<int64_t>(space.dimensions[d].choices.size());
    choice[d] = static_cast<int>(index % k);
    index /= k;
  }
  return choice;
}

// Distinct indices in [0, total), sorted (Floyd's sampling).
std::vector<int64_t> Sample(int64_t total, int64_t count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::set<int64_t> picked;
  for (int64_t j = total - count; j < total; ++j) {
    const int64_t t = std::uniform_int_distribution<int64_t>(0, j)(rng);
    if (!picked.insert(t).second) picked.insert(j);
  }
  return {picked.begin(), picked.end()};
}

std::string TrialId(size_t i) {
  char id[16];
  std::snprintf(id, sizeof id, "t%03zu", i);
  return id;
}

// The config as resolved text, with --epochs applied.
void SetConfig(KwsConfig config, int epochs, PlannedTrial* t) {
  if (epochs > 0) config.training.epochs = epochs;
  t->epochs = config.training.epochs;
  t->config_toml = ConfigToToml(config);
}

}  // namespace

StatusOr<std::vector<PlannedTrial>> PlanTrials(const SweepSpace& space,
                                               int max_trials, int epochs) {
  std::vector<PlannedTrial> trials;
  for (const Mark& m : space.marks) {
    PlannedTrial t;
    t.id = m.name;
    t.mark = true;
    t.mark_config = m.as_written;
    StatusOr<KwsConfig> c = ParseConfig(m.config_toml, m.as_written);
    if (!c.ok()) return c.status();
    SetConfig(*c, epochs, &t);
    trials.push_back(std::move(t));
  }
  const int64_t total = CombinationCount(space);
  std::vector<int64_t> indices;
  if (space.strategy == "grid") {
    const int64_t cap = max_trials > 0 ? max_trials : kMaxGridTrials;
    if (total > cap) {
      return InvalidArgument(space.origin + ": the grid has " +
                             std::to_string(total) +
                             " combinations, more than " + std::to_string(cap) +
                             (max_trials > 0 ? " (--trials)" : "") +
                             "; use strategy = \"random\"");
    }
    indices.resize(static_cast<size_t>(total));
    std::iota(indices.begin(), indices.end(), int64_t{0});
  } else {
    const int64_t want = max_trials > 0 ? max_trials : space.trials;
    indices = Sample(total, std::min(want, total), space.sample_seed);
  }
  for (int64_t index : indices) {
    PlannedTrial t;
    t.id = TrialId(trials.size() - space.marks.size());
    t.choice = ChoiceAt(space, index);
    for (size_t d = 0; d < t.choice.size(); ++d) {
      const Dimension& dim = space.dimensions[d];
      t.overrides.push_back(
          {dim.key,
           ChoiceToJson(dim.choices[static_cast<size_t>(t.choice[d])])});
    }
    StatusOr<KwsConfig> c = ApplyChoices(space, t.choice);
    if (c.ok()) {
      SetConfig(*c, epochs, &t);
    } else {
      t.config_error = c.status().message();
    }
    trials.push_back(std::move(t));
  }
  return trials;
}

std::vector<int> Rungs(int epochs, int min_epochs, int eta, bool halving) {
  std::vector<int> rungs;
  if (halving && eta >= 2) {
    int64_t r = min_epochs > 0 ? min_epochs : std::max(1, epochs / (eta * eta));
    for (; r < epochs; r *= eta) rungs.push_back(static_cast<int>(r));
  }
  rungs.push_back(epochs);
  return rungs;
}

Schedule::Schedule(const std::vector<PlannedTrial>& trials, int seeds,
                   std::vector<int> rungs, int eta)
    : seeds_(seeds), rungs_(std::move(rungs)), eta_(eta) {
  state_.resize(trials.size());
  for (size_t i = 0; i < trials.size(); ++i) {
    TrialState& st = state_[i];
    st.mark = trials[i].mark;
    st.epochs = trials[i].epochs > 0 ? trials[i].epochs : rungs_.back();
    st.seeds.resize(static_cast<size_t>(seeds));
    if (!trials[i].config_error.empty()) {
      st.status = "failed";
      st.error = trials[i].config_error;
      continue;
    }
    // Marks are references, not candidates: trained in one go.
    Enqueue(static_cast<int>(i),
            st.mark ? static_cast<int>(rungs_.size()) - 1 : 0);
  }
  MaybeCloseRung();
}

int Schedule::RungEpochs(const TrialState& st, int rung) const {
  // The last rung is the trial's whole run (a mark's may differ).
  return rung == static_cast<int>(rungs_.size()) - 1
             ? st.epochs
             : rungs_[static_cast<size_t>(rung)];
}

void Schedule::Enqueue(int trial, int rung) {
  TrialState& st = state_[static_cast<size_t>(trial)];
  st.rung = rung;
  st.done.assign(static_cast<size_t>(seeds_), false);
  const bool final = rung == static_cast<int>(rungs_.size()) - 1;
  for (int s = 0; s < seeds_; ++s) {
    ready_.push_back({trial, s, RungEpochs(st, rung), final});
  }
}

std::vector<WorkItem> Schedule::TakeReady() {
  std::vector<WorkItem> out;
  for (const WorkItem& item : ready_) {
    if (state_[static_cast<size_t>(item.trial)].status != "failed") {
      out.push_back(item);
    }
  }
  ready_.clear();
  return out;
}

void Schedule::Complete(const WorkItem& item, const ItemResult& result) {
  TrialState& st = state_[static_cast<size_t>(item.trial)];
  if (st.status != "pending" || item.epochs != RungEpochs(st, st.rung)) {
    return;  // a failed trial's other seeds, or a duplicate
  }
  const size_t s = static_cast<size_t>(item.seed_index);
  const double seconds = st.seeds[s].train_seconds + result.train_seconds;
  st.seeds[s] = result;
  st.seeds[s].train_seconds = seconds;
  st.done[s] = true;
  if (!result.ok) {
    st.status = "failed";
    st.error = result.error;
    st.epochs_done = 0;
  } else if (std::all_of(st.done.begin(), st.done.end(),
                         [](bool d) { return d; })) {
    st.epochs_done = item.epochs;
    if (item.final) st.status = "ok";
  }
  MaybeCloseRung();
}

// When every compared trial has finished the open rung, the best 1/eta go
// on to the next one and the others stop there.
void Schedule::MaybeCloseRung() {
  const int last = static_cast<int>(rungs_.size()) - 1;
  while (open_rung_ < last) {
    std::vector<int> at_rung;
    for (size_t i = 0; i < state_.size(); ++i) {
      const TrialState& st = state_[i];
      if (st.mark || st.status != "pending") continue;
      if (st.rung != open_rung_) continue;
      if (st.epochs_done != RungEpochs(st, open_rung_)) return;
      at_rung.push_back(static_cast<int>(i));
    }
    auto score = [&](int i) {
      double sum = 0;
      for (const ItemResult& r : state_[static_cast<size_t>(i)].seeds) {
        sum += r.best_val_fp32;
      }
      return sum / seeds_;
    };
    std::stable_sort(at_rung.begin(), at_rung.end(),
                     [&](int a, int b) { return score(a) > score(b); });
    const size_t keep =
        at_rung.empty()
            ? 0
            : std::max<size_t>(1, (at_rung.size() + eta_ - 1) / eta_);
    for (size_t k = 0; k < at_rung.size(); ++k) {
      if (k < keep) {
        Enqueue(at_rung[k], open_rung_ + 1);
      } else {
        state_[static_cast<size_t>(at_rung[k])].status = "stopped";
      }
    }
    ++open_rung_;
  }
}

bool Schedule::Finished() const {
  return ready_.empty() &&
         std::none_of(state_.begin(), state_.end(), [](const TrialState& st) {
           return st.status == "pending";
         });
}

std::vector<TrialResult> Schedule::Results(
    const std::vector<PlannedTrial>& trials,
    const std::vector<int64_t>& seeds) const {
  std::vector<TrialResult> out;
  for (size_t i = 0; i < state_.size(); ++i) {
    const TrialState& st = state_[i];
    TrialResult r;
    r.id = trials[i].id;
    r.mark = trials[i].mark;
    r.mark_config = trials[i].mark_config;
    r.overrides = trials[i].overrides;
    r.status = st.status;
    r.error = st.error;
    r.epochs = st.epochs_done;
    r.seeds = seeds;
    const bool measured = st.status == "ok" || st.status == "stopped";
    for (const ItemResult& s : st.seeds) {
      r.train_seconds += s.train_seconds;
      if (s.rank >= 0) r.rank = s.rank;
      if (!measured) continue;
      r.val_accuracies.push_back(st.status == "ok" ? s.val_int8
                                                   : s.best_val_fp32);
      if (st.status == "ok") r.test_accuracies.push_back(s.test_int8);
    }
    auto mean = [](const std::vector<double>& v) {
      return v.empty() ? kNaN
                       : std::accumulate(v.begin(), v.end(), 0.0) / v.size();
    };
    r.val_accuracy = mean(r.val_accuracies);
    r.test_accuracy = mean(r.test_accuracies);
    if (st.status == "ok") {
      r.model_bytes = st.seeds[0].model_bytes;
      r.macs = st.seeds[0].macs;
      r.parameters = st.seeds[0].parameters;
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace tinykws::sweep
