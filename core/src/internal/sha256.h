// HMAC-SHA256 under one key with its pads absorbed once, and SHA-256, on the CPU's SHA
// extensions when it has them (x86-64 SHA-NI, detected at run time) and through libsodium
// otherwise (other CPUs, WebAssembly). Both paths give the same bytes; the tests check them
// against each other, NIST's examples and Wycheproof.
#pragma once

#include <sodium.h>

#include <array>
#include <cstdint>
#include <string_view>

namespace finfusion::internal {

using Sha256Digest = std::array<unsigned char, 32>;

// True when this process computes SHA-256 on the SHA extensions.
bool sha256_in_hardware() noexcept;

// SHA-256 of `message` on the path this process uses (libsodium when `portable`).
Sha256Digest sha256(std::string_view message, bool portable = false);

// HMAC-SHA256 keyed once: the inner and outer pads are compressed when the key is made, so
// a tag costs the message's blocks and one more. Holds key material: wiped when destroyed.
class HmacSha256Key {
 public:
  // `key` of any length (one over 64 bytes is hashed first, as RFC 2104 says).
  explicit HmacSha256Key(std::string_view key, bool portable = false);
  ~HmacSha256Key();
  HmacSha256Key(const HmacSha256Key& other) = default;
  HmacSha256Key& operator=(const HmacSha256Key&) = default;

  void tag(std::string_view message, unsigned char out[32]) const;

 private:
  bool hardware_;
  alignas(16) std::uint32_t inner_[8];  // the midstates after the pads (hardware path)
  alignas(16) std::uint32_t outer_[8];
  crypto_auth_hmacsha256_state sodium_;  // the same, as libsodium keeps it
};

}  // namespace finfusion::internal
