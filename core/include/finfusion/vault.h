// finfusion/vault.h - secrets that must be recoverable (request-signing secrets, webhook
// secrets), sealed at rest under master keys.
//
//   auto masters = finfusion::vault::MasterKeys::Create({{"m2026", std::move(key32)}}, "m2026");
//   auto sealed = masters->seal("signing/rest_...", secret);   // "ffs1.m2026.<base64url>"
//   auto again = masters->open("signing/rest_...", *sealed);   // the same bytes
//
// XChaCha20-Poly1305 (libsodium) with a random 24-byte nonce per seal. The associated data is
// the record id the secret belongs to, so a sealed secret copied onto another record does not
// open. Master keys have ids, like peppers: the current one seals, every one held opens; a
// master key is rotated by adding a new current key, re-sealing what the old one sealed
// (Registry::reencrypt_secrets) and then retiring it, with no moment at which a secret cannot
// be opened.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "finfusion/secret.h"
#include "finfusion/status.h"

namespace finfusion::vault {

inline constexpr std::size_t kMasterKeyBytes = 32;
inline constexpr std::size_t kMaxSecretBytes = 1024;
inline constexpr std::size_t kMaxRecordIdBytes = 256;
inline constexpr std::string_view kSealedPrefix = "ffs1.";

class MasterKeys {
 public:
  // `keys` maps ids (1 to 32 of [A-Za-z0-9_-]) to 32-byte keys; `current` seals.
  // Errors: invalid_request for no keys, a bad or repeated id, a key that is not exactly 32
  // bytes, or `current` not among them.
  static Result<MasterKeys> Create(std::vector<std::pair<std::string, SecretBytes>> keys, std::string_view current);

  const std::string& current_id() const noexcept { return current_; }
  bool holds(std::string_view id) const noexcept { return find(id) != nullptr; }

  // "ffs1.<current id>.<base64url(nonce, ciphertext, tag)>". Errors: invalid_request for an
  // empty record id or one over 256 bytes, and an empty secret or one over 1 KiB.
  Result<std::string> seal(std::string_view record_id, const SecretBytes& secret) const;
  // The secret `sealed` holds. Errors: invalid_request for text that is not a sealed secret,
  // or one that does not open (sealed for another record, altered, or under another key with
  // this id); precondition_failed when it names a master key not held here.
  Result<SecretBytes> open(std::string_view record_id, std::string_view sealed) const;

  // The id of the master key `sealed` was sealed under. Errors: invalid_request for text that
  // is not a sealed secret.
  static Result<std::string> master_of(std::string_view sealed);

 private:
  struct Key {
    std::string id;
    SecretBytes bytes;
  };
  const Key* find(std::string_view id) const noexcept;
  std::vector<Key> keys_;
  std::string current_;
};

}  // namespace finfusion::vault
