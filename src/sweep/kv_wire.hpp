// The store's wire format, shared by the server's request handling
// (kv_state.cpp) and the sockets (kv_store.cpp). Internal to src/sweep.
//   challenge: "TKWS-STORE-1" + 32-byte nonce; answer: HMAC-SHA256(secret,
//              "tinykws-store-1 client\n" + nonce); admitted: 'K'
//   request:   u8 op, u32 key size, u32 value size (little-endian), key, value
//   reply:     u8 status, u32 payload size, payload
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "sweep/kv_store.hpp"

namespace tinykws::sweep::wire {

inline constexpr char kHello[] = "TKWS-STORE-1";  // 12 bytes, then the nonce
inline constexpr size_t kHelloBytes = sizeof kHello - 1;
inline constexpr size_t kNonceBytes = 32;
inline constexpr char kAdmitted = 'K';

std::string Proof(const std::string& secret, const std::string& nonce);

inline void PutU32(uint32_t v, unsigned char* out) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<unsigned char>(v >> (8 * i));
}
inline uint32_t GetU32(const unsigned char* in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(in[i]) << (8 * i);
  return v;
}
std::string Int64Bytes(int64_t v);
int64_t Int64FromBytes(const std::string& b);
// Reads `size` bytes in pieces, so a length a client claims is never
// allocated before its bytes arrive.
bool ReadString(Channel& channel, size_t size, std::string* out);
bool WriteReply(Channel& channel, uint8_t status, const std::string& payload);

}  // namespace tinykws::sweep::wire
