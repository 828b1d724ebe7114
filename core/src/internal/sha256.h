// SHA-256 and HMAC-SHA256 on the CPU's SHA extensions when it has them (x86-64 SHA-NI,
// detected at run time) and in portable C++ otherwise (other CPUs, WebAssembly), through one
// buffered state. Both paths give the same bytes; the tests check them against each other,
// against libsodium's SHA-256 and HMAC (an independent implementation), NIST's examples and
// Wycheproof. Stored key hashes, request signatures, webhook signatures and Content-Digest
// all hash through here.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace finfusion::internal {

using Sha256Digest = std::array<unsigned char, 32>;

// True when this process computes SHA-256 on the SHA extensions.
bool sha256_in_hardware() noexcept;

// SHA-256 over data given in parts. Its state may hold key material (an HMAC's pads): it is
// wiped when finished and when destroyed.
class Sha256 {
 public:
  explicit Sha256(bool portable = false);
  ~Sha256();
  Sha256(const Sha256& other) = default;
  Sha256& operator=(const Sha256& other) = default;

  void update(std::string_view data);
  // The digest of everything given; the state is wiped (update no more).
  void finish(unsigned char out[32]);

 private:
  friend class HmacSha256Key;
  struct State {
    alignas(16) std::uint32_t h[8];  // the chaining value
    std::uint64_t bytes;              // the bytes absorbed
    std::size_t used;                 // and buffered (under a block)
    unsigned char buffer[64];
  };
  bool hardware_;  // the SHA extensions compress its blocks, else portable C++
  State st_;
};

// SHA-256 of `message` on the path this process uses (portable C++ when `portable`).
Sha256Digest sha256(std::string_view message, bool portable = false);

// HMAC-SHA256 keyed once: the inner and outer pads are compressed when the key is made, so
// a tag costs the message's blocks and one more. Holds key material: wiped when destroyed.
class HmacSha256Key {
 public:
  // `key` of any length (one over 64 bytes is hashed first, as RFC 2104 says).
  explicit HmacSha256Key(std::string_view key, bool portable = false);

  // The tag of the message given in parts, concatenated.
  void tag(std::initializer_list<std::string_view> parts, unsigned char out[32]) const;
  void tag(std::string_view message, unsigned char out[32]) const;

 private:
  Sha256 inner_, outer_;  // after absorbing the pads
};

}  // namespace finfusion::internal
