// Split names, the data set's speaker-hash split rule and the OpenSSL
// digests it rests on.
#include "dataset/split_hash.hpp"

#include <openssl/evp.h>

#include <cstdint>
#include <limits>
#include <new>
#include <string>

#include "tinykws/dataset.hpp"

namespace tinykws {
namespace {

// One-shot digest through the EVP API (the low-level SHA1() calls are
// deprecated in OpenSSL 3). Returns the digest length, 0 on failure.
unsigned int Digest(const EVP_MD* md, const std::string& bytes,
                    unsigned char (&out)[EVP_MAX_MD_SIZE]) {
  unsigned int length = 0;
  if (md == nullptr ||
      EVP_Digest(bytes.data(), bytes.size(), out, &length, md, nullptr) != 1) {
    return 0;
  }
  return length;
}

std::string DigestHex(const EVP_MD* md, const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  const unsigned int length = Digest(md, bytes, digest);
  if (length == 0) return std::string();
  static constexpr char kHex[] = "0123456789abcdef";
  // The hex string is longer than the small-string buffer: it allocates,
  // and an allocation failure must not escape the library.
  try {
    std::string hex(2 * length, '0');
    for (unsigned int i = 0; i < length; ++i) {
      hex[2 * i] = kHex[digest[i] >> 4];
      hex[2 * i + 1] = kHex[digest[i] & 0x0F];
    }
    return hex;
  } catch (const std::bad_alloc&) {
    return std::string();
  }
}

}  // namespace

const char* SplitName(Split split) {
  switch (split) {
    case Split::kTraining:
      return "training";
    case Split::kValidation:
      return "validation";
    case Split::kTesting:
      return "testing";
  }
  return "unknown";
}

bool ParseSplit(const std::string& name, Split* split) {
  if (split == nullptr) return false;
  for (Split s : {Split::kTraining, Split::kValidation, Split::kTesting}) {
    if (name == SplitName(s)) {
      *split = s;
      return true;
    }
  }
  return false;
}

std::string Sha1Hex(const std::string& bytes) {
  return DigestHex(EVP_sha1(), bytes);
}

std::string Sha256Hex(const std::string& bytes) {
  return DigestHex(EVP_sha256(), bytes);
}

Split SplitBySpeakerHash(const std::string& speaker, double validation_percent,
                         double testing_percent) {
  return dataset::SplitForPercent(dataset::SpeakerHashPercent(speaker),
                                  validation_percent, testing_percent);
}

namespace dataset {

double SpeakerHashPercent(const std::string& speaker) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  const unsigned int length = Digest(EVP_sha1(), speaker, digest);
  if (length < 4) return std::numeric_limits<double>::quiet_NaN();
  // int(hexdigest, 16) % 2**27 keeps the low 27 bits of the big-endian
  // digest: they all sit in its last four bytes. No hex round trip needed.
  const unsigned char* tail = digest + length - 4;
  const std::uint32_t last4 =
      (std::uint32_t{tail[0]} << 24) | (std::uint32_t{tail[1]} << 16) |
      (std::uint32_t{tail[2]} << 8) | std::uint32_t{tail[3]};
  constexpr std::uint32_t kMaxBucket = (std::uint32_t{1} << 27) - 1;
  const std::uint32_t bucket = last4 & kMaxBucket;
  // Python computes int * float as double(int) * float; the bucket is exact
  // in a double, and the factor is the same rounded quotient.
  return static_cast<double>(bucket) *
         (100.0 / static_cast<double>(kMaxBucket));
}

Split SplitForPercent(double percent, double validation_percent,
                      double testing_percent) {
  if (percent < validation_percent) return Split::kValidation;
  if (percent < testing_percent + validation_percent) return Split::kTesting;
  return Split::kTraining;
}

}  // namespace dataset
}  // namespace tinykws
