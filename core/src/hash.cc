#include "finfusion/hash.h"

#include <sodium.h>

#include <array>
#include <optional>

#include "finfusion/key.h"
#include "internal/base62.h"
#include "internal/base64.h"
#include "internal/sha256.h"
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

// Every character base64url, without a branch per character: a digest's characters are
// random, so a branch on their class mispredicts.
bool is_b64url(std::string_view text) noexcept {
  unsigned bad = 0;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    // 1 when c is '-' or '_', by arithmetic: GCC turns the two comparisons into a bit test
    // behind a branch.
    const unsigned symbol = (((c ^ 0x2Du) - 1u) >> 8 | ((c ^ 0x5Fu) - 1u) >> 8) & 1u;
    bad |= (static_cast<unsigned>(internal::is_base62(ch)) | symbol) ^ 1u;
  }
  return bad == 0;
}

struct Parts {
  std::string_view algorithm;
  std::string_view pepper_id;
  std::string_view digest;
};

// A well-formed stored form read in place: "ffk$1$", a known algorithm and '$', then the
// pepper id, '$' and the digest's fixed length at the end. nullopt for anything else, which
// split's field-by-field reading names.
std::optional<Parts> well_formed(std::string_view stored) noexcept {
  constexpr std::string_view kPrefix = "ffk$1$";
  if (stored.size() > kMaxStoredLength || stored.size() < kPrefix.size() + kDigestText + 3 ||
      stored.substr(0, kPrefix.size()) != kPrefix || stored[stored.size() - kDigestText - 1] != '$') {
    return std::nullopt;
  }
  std::string_view rest = stored.substr(kPrefix.size(), stored.size() - kPrefix.size() - kDigestText - 1);
  std::string_view algorithm;
  for (std::string_view known : {kAlgorithmHmacSha256, kAlgorithmBlake2b256}) {
    if (rest.size() > known.size() && rest.substr(0, known.size()) == known && rest[known.size()] == '$') {
      algorithm = known;
    }
  }
  if (algorithm.empty()) return std::nullopt;
  const std::string_view pepper_id = rest.substr(algorithm.size() + 1);
  const std::string_view digest = stored.substr(stored.size() - kDigestText);
  // A pepper id and a digest hold no '$': there are exactly five fields.
  if (!is_valid_pepper_id(pepper_id) || !is_b64url(digest)) return std::nullopt;
  return Parts{algorithm, pepper_id, digest};
}

Result<Parts> split(std::string_view stored) {
  if (std::optional<Parts> parts = well_formed(stored)) return *parts;
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
  if (fields[2] != kAlgorithmHmacSha256 && fields[2] != kAlgorithmBlake2b256) return not_stored("unknown algorithm");
  if (!is_valid_pepper_id(fields[3])) return not_stored("bad pepper id");
  if (fields[4].size() != kDigestText) return not_stored("digest has the wrong length");
  if (!is_b64url(fields[4])) return not_stored("digest is not base64url");
  return Parts{fields[2], fields[3], fields[4]};
}

// base64url without padding (internal/base64.h: no branch or table lookup on the digest).
void encode_digest(const std::array<unsigned char, kDigestBytes>& digest, std::array<char, kDigestText>& out) {
  static_assert(internal::base64_length(kDigestBytes, internal::Base64::kUrlNoPadding) == kDigestText);
  internal::encode_base64_into(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()),
                               internal::Base64::kUrlNoPadding, out.data());
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
                              std::string_view current, std::string_view algorithm) {
  if (!internal::sodium_ready()) return Status(Code::kInternal, "libsodium could not start");
  if (peppers.empty()) return Status(Code::kInvalidRequest, "a hasher needs at least one pepper");
  Hasher h;
  if (algorithm == kAlgorithmHmacSha256) {
    h.algorithm_ = kAlgorithmHmacSha256;
  } else if (algorithm == kAlgorithmBlake2b256) {
    h.algorithm_ = kAlgorithmBlake2b256;
  } else {
    return Status(Code::kInvalidRequest, "hash algorithm " + internal::quote(algorithm, 40) + ": use hs256 or b2b256");
  }
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
    auto hmac = std::make_shared<const internal::HmacSha256Key>(pepper.view());
    h.peppers_.push_back({std::move(id), std::move(pepper), std::move(hmac)});
  }
  if (!h.find(current)) {
    return Status(Code::kInvalidRequest,
                  "current pepper " + internal::quote(current, 40) + " is not among the peppers");
  }
  h.current_ = std::string(current);
  return h;
}

const Hasher::Pepper* Hasher::find(std::string_view id) const noexcept {
  for (const auto& pepper : peppers_) {
    if (pepper.id == id) return &pepper;
  }
  return nullptr;
}

// The MAC of `key` under `pepper`: HMAC-SHA256 from the pepper's absorbed pads, or keyed
// BLAKE2b-256 (where starting from a pre-keyed state would not save a compression: BLAKE2b
// holds the key block back until more input arrives).
void Hasher::digest(std::string_view algorithm, std::string_view key, const Pepper& pepper, unsigned char* out) {
  if (algorithm == kAlgorithmHmacSha256) {
    pepper.hmac->tag(key, out);
    return;
  }
  crypto_generichash(out, kDigestBytes, reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                     pepper.key.data(), pepper.key.size());
}

Result<std::string> Hasher::hash(std::string_view key) const {
  keys::KeyView parsed = keys::inspect(key);
  if (parsed.code != Code::kValid) return keys::parse(key).status();
  std::string out;
  out.reserve(kMaxStoredLength);
  out.append(kScheme).append("$").append(kSchemeVersion).append("$");
  out.append(algorithm_).append("$").append(current_).append("$");
  std::array<unsigned char, kDigestBytes> raw{};
  digest(algorithm_, key, *find(current_), raw.data());
  std::array<char, kDigestText> text{};
  encode_digest(raw, text);
  sodium_memzero(raw.data(), raw.size());
  out.append(text.data(), kDigestText);
  return out;
}

Result<bool> Hasher::verify(std::string_view key, std::string_view stored) const {
  return verify(keys::inspect(key), key, stored);
}

Result<bool> Hasher::verify(const keys::KeyView& key, std::string_view text, std::string_view stored) const {
  auto parts = split(stored);
  if (!parts.ok()) return parts.status();
  const Pepper* pepper = find(parts->pepper_id);
  if (!pepper) {
    return Status(Code::kPreconditionFailed,
                  "stored hash names pepper " + internal::quote(parts->pepper_id, 40) +
                      ", which this hasher does not hold");
  }
  if (key.code != Code::kValid) return false;
  // Compared as text, written on the stack: decoding the stored text would cost more.
  std::array<unsigned char, kDigestBytes> computed{};
  digest(parts->algorithm, text, *pepper, computed.data());
  std::array<char, kDigestText> encoded{};
  encode_digest(computed, encoded);
  bool same = constant_time_equals(std::string_view(encoded.data(), kDigestText), parts->digest);
  sodium_memzero(computed.data(), computed.size());
  sodium_memzero(encoded.data(), encoded.size());
  return same;
}

Result<bool> Hasher::needs_rehash(std::string_view stored) const {
  auto parts = split(stored);
  if (!parts.ok()) return parts.status();
  return parts->algorithm != algorithm_ || parts->pepper_id != current_;
}

}  // namespace finfusion::hashing
