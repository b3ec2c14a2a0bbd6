// Trust for the sweep's and data-parallel runs' store (docs/sweep.md, "Threat
// model"): a shared secret, HMAC-SHA256 (OpenSSL) over every message, and the
// checks a process applies to anything it reads from the store: trial ids
// of one strict pattern, integers parsed whole, paths confined to a folder.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tinykws/status.hpp"

namespace tinykws::sweep {

// The environment variables a secret may come from (a file path, or the
// secret itself); --token-file takes precedence.
inline constexpr const char* kTokenFileVariable = "TINYKWS_TOKEN_FILE";
inline constexpr const char* kTokenVariable = "TINYKWS_TOKEN";
inline constexpr size_t kMinTokenBytes = 16;

// A token file: at least kMinTokenBytes after trailing whitespace is cut,
// and not readable by group or others (as ssh treats private keys).
StatusOr<std::string> ReadTokenFile(const std::string& path);
// --token-file, else TINYKWS_TOKEN_FILE, else TINYKWS_TOKEN, else "".
StatusOr<std::string> SecretFromFlagOrEnvironment(const std::string& flag);
// 32 random bytes as 64 hex digits (for the processes of one machine).
StatusOr<std::string> RandomToken();

// Raw 32-byte HMAC-SHA256 of `data` under `key` (an empty key is allowed:
// integrity against accidents only).
std::string HmacSha256(const std::string& key, std::string_view data);
bool EqualInConstantTime(std::string_view a, std::string_view b);

// A message as stored under `store_key`: a signature line, then the body.
// The signature covers the store key, so a message cannot be replayed
// under another key.
std::string Sign(const std::string& secret, const std::string& store_key,
                 const std::string& body);
// The body, or an error when the signature is missing or wrong.
StatusOr<std::string> Verify(const std::string& secret,
                             const std::string& store_key,
                             const std::string& bytes);

// Trial ids: "t007" or a mark's name: [A-Za-z0-9][A-Za-z0-9_-]{0,63}.
bool IsValidTrialId(std::string_view id);
// A whole decimal integer in [lo, hi] (std::from_chars), else nullopt.
std::optional<int64_t> ParseInteger(std::string_view text, int64_t lo,
                                    int64_t hi);
// OK when `path`, resolved (symbolic links and ".." included, as far as it
// exists), lies inside `root` resolved.
Status CheckInside(const std::string& root, const std::string& path);

}  // namespace tinykws::sweep
