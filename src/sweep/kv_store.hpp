// The key-value store the processes of a sweep or a data-parallel run share
// (rank 0 serves it; docs/sweep.md). Written here rather than taken from
// c10d because c10d's TCPStore (LibTorch 1.13) listens on every interface
// and has no authentication: this one binds the one address it is given
// and admits a connection only after it proves it knows the shared secret
// (HMAC-SHA256 of a fresh challenge). Torch-free, so it is unit-tested and
// fuzzed on its own.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tinykws/status.hpp"

namespace tinykws::sweep {

inline constexpr size_t kMaxStoreKeyBytes = 4096;
inline constexpr size_t kMaxStoreValueBytes = size_t{256} << 20;
// Connections at once (well below the usual 1024 descriptors of a
// process), and of those still in the handshake: unauthenticated peers
// can hold at most these few, for kHandshakeSeconds in total each.
inline constexpr int kMaxStoreConnections = 256;
inline constexpr int kMaxPendingHandshakes = 32;
inline constexpr int kHandshakeSeconds = 10;

// Bytes in and out of one connection (a socket, or memory in the fuzzer).
class Channel {
 public:
  virtual ~Channel() = default;
  virtual bool ReadExact(void* data, size_t size) = 0;
  virtual bool WriteAll(const void* data, size_t size) = 0;
  // The client proved it knows the secret.
  virtual void OnAdmitted() {}
};

// The store's content; thread-safe.
class KvState {
 public:
  enum Op : uint8_t {
    kSet = 1,
    kGet = 2,
    kAdd = 3,
    kCheck = 4,
    kDelete = 5,
    kNumKeys = 6,
    kCompareSet = 7
  };
  enum Reply : uint8_t { kOk = 0, kAbsent = 1, kBadRequest = 2 };
  // Applies one request; the reply's status and payload.
  Reply Apply(uint8_t op, const std::string& key, const std::string& value,
              std::string* payload);

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> entries_;
};

// Serves one connection until it closes or misbehaves: the challenge (with
// `nonce`), then requests. A wrong proof or an oversized frame ends the
// connection, a request the store cannot apply is refused; nothing a
// client sends can crash the server.
void ServeConnection(Channel& channel, KvState& state,
                     const std::string& secret, const std::string& nonce);

// True when every address `host` resolves to is a loopback address.
bool IsLoopbackHost(const std::string& host);

class KvServer {
 public:
  // Binds host:port (port 0: a free one) and serves in background threads.
  static StatusOr<std::unique_ptr<KvServer>> Start(const std::string& host,
                                                   int port,
                                                   const std::string& secret);
  ~KvServer();
  int port() const { return port_; }
  // The address actually bound, numeric ("127.0.0.1").
  const std::string& bound_address() const { return bound_address_; }

 private:
  KvServer() = default;
  void AcceptLoop();

  int listen_fd_ = -1;
  int port_ = 0;
  std::string bound_address_;
  std::string secret_;
  KvState state_;
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;
  std::mutex connections_mutex_;
  std::vector<int> connection_fds_;
  std::vector<std::thread> connection_threads_;
};

class KvClient {
 public:
  // Connects (retrying until `timeout_ms`, the server may start later) and
  // answers the challenge.
  static StatusOr<std::unique_ptr<KvClient>> Connect(const std::string& host,
                                                     int port,
                                                     const std::string& secret,
                                                     int64_t timeout_ms);
  ~KvClient();

  Status Set(const std::string& key, const std::string& value);
  // NotFound when the key is absent.
  StatusOr<std::string> Get(const std::string& key);
  StatusOr<bool> Exists(const std::string& key);
  StatusOr<bool> Delete(const std::string& key);
  StatusOr<int64_t> Add(const std::string& key, int64_t delta);
  StatusOr<int64_t> NumKeys();
  // Sets `desired` if the value is `expected` (absent counts as ""); the
  // value afterwards.
  StatusOr<std::string> CompareSet(const std::string& key,
                                   const std::string& expected,
                                   const std::string& desired);

 private:
  explicit KvClient(int fd) : fd_(fd) {}
  void Break();  // after a framing error: every later call fails
  StatusOr<std::pair<uint8_t, std::string>> Call(uint8_t op,
                                                 const std::string& key,
                                                 const std::string& value);
  int fd_;
  std::mutex mutex_;  // one request at a time
};

}  // namespace tinykws::sweep
