#include "train/cluster.hpp"

#include <torch/torch.h>

#include <cstdlib>
#include <mutex>
#include <thread>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>

#include "sweep/auth.hpp"
#include "sweep/kv_store.hpp"

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

// The store as c10d's interface, for Gloo's rendezvous: c10d reports
// failures by exception, and get/wait block until the keys exist.
class C10dStore : public c10d::Store {
 public:
  explicit C10dStore(sweep::KvClient& client) : client_(client) {}
  void set(const std::string& key, const std::vector<uint8_t>& value) override {
    Check(client_.Set(key, std::string(value.begin(), value.end())));
  }
  std::vector<uint8_t> compareSet(
      const std::string& key, const std::vector<uint8_t>& expected,
      const std::vector<uint8_t>& desired) override {
    StatusOr<std::string> v =
        client_.CompareSet(key, std::string(expected.begin(), expected.end()),
                           std::string(desired.begin(), desired.end()));
    Check(v.status());
    return std::vector<uint8_t>(v->begin(), v->end());
  }
  std::vector<uint8_t> get(const std::string& key) override {
    wait({key});
    StatusOr<std::string> v = client_.Get(key);
    Check(v.status());
    return std::vector<uint8_t>(v->begin(), v->end());
  }
  int64_t add(const std::string& key, int64_t delta) override {
    StatusOr<int64_t> v = client_.Add(key, delta);
    Check(v.status());
    return *v;
  }
  bool deleteKey(const std::string& key) override {
    StatusOr<bool> v = client_.Delete(key);
    Check(v.status());
    return *v;
  }
  bool check(const std::vector<std::string>& keys) override {
    for (const std::string& key : keys) {
      StatusOr<bool> v = client_.Exists(key);
      Check(v.status());
      if (!*v) return false;
    }
    return true;
  }
  int64_t getNumKeys() override {
    StatusOr<int64_t> v = client_.NumKeys();
    Check(v.status());
    return *v;
  }
  void wait(const std::vector<std::string>& keys) override {
    wait(keys, timeout_);
  }
  void wait(const std::vector<std::string>& keys,
            const std::chrono::milliseconds& timeout) override {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!check(keys)) {
      if (timeout != kNoTimeout &&
          std::chrono::steady_clock::now() > deadline) {
        throw std::runtime_error("store: timed out waiting for " + keys[0]);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

 private:
  static void Check(const Status& s) {
    if (!s.ok()) throw std::runtime_error(s.message());
  }
  sweep::KvClient& client_;
};

}  // namespace

StatusOr<ClusterEnv> ClusterFromEnvironment(const std::string& token_file) {
  const char* names[] = {"MASTER_ADDR", "MASTER_PORT", "RANK", "WORLD_SIZE"};
  int set = 0;
  for (const char* n : names) set += std::getenv(n) != nullptr;
  ClusterEnv env;
  // One process reads only a --token-file it was given (a one-machine
  // sweep's processes then share it); the environment's token is for
  // processes started with the multi-process environment.
  if (set != 0 || !token_file.empty()) {
    StatusOr<std::string> secret =
        sweep::SecretFromFlagOrEnvironment(token_file);
    if (!secret.ok()) return secret.status();
    env.secret = std::move(*secret);
  }
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
  if (env.secret.empty() && !sweep::IsLoopbackHost(env.master_addr)) {
    return InvalidArgument(
        "MASTER_ADDR=" + env.master_addr +
        " is not a loopback address: processes on several machines need a "
        "shared secret (--token-file FILE, or " +
        sweep::kTokenFileVariable + "; docs/sweep.md)");
  }
  return env;
}

struct Store::Impl {
  std::unique_ptr<sweep::KvServer> server;  // rank 0
  std::unique_ptr<sweep::KvClient> client;
  c10::intrusive_ptr<C10dStore> c10d;
  std::string secret;
};

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

StatusOr<std::unique_ptr<Store>> Store::Connect(
    const ClusterEnv& env, std::chrono::milliseconds timeout) {
  auto impl = std::make_unique<Impl>();
  impl->secret = env.secret;
  std::string host = env.master_addr;
  int port = env.master_port;
  if (env.rank == 0) {
    // The one address given, never every interface.
    StatusOr<std::unique_ptr<sweep::KvServer>> server =
        sweep::KvServer::Start(env.master_addr, env.master_port, env.secret);
    if (!server.ok()) return server.status();
    impl->server = std::move(*server);
    host = impl->server->bound_address();
    port = impl->server->port();
  }
  StatusOr<std::unique_ptr<sweep::KvClient>> client =
      sweep::KvClient::Connect(host, port, env.secret, timeout.count());
  if (!client.ok()) {
    return client.status().WithPrefix("rank " + std::to_string(env.rank));
  }
  impl->client = std::move(*client);
  impl->c10d = c10::make_intrusive<C10dStore>(*impl->client);
  impl->c10d->setTimeout(timeout);
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

int Store::port() const { return impl_->server ? impl_->server->port() : 0; }

std::string Store::listen_address() const {
  return impl_->server ? impl_->server->bound_address() : "";
}

const std::string& Store::secret() const { return impl_->secret; }

Status Store::Set(const std::string& key, const std::string& value) {
  return impl_->client->Set(key, value);
}

StatusOr<std::string> Store::Get(const std::string& key) {
  return impl_->client->Get(key);
}

StatusOr<bool> Store::Exists(const std::string& key) {
  return impl_->client->Exists(key);
}

Status Store::Delete(const std::string& key) {
  return impl_->client->Delete(key).status();
}

StatusOr<int64_t> Store::Add(const std::string& key, int64_t delta) {
  return impl_->client->Add(key, delta);
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
    const bool local = sweep::IsLoopbackHost(env.master_addr);
    options->devices.push_back(
        ifname != nullptr && *ifname != '\0'
            ? c10d::ProcessGroupGloo::createDeviceForInterface(ifname)
        : local ? c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")
                : c10d::ProcessGroupGloo::createDefaultDevice());
    auto prefixed = c10::make_intrusive<c10d::PrefixStore>(
        "pg/", c10::intrusive_ptr<c10d::Store>(store.impl()->c10d));
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
