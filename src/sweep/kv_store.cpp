#include "sweep/kv_store.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <system_error>

#include "sweep/auth.hpp"
#include "sweep/kv_wire.hpp"

namespace tinykws::sweep {

namespace {

using namespace wire;

void SetReceiveTimeout(int fd, std::chrono::microseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000000);
  tv.tv_usec = static_cast<suseconds_t>(timeout.count() % 1000000);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

// A peer that vanishes (a machine lost) is noticed within about a minute
// instead of a recv waiting forever: keepalive probes on an idle
// connection, a limit on unacknowledged data.
void DetectDeadPeers(int fd) {
  const int on = 1, idle = 30, interval = 10, count = 3;
  const unsigned int unacked_ms = 60000;
  setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
  setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &unacked_ms, sizeof unacked_ms);
}

class SocketChannel : public Channel {
 public:
  explicit SocketChannel(int fd) : fd_(fd) {}
  bool ReadExact(void* data, size_t size) override {
    auto* p = static_cast<char*>(data);
    while (size > 0) {
      const ssize_t n = recv(fd_, p, size, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      p += n;
      size -= static_cast<size_t>(n);
    }
    return true;
  }
  bool WriteAll(const void* data, size_t size) override {
    const auto* p = static_cast<const char*>(data);
    while (size > 0) {
      const ssize_t n = send(fd_, p, size, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      p += n;
      size -= static_cast<size_t>(n);
    }
    return true;
  }

 protected:
  int fd() const { return fd_; }

 private:
  int fd_;
};

struct AddressList {
  addrinfo* head = nullptr;
  ~AddressList() {
    if (head != nullptr) freeaddrinfo(head);
  }
};

Status Resolve(const std::string& host, int port, int flags, AddressList* out) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | flags;
  const std::string service = std::to_string(port);
  const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &out->head);
  if (rc != 0) {
    return InvalidArgument(host + ": cannot resolve (" + gai_strerror(rc) +
                           ")");
  }
  return Status::Ok();
}

bool IsLoopback(const sockaddr* a) {
  if (a->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(a);
    return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
  }
  if (a->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(a);
    return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
  }
  return false;
}

}  // namespace

bool IsLoopbackHost(const std::string& host) {
  AddressList list;
  if (!Resolve(host, 0, 0, &list).ok()) return false;
  for (addrinfo* a = list.head; a != nullptr; a = a->ai_next) {
    if (!IsLoopback(a->ai_addr)) return false;
  }
  return list.head != nullptr;
}

StatusOr<std::unique_ptr<KvServer>> KvServer::Start(const std::string& host,
                                                    int port,
                                                    const std::string& secret) {
  AddressList list;
  TINYKWS_RETURN_IF_ERROR(Resolve(host, port, 0, &list));
  std::unique_ptr<KvServer> server(new KvServer);
  std::string error = "no address";
  for (addrinfo* a = list.head; a != nullptr; a = a->ai_next) {
    const int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, 128) == 0) {
      server->listen_fd_ = fd;
      break;
    }
    error = std::strerror(errno);
    close(fd);
  }
  if (server->listen_fd_ < 0) {
    return IoError("cannot listen on " + host + ":" + std::to_string(port) +
                   ": " + error);
  }
  sockaddr_storage bound{};
  socklen_t size = sizeof bound;
  getsockname(server->listen_fd_, reinterpret_cast<sockaddr*>(&bound), &size);
  char name[NI_MAXHOST], service[NI_MAXSERV];
  getnameinfo(reinterpret_cast<sockaddr*>(&bound), size, name, sizeof name,
              service, sizeof service, NI_NUMERICHOST | NI_NUMERICSERV);
  server->bound_address_ = name;
  server->port_ = std::atoi(service);
  server->secret_ = secret;
  server->accept_thread_ = std::thread([s = server.get()] { s->AcceptLoop(); });
  return server;
}

void KvServer::AcceptLoop() {
  struct Connection {
    int fd;
    std::thread thread;
    std::atomic<bool> admitted{false};
    std::atomic<bool> done{false};
  };
  std::vector<std::unique_ptr<Connection>> connections;
  auto reap = [&](bool all) {
    for (auto it = connections.begin(); it != connections.end();) {
      if (all) shutdown((*it)->fd, SHUT_RDWR);
      if (all || (*it)->done) {
        (*it)->thread.join();
        close((*it)->fd);
        it = connections.erase(it);
      } else {
        ++it;
      }
    }
  };
  while (!stopping_) {
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    reap(false);
    if (fd < 0) {
      if (stopping_) break;
      if (errno != EINTR && errno != ECONNABORTED) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      continue;
    }
    const auto pending =
        std::count_if(connections.begin(), connections.end(),
                      [](const auto& c) { return !c->admitted && !c->done; });
    StatusOr<std::string> nonce_hex = RandomToken();
    if (static_cast<int>(connections.size()) >= kMaxStoreConnections ||
        pending >= kMaxPendingHandshakes || !nonce_hex.ok()) {
      close(fd);
      continue;
    }
    DetectDeadPeers(fd);
    auto c = std::make_unique<Connection>();
    c->fd = fd;
    Connection* raw = c.get();
    try {
      c->thread = std::thread([this, raw, nonce = nonce_hex->substr(0, 32)] {
        // A client has kHandshakeSeconds in all to prove itself (not per
        // byte); admitted ones may then be idle for long (a worker
        // training an item).
        struct ServerChannel : SocketChannel {
          ServerChannel(int fd, std::atomic<bool>& admitted)
              : SocketChannel(fd),
                admitted_(admitted),
                deadline_(std::chrono::steady_clock::now() +
                          std::chrono::seconds(kHandshakeSeconds)) {}
          bool ReadExact(void* data, size_t size) override {
            if (!admitted_) {
              const auto left =
                  std::chrono::duration_cast<std::chrono::microseconds>(
                      deadline_ - std::chrono::steady_clock::now());
              if (left.count() <= 0) return false;
              SetReceiveTimeout(fd(), left);
            }
            return SocketChannel::ReadExact(data, size);
          }
          void OnAdmitted() override {
            SetReceiveTimeout(fd(), std::chrono::microseconds(0));
            admitted_ = true;
          }
          std::atomic<bool>& admitted_;
          std::chrono::steady_clock::time_point deadline_;
        } channel(raw->fd, raw->admitted);
        ServeConnection(channel, state_, secret_, nonce);
        shutdown(raw->fd, SHUT_RDWR);
        raw->done = true;
      });
    } catch (const std::system_error&) {  // no thread to be had: refused
      close(fd);
      continue;
    }
    connections.push_back(std::move(c));
  }
  reap(true);
}

KvServer::~KvServer() {
  stopping_ = true;
  if (listen_fd_ >= 0) shutdown(listen_fd_, SHUT_RDWR);
  if (accept_thread_.joinable()) accept_thread_.join();
  if (listen_fd_ >= 0) close(listen_fd_);
}

StatusOr<std::unique_ptr<KvClient>> KvClient::Connect(const std::string& host,
                                                      int port,
                                                      const std::string& secret,
                                                      int64_t timeout_ms) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  const std::string where = host + ":" + std::to_string(port);
  std::string error;
  for (;;) {
    AddressList list;
    TINYKWS_RETURN_IF_ERROR(Resolve(host, port, 0, &list));
    for (addrinfo* a = list.head; a != nullptr; a = a->ai_next) {
      const int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, 0);
      if (fd < 0) continue;
      if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
        error = std::strerror(errno);
        close(fd);
        continue;
      }
      SetReceiveTimeout(fd, std::chrono::seconds(kHandshakeSeconds));
      SocketChannel channel(fd);
      std::string hello(kHelloBytes + kNonceBytes, '\0');
      char admitted = 0;
      const bool greeted = channel.ReadExact(hello.data(), hello.size()) &&
                           hello.compare(0, kHelloBytes, kHello) == 0;
      if (!greeted) {  // busy (its handshake slots full) or not a store
        error = "no challenge from the store (busy, or not a tinykws store)";
        close(fd);
        continue;
      }
      const bool ok =
          channel.WriteAll(Proof(secret, hello.substr(kHelloBytes)).data(),
                           32) &&
          channel.ReadExact(&admitted, 1) && admitted == kAdmitted;
      if (!ok) {
        close(fd);
        return InvalidArgument(where +
                               ": the store refused this process's token (a "
                               "different or missing token?)");
      }
      SetReceiveTimeout(fd, std::chrono::microseconds(0));
      DetectDeadPeers(fd);
      return std::unique_ptr<KvClient>(new KvClient(fd));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return IoError("cannot reach the store at " + where + ": " + error);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

KvClient::~KvClient() {
  if (fd_ >= 0) close(fd_);
}

void KvClient::Break() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

StatusOr<std::pair<uint8_t, std::string>> KvClient::Call(
    uint8_t op, const std::string& key, const std::string& value) {
  if (key.size() > kMaxStoreKeyBytes || value.size() > kMaxStoreValueBytes) {
    return InvalidArgument("store entry too large: " + key);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (fd_ < 0) return IoError("the store connection is closed");
  SocketChannel channel(fd_);
  unsigned char header[9];
  header[0] = op;
  PutU32(static_cast<uint32_t>(key.size()), header + 1);
  PutU32(static_cast<uint32_t>(value.size()), header + 5);
  unsigned char reply[5];
  std::string payload;
  if (!channel.WriteAll(header, sizeof header) ||
      !channel.WriteAll(key.data(), key.size()) ||
      !channel.WriteAll(value.data(), value.size()) ||
      !channel.ReadExact(reply, sizeof reply) ||
      GetU32(reply + 1) > kMaxStoreValueBytes ||
      !ReadString(channel, GetU32(reply + 1), &payload)) {
    Break();  // the stream is out of step now
    return IoError("the store closed the connection (rank 0 stopped?)");
  }
  if (reply[0] == KvState::kBadRequest) {
    return InvalidArgument("the store refused a request for " + key);
  }
  return std::make_pair(reply[0], std::move(payload));
}

Status KvClient::Set(const std::string& key, const std::string& value) {
  return Call(KvState::kSet, key, value).status();
}

StatusOr<std::string> KvClient::Get(const std::string& key) {
  auto r = Call(KvState::kGet, key, "");
  if (!r.ok()) return r.status();
  if (r->first != KvState::kOk) return NotFound("store: no " + key);
  return std::move(r->second);
}

StatusOr<bool> KvClient::Exists(const std::string& key) {
  auto r = Call(KvState::kCheck, key, "");
  if (!r.ok()) return r.status();
  return r->first == KvState::kOk;
}

StatusOr<bool> KvClient::Delete(const std::string& key) {
  auto r = Call(KvState::kDelete, key, "");
  if (!r.ok()) return r.status();
  return r->first == KvState::kOk;
}

StatusOr<int64_t> KvClient::Add(const std::string& key, int64_t delta) {
  auto r = Call(KvState::kAdd, key, Int64Bytes(delta));
  if (!r.ok()) return r.status();
  if (r->second.size() != 8) return IoError("store: bad reply to add");
  return Int64FromBytes(r->second);
}

StatusOr<int64_t> KvClient::NumKeys() {
  auto r = Call(KvState::kNumKeys, "", "");
  if (!r.ok()) return r.status();
  if (r->second.size() != 8) return IoError("store: bad reply");
  return Int64FromBytes(r->second);
}

StatusOr<std::string> KvClient::CompareSet(const std::string& key,
                                           const std::string& expected,
                                           const std::string& desired) {
  std::string value(4, '\0');
  PutU32(static_cast<uint32_t>(expected.size()),
         reinterpret_cast<unsigned char*>(value.data()));
  value += expected + desired;
  auto r = Call(KvState::kCompareSet, key, value);
  if (!r.ok()) return r.status();
  return std::move(r->second);
}

}  // namespace tinykws::sweep
