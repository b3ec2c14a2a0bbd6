// A sweep worker against a store on 127.0.0.1 that holds forged items:
// ids of "../" and NUL, an item signed with another token. The worker
// skips them all, and nothing outside its scratch folder changes.
#include "train/sweep_worker.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sweep/work_codec.hpp"
#include "train/cluster.hpp"

namespace tinykws::train {
namespace {

namespace fs = std::filesystem;

sweep::ItemMessage Item(int index, const std::string& id) {
  sweep::ItemMessage m;
  m.index = index;
  m.item.trial = 0;
  m.item.seed_index = 0;
  m.item.epochs = 1;
  m.trial_id = id;
  m.config_toml = "not a config";
  return m;
}

TEST(SweepWorker, ForgedItemsChangeNothingOutsideTheScratchFolder) {
  const fs::path root = fs::temp_directory_path() /
                        ("tinykws_forged_" + std::to_string(getpid()));
  fs::remove_all(root);
  const fs::path scratch = root / "sweep/work/rank0";
  const fs::path victim = root / "X";
  fs::create_directories(scratch);
  fs::create_directories(victim / "seed0");
  std::ofstream(victim / "keep.txt") << "precious";
  std::ofstream(victim / "seed0/keep.txt") << "precious";

  ClusterEnv env;  // rank 0 of 1, on loopback
  env.secret = "0123456789abcdef0123456789abcdef";
  StatusOr<std::unique_ptr<Store>> store =
      Store::Connect(env, std::chrono::seconds(10));
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ((*store)->listen_address(), "127.0.0.1");
  Store& s = **store;
  namespace keys = sweep::keys;
  // What a worker would join into its scratch path: ../../../X reaches the
  // victim from scratch/<id>/seed0.
  ASSERT_TRUE(
      s.Set(keys::Item(0), sweep::Encode(Item(0, "../../../X"), s.secret()))
          .ok());
  ASSERT_TRUE(s.Set(keys::Item(1),
                    sweep::Encode(
                        Item(1, (victim / "").string() + std::string("\0", 1)),
                        s.secret()))
                  .ok());
  ASSERT_TRUE(
      s.Set(keys::Item(2),
            sweep::Encode(Item(2, "t000"), "a forger's token, 32 bytes...."))
          .ok());
  ASSERT_TRUE(s.Set(keys::Item(3), "not a message at all").ok());
  ASSERT_TRUE(s.Set(keys::kDone, "1").ok());

  ItemContext context;
  context.scratch_dir = scratch.string();
  context.data_dir = (root / "no_data").string();
  const Status worked = RunSweepWorker(s, context);
  EXPECT_TRUE(worked.ok()) << worked.message();  // skipped, not fatal
  for (int i = 0; i < 4; ++i) {
    EXPECT_FALSE(*s.Exists(keys::Taken(i))) << i;
    EXPECT_FALSE(*s.Exists(keys::Result(i))) << i;
  }
  EXPECT_TRUE(fs::exists(victim / "keep.txt"));
  EXPECT_TRUE(fs::exists(victim / "seed0/keep.txt"));
  EXPECT_FALSE(fs::exists(victim / "seed0.toml"));
  size_t entries = 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    (void)e;
    ++entries;
  }
  // root/{sweep, sweep/work, sweep/work/rank0, X, X/keep.txt, X/seed0,
  // X/seed0/keep.txt}: nothing was written anywhere.
  EXPECT_EQ(entries, 7u);
  fs::remove_all(root);
}

TEST(SweepWorker, ANonLoopbackAddressNeedsAToken) {
  setenv("MASTER_ADDR", "192.0.2.1", 1);
  setenv("MASTER_PORT", "29555", 1);
  setenv("RANK", "1", 1);
  setenv("WORLD_SIZE", "2", 1);
  unsetenv("TINYKWS_TOKEN");
  unsetenv("TINYKWS_TOKEN_FILE");
  StatusOr<ClusterEnv> env = ClusterFromEnvironment();
  ASSERT_FALSE(env.ok());
  EXPECT_NE(env.status().message().find("not a loopback address"),
            std::string::npos);
  setenv("TINYKWS_TOKEN", "0123456789abcdef0123456789abcdef", 1);
  env = ClusterFromEnvironment();
  EXPECT_TRUE(env.ok()) << env.status().message();
  setenv("MASTER_ADDR", "127.0.0.1", 1);
  unsetenv("TINYKWS_TOKEN");
  EXPECT_TRUE(ClusterFromEnvironment().ok());  // loopback: allowed
  for (const char* v : {"MASTER_ADDR", "MASTER_PORT", "RANK", "WORLD_SIZE"}) {
    unsetenv(v);
  }
}

TEST(SweepWorker, AStoreRefusesAProcessWithAnotherToken) {
  ClusterEnv env;
  env.secret = "0123456789abcdef0123456789abcdef";
  StatusOr<std::unique_ptr<Store>> store =
      Store::Connect(env, std::chrono::seconds(10));
  ASSERT_TRUE(store.ok()) << store.status().message();
  ClusterEnv other = env;
  other.rank = 1;
  other.world_size = 2;
  other.master_port = (*store)->port();
  other.secret = "fedcba9876543210fedcba9876543210";
  StatusOr<std::unique_ptr<Store>> refused =
      Store::Connect(other, std::chrono::seconds(2));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("refused this process's token"),
            std::string::npos);
  other.secret = env.secret;
  EXPECT_TRUE(Store::Connect(other, std::chrono::seconds(2)).ok());
}

}  // namespace
}  // namespace tinykws::train
