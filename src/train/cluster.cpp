#include "train/cluster.hpp"

#include <torch/torch.h>

#include <cstdlib>
#include <mutex>
#include <thread>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

namespace tinykws::train {

namespace {

// c10d reports everything by exception; tinykws by Status.
template <typename F>
Status Guard(const char* what, F&& f) {
  try {
    f();
    return Status::Ok();
  } catch (const std::exception& e) {
    std::string message = e.what();
    const size_t newline = message.find('\n');
    if (newline != std::string::npos) message.resize(newline);
    return IoError(std::string(what) + ": " + message);
  }
}

StatusOr<int> IntVariable(const char* name, int lo, int hi) {
  const char* text = std::getenv(name);
  char* end = nullptr;
  const long v = std::strtol(text, &end, 10);
  if (*text == '\0' || *end != '\0' || v < lo || v > hi) {
    return InvalidArgument(std::string(name) + "=" + text + ": expected " +
                           std::to_string(lo) + ".." + std::to_string(hi));
  }
  return static_cast<int>(v);
}

}  // namespace

StatusOr<ClusterEnv> ClusterFromEnvironment() {
  const char* names[] = {"MASTER_ADDR", "MASTER_PORT", "RANK", "WORLD_SIZE"};
  int set = 0;
  for (const char* n : names) set += std::getenv(n) != nullptr;
  ClusterEnv env;
  if (set == 0) return env;
  if (set != 4) {
    std::string missing;
    for (const char* n : names) {
      if (std::getenv(n) == nullptr) missing += std::string(" ") + n;
    }
    return InvalidArgument("multi-process environment is incomplete: missing" +
                           missing);
  }
  StatusOr<int> world = IntVariable("WORLD_SIZE", 1, 4096);
  if (!world.ok()) return world.status();
  StatusOr<int> rank = IntVariable("RANK", 0, *world - 1);
  if (!rank.ok()) return rank.status();
  StatusOr<int> port = IntVariable("MASTER_PORT", 1, 65535);
  if (!port.ok()) return port.status();
  env.world_size = *world;
  env.rank = *rank;
  env.master_port = *port;
  env.master_addr = std::getenv("MASTER_ADDR");
  env.from_environment = true;
  return env;
}

struct Store::Impl {
  c10::intrusive_ptr<c10d::TCPStore> store;
  std::mutex mutex;  // one client connection, several threads
};

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

StatusOr<std::unique_ptr<Store>> Store::Connect(
    const ClusterEnv& env, std::chrono::milliseconds timeout) {
  auto impl = std::make_unique<Impl>();
  c10d::TCPStoreOptions options;
  options.port = static_cast<uint16_t>(env.master_port);
  options.isServer = env.rank == 0;
  options.numWorkers = env.world_size;
  options.waitWorkers = false;
  options.timeout = timeout;
  const Status s = Guard("cannot reach the store", [&] {
    impl->store = c10::make_intrusive<c10d::TCPStore>(
        env.rank == 0 ? std::string("0.0.0.0") : env.master_addr, options);
  });
  if (!s.ok()) {
    return IoError(s.message() + " (" + env.master_addr + ":" +
                   std::to_string(env.master_port) + ", rank " +
                   std::to_string(env.rank) + ")");
  }
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

int Store::port() const { return impl_->store->getPort(); }

Status Store::Set(const std::string& key, const std::string& value) {
  return Guard("store set", [&] {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->store->set(key, std::vector<uint8_t>(value.begin(), value.end()));
  });
}

StatusOr<std::string> Store::Get(const std::string& key) {
  std::vector<uint8_t> bytes;
  const Status s = Guard("store get", [&] {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    bytes = impl_->store->get(key);
  });
  if (!s.ok()) return s;
  return std::string(bytes.begin(), bytes.end());
}

StatusOr<bool> Store::Exists(const std::string& key) {
  bool exists = false;
  const Status s = Guard("store check", [&] {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    exists = impl_->store->check({key});
  });
  if (!s.ok()) return s;
  return exists;
}

Status Store::Delete(const std::string& key) {
  return Guard("store delete", [&] {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->store->deleteKey(key);
  });
}

StatusOr<int64_t> Store::Add(const std::string& key, int64_t delta) {
  int64_t value = 0;
  const Status s = Guard("store add", [&] {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    value = impl_->store->add(key, delta);
  });
  if (!s.ok()) return s;
  return value;
}

struct ProcessGroup::Impl {
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
};

ProcessGroup::ProcessGroup(std::unique_ptr<Impl> impl, int rank, int world_size)
    : impl_(std::move(impl)), rank_(rank), world_size_(world_size) {}
ProcessGroup::~ProcessGroup() = default;

StatusOr<std::unique_ptr<ProcessGroup>> ProcessGroup::Create(
    Store& store, const ClusterEnv& env, std::chrono::milliseconds timeout) {
  auto impl = std::make_unique<Impl>();
  const Status s = Guard("cannot start the process group", [&] {
    auto options = c10d::ProcessGroupGloo::Options::create();
    options->timeout = timeout;
    // The interface other ranks reach this one at, chosen as PyTorch
    // does: GLOO_SOCKET_IFNAME if set, loopback for a one-machine run, else
    // the address of this machine's hostname.
    const char* ifname = std::getenv("GLOO_SOCKET_IFNAME");
    const bool local =
        env.master_addr.rfind("127.", 0) == 0 || env.master_addr == "localhost";
    options->devices.push_back(
        ifname != nullptr && *ifname != '\0'
            ? c10d::ProcessGroupGloo::createDeviceForInterface(ifname)
        : local ? c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")
                : c10d::ProcessGroupGloo::createDefaultDevice());
    auto prefixed = c10::make_intrusive<c10d::PrefixStore>(
        "pg/", c10::intrusive_ptr<c10d::Store>(store.impl()->store));
    impl->group = c10::make_intrusive<c10d::ProcessGroupGloo>(
        prefixed, env.rank, env.world_size, options);
  });
  if (!s.ok()) return s;
  return std::unique_ptr<ProcessGroup>(
      new ProcessGroup(std::move(impl), env.rank, env.world_size));
}

namespace {

Status Reduce(c10d::ProcessGroupGloo& group, torch::Tensor t) {
  return Guard("allreduce (a process stopped?)", [&] {
    std::vector<torch::Tensor> tensors = {t};
    group.allreduce(tensors)->wait();
  });
}

}  // namespace

Status ProcessGroup::AllReduceSum(float* data, size_t count) {
  return Reduce(
      *impl_->group,
      torch::from_blob(data, {static_cast<int64_t>(count)}, torch::kFloat32));
}

Status ProcessGroup::AllReduceSum(double* data, size_t count) {
  return Reduce(
      *impl_->group,
      torch::from_blob(data, {static_cast<int64_t>(count)}, torch::kFloat64));
}

Status ProcessGroup::Broadcast(float* data, size_t count, int root) {
  return Guard("broadcast (a process stopped?)", [&] {
    std::vector<torch::Tensor> tensors = {
        torch::from_blob(data, {static_cast<int64_t>(count)}, torch::kFloat32)};
    c10d::BroadcastOptions options;
    options.rootRank = root;
    impl_->group->broadcast(tensors, options)->wait();
  });
}

Status ProcessGroup::Broadcast(std::string* bytes, int root) {
  int64_t size = static_cast<int64_t>(bytes->size());
  Status s = Guard("broadcast (a process stopped?)", [&] {
    std::vector<torch::Tensor> sizes = {
        torch::from_blob(&size, {1}, torch::kInt64)};
    c10d::BroadcastOptions options;
    options.rootRank = root;
    impl_->group->broadcast(sizes, options)->wait();
    bytes->resize(static_cast<size_t>(size));
    if (size == 0) return;
    std::vector<torch::Tensor> data = {
        torch::from_blob(&(*bytes)[0], {size}, torch::kUInt8)};
    impl_->group->broadcast(data, options)->wait();
  });
  return s;
}

}  // namespace tinykws::train
