#include "sweep/auth.hpp"

#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>

#include "common/atomic_file.hpp"

namespace tinykws::sweep {

namespace {

constexpr std::string_view kSignaturePrefix = "tinykws-hmac-sha256 ";

std::string Hex(const std::string& bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string TrimmedRight(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' ||
                        s.back() == ' ' || s.back() == '\t')) {
    s.pop_back();
  }
  return s;
}

Status CheckLength(const std::string& token, const std::string& where) {
  if (token.size() < kMinTokenBytes) {
    return InvalidArgument(where + ": the token is shorter than " +
                           std::to_string(kMinTokenBytes) +
                           " bytes (make one with: openssl rand -hex 32)");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<std::string> ReadTokenFile(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    return NotFound(path + ": cannot read the token file");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return InvalidArgument(path +
                           ": the token file is readable by others; "
                           "chmod 600 it");
  }
  StatusOr<std::string> text = ReadWholeFile(path, 4096);
  if (!text.ok()) return text.status();
  std::string token = TrimmedRight(*text);
  TINYKWS_RETURN_IF_ERROR(CheckLength(token, path));
  return token;
}

StatusOr<std::string> SecretFromFlagOrEnvironment(const std::string& flag) {
  if (!flag.empty()) return ReadTokenFile(flag);
  if (const char* file = std::getenv(kTokenFileVariable); file && *file) {
    return ReadTokenFile(file);
  }
  if (const char* token = std::getenv(kTokenVariable); token && *token) {
    std::string t = TrimmedRight(token);
    TINYKWS_RETURN_IF_ERROR(CheckLength(t, kTokenVariable));
    return t;
  }
  return std::string();
}

StatusOr<std::string> RandomToken() {
  std::string bytes(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), 32) != 1) {
    return InternalError("no random bytes for the store's token");
  }
  return Hex(bytes);
}

std::string HmacSha256(const std::string& key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  static const unsigned char kEmpty = 0;
  HMAC(EVP_sha256(),
       key.empty() ? static_cast<const void*>(&kEmpty)
                   : static_cast<const void*>(key.data()),
       static_cast<int>(key.size()),
       data.empty() ? &kEmpty
                    : reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &size);
  return std::string(reinterpret_cast<char*>(out), size);
}

bool EqualInConstantTime(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         (a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0);
}

namespace {

std::string SignedContent(const std::string& store_key, std::string_view body) {
  std::string content = store_key;
  content += '\n';
  content.append(body.data(), body.size());
  return content;
}

}  // namespace

std::string Sign(const std::string& secret, const std::string& store_key,
                 const std::string& body) {
  return std::string(kSignaturePrefix) +
         Hex(HmacSha256(secret, SignedContent(store_key, body))) + "\n" + body;
}

StatusOr<std::string> Verify(const std::string& secret,
                             const std::string& store_key,
                             const std::string& bytes) {
  const size_t line = kSignaturePrefix.size() + 64;
  if (bytes.size() < line + 1 ||
      bytes.compare(0, kSignaturePrefix.size(), kSignaturePrefix) != 0 ||
      bytes[line] != '\n') {
    return FormatError(store_key + ": message without a signature");
  }
  const std::string_view body(bytes.data() + line + 1, bytes.size() - line - 1);
  const std::string expected =
      Hex(HmacSha256(secret, SignedContent(store_key, body)));
  if (!EqualInConstantTime(
          expected,
          std::string_view(bytes.data() + kSignaturePrefix.size(), 64))) {
    return FormatError(store_key +
                       ": wrong signature (another token, or altered)");
  }
  return std::string(body);
}

bool IsValidTrialId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                       (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '_' && c != '-'))) return false;
  }
  return true;
}

std::optional<int64_t> ParseInteger(std::string_view text, int64_t lo,
                                    int64_t hi) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty() || value < lo ||
      value > hi) {
    return std::nullopt;
  }
  return value;
}

Status CheckInside(const std::string& root, const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path r = fs::weakly_canonical(fs::absolute(root, ec), ec);
  if (ec) return IoError(root + ": " + ec.message());
  const fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec) return IoError(path + ": " + ec.message());
  auto ri = r.begin();
  auto pi = p.begin();
  for (; ri != r.end(); ++ri, ++pi) {
    if (ri->empty()) continue;  // a trailing separator
    if (pi == p.end() || *pi != *ri) {
      return InvalidArgument(path + ": outside " + root);
    }
  }
  return Status::Ok();
}

}  // namespace tinykws::sweep
