// The processes of a multi-process run, on LibTorch's distributed engine
// (c10d): a TCPStore (key-value store hosted by rank 0) and a Gloo process
// group (allreduce, broadcast). Processes find each other through the usual
// environment, as torchrun, Slurm or mpirun wrappers set it:
//   MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE.
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
};

// All four variables, or none (one process). A partial or invalid set is an
// error naming the variable.
StatusOr<ClusterEnv> ClusterFromEnvironment();

class Store {
 public:
  // Rank 0 hosts the store on master_port (0: a free one), the others
  // connect to master_addr:master_port, retrying until `timeout`.
  static StatusOr<std::unique_ptr<Store>> Connect(
      const ClusterEnv& env, std::chrono::milliseconds timeout);
  ~Store();

  int port() const;
  Status Set(const std::string& key, const std::string& value);
  // Thread-safe. Get waits (up to the store's timeout) until the key
  // exists, holding the connection: call it for keys known to exist.
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
