#include "finfusion/hash.h"

#include <sodium.h>

#include <array>

#include "finfusion/key.h"
#include "internal/sodium_init.h"
#include "internal/text.h"

namespace finfusion::hashing {
namespace {

constexpr std::string_view kScheme = "ffk";
constexpr std::string_view kSchemeVersion = "1";
constexpr std::size_t kDigestBytes = crypto_generichash_BYTES;  // 32
constexpr std::size_t kDigestText = 43;  // base64url of 32 bytes, no padding

static_assert(kPepperBytes == crypto_generichash_KEYBYTES, "pepper is a BLAKE2b key");

Status not_stored(std::string_view why) {
  return Status(Code::kInvalidRequest, "not a stored key hash: " + std::string(why));
}

bool is_b64url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

struct Parts {
  std::string_view algorithm;
  std::string_view pepper_id;
  std::string_view digest;
};

Result<Parts> split(std::string_view stored) {
  if (stored.size() > kMaxStoredLength) return not_stored("too long");
  std::array<std::string_view, 5> fields;
  std::size_t n = 0;
  std::size_t start = 0;
  while (true) {
    std::size_t end = stored.find('$', start);
    if (n == fields.size()) return not_stored("too many '$'-separated fields");
    fields[n++] = stored.substr(start, end == std::string_view::npos ? end : end - start);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (n != fields.size()) return not_stored("expected ffk$1$<algorithm>$<pepper id>$<digest>");
  if (fields[0] != kScheme) return not_stored("unknown scheme");
  if (fields[1] != kSchemeVersion) return not_stored("unsupported scheme version");
  if (fields[2] != kAlgorithmBlake2b256) return not_stored("unknown algorithm");
  if (!is_valid_pepper_id(fields[3])) return not_stored("bad pepper id");
  if (fields[4].size() != kDigestText) return not_stored("digest has the wrong length");
  for (char c : fields[4]) {
    if (!is_b64url(c)) return not_stored("digest is not base64url");
  }
  return Parts{fields[2], fields[3], fields[4]};
}

// Keyed BLAKE2b-256 of `key`, written as base64url without padding.
std::string digest_text(std::string_view key, const SecretBytes& pepper) {
  std::array<unsigned char, kDigestBytes> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(key.data()),
                     key.size(), pepper.data(), pepper.size());
  std::array<char, kDigestText + 1> text{};
  sodium_bin2base64(text.data(), text.size(), digest.data(), digest.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(digest.data(), digest.size());
  return std::string(text.data(), kDigestText);
}

}  // namespace

bool is_valid_pepper_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > kMaxPepperIdLength) return false;
  for (char c : id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<StoredHash> parse_stored(std::string_view stored) {
  auto parts = split(stored);
  if (!parts.ok()) return parts.status();
  return StoredHash{std::string(parts->algorithm), std::string(parts->pepper_id)};
}

Result<Hasher> Hasher::Create(std::vector<std::pair<std::string, SecretBytes>> peppers,
                              std::string_view current) {
  if (!internal::sodium_ready()) return Status(Code::kInternal, "libsodium could not start");
  if (peppers.empty()) return Status(Code::kInvalidRequest, "a hasher needs at least one pepper");
  Hasher h;
  for (auto& [id, pepper] : peppers) {
    if (!is_valid_pepper_id(id)) {
      return Status(Code::kInvalidRequest,
                    "pepper id " + internal::quote(id, 40) + ": use 1 to 32 of [A-Za-z0-9_-]");
    }
    if (pepper.size() != kPepperBytes) {
      return Status(Code::kInvalidRequest, "pepper " + internal::quote(id, 40) + ": must be exactly " +
                                               std::to_string(kPepperBytes) + " bytes, got " +
                                               std::to_string(pepper.size()));
    }
    if (h.find(id)) return Status(Code::kInvalidRequest, "pepper id " + internal::quote(id, 40) + " repeated");
    h.peppers_.emplace_back(std::move(id), std::move(pepper));
  }
  if (!h.find(current)) {
    return Status(Code::kInvalidRequest,
                  "current pepper " + internal::quote(current, 40) + " is not among the peppers");
  }
  h.current_ = std::string(current);
  return h;
}

const SecretBytes* Hasher::find(std::string_view id) const noexcept {
  for (const auto& [pid, pepper] : peppers_) {
    if (pid == id) return &pepper;
  }
  return nullptr;
}

Result<std::string> Hasher::hash(std::string_view key) const {
  auto parsed = keys::parse(key);
  if (!parsed.ok()) return parsed.status();
  std::string out;
  out.reserve(kMaxStoredLength);
  out.append(kScheme).append("$").append(kSchemeVersion).append("$");
  out.append(kAlgorithmBlake2b256).append("$").append(current_).append("$");
  out.append(digest_text(key, *find(current_)));
  return out;
}

Result<bool> Hasher::verify(std::string_view key, std::string_view stored) const {
  auto parts = split(stored);
  if (!parts.ok()) return parts.status();
  const SecretBytes* pepper = find(parts->pepper_id);
  if (!pepper) {
    return Status(Code::kPreconditionFailed,
                  "stored hash names pepper " + internal::quote(parts->pepper_id, 40) +
                      ", which this hasher does not hold");
  }
  if (keys::check_format(key) != Code::kValid) return false;
  return constant_time_equals(digest_text(key, *pepper), parts->digest);
}

Result<bool> Hasher::needs_rehash(std::string_view stored) const {
  auto parts = split(stored);
  if (!parts.ok()) return parts.status();
  return parts->algorithm != kAlgorithmBlake2b256 || parts->pepper_id != current_;
}

}  // namespace finfusion::hashing
