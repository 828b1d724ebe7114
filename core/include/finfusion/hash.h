// finfusion/hash.h - the stored form of a key, and constant-time verification.
//
// The registry never stores a key, only this string:
//   ffk$1$<algorithm>$<pepper_id>$<43 chars of base64url, no padding>
// = a MAC of the whole key text under a 32-byte server pepper: "hs256", HMAC-SHA256 (the
//   default: on the CPU's SHA extensions where it has them, the pads computed once per
//   pepper; libsodium elsewhere and in WebAssembly, with the same result), or "b2b256",
//   keyed BLAKE2b-256 (libsodium crypto_generichash; the first algorithm, still verified).
//   "ffk" names the scheme, "1" its version, and the pepper id which of the server's
//   peppers was used.
//
//   auto hasher = finfusion::hashing::Hasher::Create({{"p2026", pepper}}, "p2026");
//   std::string stored = hasher->hash(key.reveal()).value();
//   bool match = hasher->verify(presented, stored).value();   // constant time
//   if (hasher->needs_rehash(stored).value()) store(hasher->hash(presented).value());
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "finfusion/key.h"
#include "finfusion/secret.h"
#include "finfusion/status.h"

namespace finfusion::internal {
class HmacSha256Key;
}  // namespace finfusion::internal

namespace finfusion::hashing {

inline constexpr std::size_t kPepperBytes = 32;
inline constexpr std::size_t kMaxPepperIdLength = 32;
inline constexpr std::size_t kMaxStoredLength = 128;
inline constexpr std::string_view kAlgorithmBlake2b256 = "b2b256";
inline constexpr std::string_view kAlgorithmHmacSha256 = "hs256";

// A pepper id: 1 to 32 of [A-Za-z0-9_-].
bool is_valid_pepper_id(std::string_view id) noexcept;

class Hasher {
 public:
  // `peppers` maps pepper ids to 32-byte secrets; `current` is the one new hashes use, and
  // `algorithm` ("hs256" or "b2b256") the MAC they use; stored forms of either verify.
  // Errors: invalid_request for no peppers, a bad or repeated id, a pepper that is not
  // exactly 32 bytes (checked here, never inside libsodium), `current` not among them, or
  // an unknown algorithm.
  static Result<Hasher> Create(std::vector<std::pair<std::string, SecretBytes>> peppers,
                               std::string_view current, std::string_view algorithm = kAlgorithmHmacSha256);

  // The stored form of `key` under the current pepper.
  // Errors: the key's format code (malformed_key, unknown_prefix, bad_checksum): only
  // well-formed keys are ever stored.
  Result<std::string> hash(std::string_view key) const;

  // Whether `key` matches `stored`, hashing with the pepper `stored` names and comparing
  // in constant time. A malformed key matches nothing (false, not an error).
  // Errors: invalid_request when `stored` is not a stored form; precondition_failed when
  // it names a pepper this hasher does not hold.
  Result<bool> verify(std::string_view key, std::string_view stored) const;
  // The same for a key already inspected (keys::inspect); a key whose code is not kValid
  // matches nothing. Spares hot paths a second format check.
  Result<bool> verify(const keys::KeyView& key, std::string_view text, std::string_view stored) const;

  // True when `stored` was made with another algorithm or pepper than hash() uses now; the
  // caller re-hashes the key after its next successful verification.
  // Errors: invalid_request when `stored` is not a stored form.
  Result<bool> needs_rehash(std::string_view stored) const;

  const std::string& current_pepper_id() const noexcept { return current_; }
  std::string_view algorithm() const noexcept { return algorithm_; }

 private:
  Hasher() = default;
  struct Pepper {
    std::string id;
    SecretBytes key;
    std::shared_ptr<const internal::HmacSha256Key> hmac;  // the pads, absorbed once
  };
  const Pepper* find(std::string_view id) const noexcept;
  static void digest(std::string_view algorithm, std::string_view key, const Pepper& pepper, unsigned char* out);

  std::vector<Pepper> peppers_;
  std::string current_;
  std::string_view algorithm_ = kAlgorithmHmacSha256;
};

// The parts of a stored form. Errors: invalid_request.
struct StoredHash {
  std::string algorithm;  // "hs256" or "b2b256"
  std::string pepper_id;
};
Result<StoredHash> parse_stored(std::string_view stored);

}  // namespace finfusion::hashing
