// The store's content and its request handling (no sockets: fuzzed as is).
#include <optional>

#include "sweep/auth.hpp"
#include "sweep/kv_wire.hpp"

namespace tinykws::sweep {

namespace wire {

std::string Proof(const std::string& secret, const std::string& nonce) {
  return HmacSha256(secret, "tinykws-store-1 client\n" + nonce);
}

std::string Int64Bytes(int64_t v) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) {
    out[static_cast<size_t>(i)] =
        static_cast<char>(static_cast<uint64_t>(v) >> (8 * i));
  }
  return out;
}
int64_t Int64FromBytes(const std::string& b) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    v |= static_cast<uint64_t>(
             static_cast<unsigned char>(b[static_cast<size_t>(i)]))
         << (8 * i);
  }
  return static_cast<int64_t>(v);
}

bool ReadString(Channel& channel, size_t size, std::string* out) {
  constexpr size_t kPiece = size_t{1} << 20;
  out->clear();
  while (out->size() < size) {
    const size_t n = std::min(kPiece, size - out->size());
    const size_t at = out->size();
    out->resize(at + n);
    if (!channel.ReadExact(&(*out)[at], n)) return false;
  }
  return true;
}

bool WriteReply(Channel& channel, uint8_t status, const std::string& payload) {
  unsigned char header[5];
  header[0] = status;
  PutU32(static_cast<uint32_t>(payload.size()), header + 1);
  return channel.WriteAll(header, sizeof header) &&
         (payload.empty() || channel.WriteAll(payload.data(), payload.size()));
}

}  // namespace wire

using namespace wire;

KvState::Reply KvState::Apply(uint8_t op, const std::string& key,
                              const std::string& value, std::string* payload) {
  std::lock_guard<std::mutex> lock(mutex_);
  payload->clear();
  auto it = entries_.find(key);
  switch (op) {
    case kSet:
      entries_[key] = value;
      return kOk;
    case kGet:
      if (it == entries_.end()) return kAbsent;
      *payload = it->second;
      return kOk;
    case kAdd: {
      if (value.size() != 8) return kBadRequest;
      int64_t now = 0;
      if (it != entries_.end()) {
        const std::optional<int64_t> kept =
            ParseInteger(it->second, INT64_MIN, INT64_MAX);
        if (!kept) return kBadRequest;
        now = *kept;
      }
      if (__builtin_add_overflow(now, Int64FromBytes(value), &now)) {
        return kBadRequest;
      }
      entries_[key] = std::to_string(now);
      *payload = Int64Bytes(now);
      return kOk;
    }
    case kCheck:
      return it == entries_.end() ? kAbsent : kOk;
    case kDelete:
      if (it == entries_.end()) return kAbsent;
      entries_.erase(it);
      return kOk;
    case kNumKeys:
      *payload = Int64Bytes(static_cast<int64_t>(entries_.size()));
      return kOk;
    case kCompareSet: {
      if (value.size() < 4) return kBadRequest;
      const uint32_t expected_size =
          GetU32(reinterpret_cast<const unsigned char*>(value.data()));
      if (expected_size > value.size() - 4) return kBadRequest;
      const std::string expected = value.substr(4, expected_size);
      const std::string desired = value.substr(4 + expected_size);
      const std::string current = it == entries_.end() ? "" : it->second;
      if (current == expected) {
        entries_[key] = desired;
        *payload = desired;
      } else {
        *payload = current;
      }
      return kOk;
    }
    default:
      return kBadRequest;
  }
}

void ServeConnection(Channel& channel, KvState& state,
                     const std::string& secret, const std::string& nonce) {
  if (!channel.WriteAll(kHello, kHelloBytes) ||
      !channel.WriteAll(nonce.data(), nonce.size())) {
    return;
  }
  std::string proof(32, '\0');
  if (!channel.ReadExact(proof.data(), proof.size()) ||
      !EqualInConstantTime(proof, Proof(secret, nonce)) ||
      !channel.WriteAll(&kAdmitted, 1)) {
    return;
  }
  channel.OnAdmitted();
  std::string key, value, payload;
  for (;;) {
    unsigned char header[9];
    if (!channel.ReadExact(header, sizeof header)) return;
    const uint32_t key_size = GetU32(header + 1);
    const uint32_t value_size = GetU32(header + 5);
    if (key_size > kMaxStoreKeyBytes || value_size > kMaxStoreValueBytes) {
      WriteReply(channel, KvState::kBadRequest, "");
      return;
    }
    if (!ReadString(channel, key_size, &key) ||
        !ReadString(channel, value_size, &value)) {
      return;
    }
    // A refused request (unknown op, a counter that is not a number) is
    // answered and the connection goes on: the frame itself was sound.
    const KvState::Reply reply = state.Apply(header[0], key, value, &payload);
    if (!WriteReply(channel, reply, payload)) return;
  }
}

}  // namespace tinykws::sweep
