// The processes of a multi-process run: a key-value store hosted by rank 0
// (sweep/kv_store.hpp: bound to one address, clients authenticated by a
// shared secret) and LibTorch's Gloo process group (allreduce, broadcast)
// on top of it. Processes find each other through the usual environment,
// as torchrun, Slurm or mpirun wrappers set it:
//   MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE
// and share a secret from --token-file, TINYKWS_TOKEN_FILE or TINYKWS_TOKEN
// (required unless MASTER_ADDR is a loopback address; docs/sweep.md).
// This header has no LibTorch types, so sweep code can stay torch-free.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "tinykws/status.hpp"

namespace tinykws::train {

struct ClusterEnv {
  int rank = 0;
  int world_size = 1;
  std::string master_addr = "127.0.0.1";
  int master_port = 0;  // rank 0 with port 0: any free port
  bool from_environment = false;
  // Signs store messages and admits connections ("": loopback only).
  std::string secret;
};

// All four variables, or none (one process). A partial or invalid set is an
// error naming the variable. `token_file`: --token-file ("": from the
// environment, if there).
StatusOr<ClusterEnv> ClusterFromEnvironment(const std::string& token_file = "");

class Store {
 public:
  // Rank 0 hosts the store on master_addr:master_port (0: a free port; a
  // non-loopback address needs env.secret), the others connect to it,
  // retrying until `timeout`.
  static StatusOr<std::unique_ptr<Store>> Connect(
      const ClusterEnv& env, std::chrono::milliseconds timeout);
  ~Store();

  int port() const;
  // Rank 0: the address the store listens on, numeric ("127.0.0.1").
  std::string listen_address() const;
  const std::string& secret() const;
  // Thread-safe. Get: NotFound when the key is absent.
  Status Set(const std::string& key, const std::string& value);
  StatusOr<std::string> Get(const std::string& key);
  StatusOr<bool> Exists(const std::string& key);
  Status Delete(const std::string& key);  // absent keys are not an error
  // Atomic: adds delta and returns the new value (0 + delta if new).
  StatusOr<int64_t> Add(const std::string& key, int64_t delta);

  struct Impl;
  Impl* impl() { return impl_.get(); }

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class ProcessGroup {
 public:
  // Every rank calls this with the same store; returns when all have.
  static StatusOr<std::unique_ptr<ProcessGroup>> Create(
      Store& store, const ClusterEnv& env, std::chrono::milliseconds timeout);
  ~ProcessGroup();

  int rank() const { return rank_; }
  int world_size() const { return world_size_; }
  // In place: the sum over all ranks.
  Status AllReduceSum(float* data, size_t count);
  Status AllReduceSum(double* data, size_t count);
  // In place: root's values everywhere.
  Status Broadcast(float* data, size_t count, int root);
  Status Broadcast(std::string* bytes, int root);

 private:
  struct Impl;
  ProcessGroup(std::unique_ptr<Impl> impl, int rank, int world_size);
  std::unique_ptr<Impl> impl_;
  int rank_, world_size_;
};

}  // namespace tinykws::train
