// Rank 0's side of a sweep (sweep_runner.cpp): hands out the schedule's
// items through the store, checks and keeps each result, and re-publishes
// the items of silent processes and of refused results. Internal to
// src/train.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <thread>
#include <vector>

#include "sweep/plan.hpp"
#include "sweep/run_files.hpp"
#include "sweep/work_codec.hpp"
#include "train/cluster.hpp"
#include "train/sweep_item.hpp"
#include "train/sweep_output.hpp"

namespace tinykws::train {

class Coordinator {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr auto kPoll = std::chrono::milliseconds(100);

  Coordinator(Store& store, const SweepOptions& o, SweepFolder& folder,
              const std::vector<sweep::PlannedTrial>& trials,
              const std::vector<int64_t>& seeds, sweep::Schedule& schedule,
              const std::atomic<bool>& worker_failed)
      : worker_failed_(worker_failed),
        store_(store),
        o_(o),
        folder_(folder),
        trials_(trials),
        seeds_(seeds),
        schedule_(schedule) {}

  Status Run() {
    while (!schedule_.Finished() || !pending_.empty()) {
      // Rank 0's own worker stopped (its store connection failed): its item
      // would wait forever behind rank 0's heartbeat.
      if (worker_failed_) return IoError("rank 0's worker stopped");
      for (const sweep::WorkItem& item : schedule_.TakeReady()) {
        TINYKWS_RETURN_IF_ERROR(Start(item, 1));
      }
      TINYKWS_RETURN_IF_ERROR(Collect());
      TINYKWS_RETURN_IF_ERROR(Reassign());
      if (!pending_.empty()) std::this_thread::sleep_for(kPoll);
    }
    return Status::Ok();
  }

 private:
  struct Pending {
    sweep::WorkItem item;
    int attempt = 1;
    sweep::ItemMessage message;  // as published, without config and files
    Clock::time_point published;
    // When the coordinator first saw its ticket drawn but the item not yet
    // taken (a worker is between the two steps, or died there).
    std::optional<Clock::time_point> drawn_seen;
  };

  // An item already done in an earlier session completes from disk;
  // others are published.
  Status Start(const sweep::WorkItem& item, int attempt) {
    const sweep::PlannedTrial& trial = trials_[static_cast<size_t>(item.trial)];
    StatusOr<sweep::ItemResult> kept = folder_.KeptResult(trial.id, item);
    if (kept.ok()) {
      schedule_.Complete(item, *kept);
      return Status::Ok();
    }
    sweep::ItemMessage m;
    m.index = next_index_++;
    m.item = item;
    m.trial_id = trial.id;
    m.seed = seeds_[static_cast<size_t>(item.seed_index)];
    m.config_toml = trial.config_toml;
    m.attempt = attempt;
    if (item.epochs > schedule_.rungs().front() && !trial.mark) {
      StatusOr<std::string> run = folder_.RunFiles(trial.id, item.seed_index);
      if (!run.ok()) return run.status();
      m.run_files = std::move(*run);
    }
    TINYKWS_RETURN_IF_ERROR(store_.Set(sweep::keys::Item(m.index),
                                       sweep::Encode(m, store_.secret())));
    Pending p;
    p.item = item;
    p.attempt = attempt;
    m.run_files.clear();
    m.config_toml.clear();
    const int index = m.index;
    p.message = std::move(m);
    p.published = Clock::now();
    pending_[index] = std::move(p);
    return Status::Ok();
  }

  Status Collect() {
    for (auto it = pending_.begin(); it != pending_.end();) {
      StatusOr<bool> ready = store_.Exists(sweep::keys::Result(it->first));
      if (!ready.ok()) return ready.status();
      if (!*ready) {
        ++it;
        continue;
      }
      StatusOr<std::string> bytes = store_.Get(sweep::keys::Result(it->first));
      if (!bytes.ok()) return bytes.status();
      sweep::ResultMessage r;
      Status valid = sweep::Decode(*bytes, store_.secret(), it->first, &r);
      if (valid.ok()) valid = sweep::Answers(it->second.message, r);
      if (valid.ok()) {
        valid = sweep::CheckPackedFiles(
            r.run_files,
            {std::begin(kRunFilesToMove), std::end(kRunFilesToMove)});
      }
      if (!valid.ok()) {
        // Never trusted, never fatal: dropped, and the item runs again.
        std::fprintf(stderr, "ignored result %d: %s\n", it->first,
                     valid.message().c_str());
        TINYKWS_RETURN_IF_ERROR(store_.Delete(sweep::keys::Result(it->first)));
        refused_.push_back(it->first);
        ++it;
        continue;
      }
      const sweep::WorkItem item = it->second.item;
      const std::string& id = trials_[static_cast<size_t>(item.trial)].id;
      TINYKWS_RETURN_IF_ERROR(folder_.Keep(id, item, r));
      schedule_.Complete(item, r.result);
      ++completed_;
      if (!o_.quiet) {
        char outcome[64];
        std::snprintf(outcome, sizeof outcome, "%s %.4f",
                      item.final ? "int8 validation" : "fp32 validation",
                      item.final ? r.result.val_int8 : r.result.best_val_fp32);
        std::fprintf(stderr,
                     "[%d] %s seed %d, %d epochs: %s (rank %d, %.1f s)\n",
                     completed_, id.c_str(), item.seed_index, item.epochs,
                     r.result.ok ? outcome : r.result.error.c_str(),
                     r.result.rank, r.result.train_seconds);
      }
      TINYKWS_RETURN_IF_ERROR(
          folder_.WriteProgress(schedule_, trials_, seeds_));
      // Stored on disk now: the store (rank 0's memory) need not keep the
      // run files of every item of the sweep.
      TINYKWS_RETURN_IF_ERROR(store_.Delete(sweep::keys::Result(it->first)));
      TINYKWS_RETURN_IF_ERROR(store_.Delete(sweep::keys::Item(it->first)));
      it = pending_.erase(it);
    }
    return Status::Ok();
  }

  // An item taken by a process whose heartbeat stopped, or whose ticket
  // was drawn but never taken, is published again.
  Status Reassign() {
    const auto timeout = std::chrono::duration<double>(o_.worker_timeout_s);
    StatusOr<int64_t> tickets = store_.Add(sweep::keys::kTicket, 0);
    if (!tickets.ok()) return tickets.status();
    std::vector<int> lost;
    lost.swap(refused_);
    const Clock::time_point now = Clock::now();
    for (auto& [index, p] : pending_) {
      if (std::find(lost.begin(), lost.end(), index) != lost.end()) continue;
      StatusOr<bool> taken = store_.Exists(sweep::keys::Taken(index));
      if (!taken.ok()) return taken.status();
      std::optional<int> rank;
      if (*taken) {
        StatusOr<std::string> value = store_.Get(sweep::keys::Taken(index));
        if (!value.ok()) return value.status();
        rank = sweep::TakenRank(*value);  // anything else: not taken
      }
      if (!rank) {
        if (*tickets > index) {
          if (!p.drawn_seen) {
            p.drawn_seen = now;
          } else if (now - *p.drawn_seen > timeout) {
            lost.push_back(index);
          }
        }
        continue;
      }
      // A heartbeat counter that is not a number reads as silence.
      StatusOr<int64_t> beats = store_.Add(sweep::keys::Alive(*rank), 0);
      if (!beats.ok()) beats = int64_t{-1};
      // The clock starts when the coordinator first sees the rank.
      auto& seen = alive_.try_emplace(*rank, *beats, now).first->second;
      if (seen.first != *beats) seen = {*beats, now};
      if (now - seen.second > timeout) lost.push_back(index);
    }
    for (int index : lost) {
      const Pending p = pending_[index];
      pending_.erase(index);
      if (!o_.quiet) {
        std::fprintf(stderr,
                     "item %d (%s seed %d) lost its process; running "
                     "it again\n",
                     index,
                     trials_[static_cast<size_t>(p.item.trial)].id.c_str(),
                     p.item.seed_index);
      }
      TINYKWS_RETURN_IF_ERROR(Start(p.item, p.attempt + 1));
    }
    return Status::Ok();
  }

  const std::atomic<bool>& worker_failed_;
  std::vector<int> refused_;  // items whose result was refused
  Store& store_;
  const SweepOptions& o_;
  SweepFolder& folder_;
  const std::vector<sweep::PlannedTrial>& trials_;
  const std::vector<int64_t>& seeds_;
  sweep::Schedule& schedule_;
  std::map<int, Pending> pending_;
  std::map<int, std::pair<int64_t, Clock::time_point>> alive_;
  int next_index_ = 0;
  int completed_ = 0;
};

}  // namespace tinykws::train
