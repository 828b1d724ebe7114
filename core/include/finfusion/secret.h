// finfusion/secret.h - SecretBytes, the one type that holds key material.
//
// The bytes live in their own heap block, are wiped (sodium_memzero) when the value is
// destroyed or overwritten, never appear in to_string-like output, and compare in
// constant time. Copies are explicit deep copies that are wiped in turn.
//
//   finfusion::SecretBytes pepper = finfusion::SecretBytes::FromView(raw32);
//   bool same = pepper.equals(other);   // constant time for equal lengths
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "finfusion/status.h"

namespace finfusion {

class SecretBytes {
 public:
  SecretBytes() = default;
  // `size` zero bytes.
  explicit SecretBytes(std::size_t size);
  // A copy of `bytes`; the caller remains responsible for wiping its own copy.
  static SecretBytes FromView(std::string_view bytes);

  SecretBytes(const SecretBytes& other);
  SecretBytes& operator=(const SecretBytes& other);
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  ~SecretBytes();

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::uint8_t* data() noexcept { return data_.get(); }
  const std::uint8_t* data() const noexcept { return data_.get(); }
  // The bytes as text. Callers must not copy the view into logs or messages.
  std::string_view view() const noexcept {
    return {reinterpret_cast<const char*>(data_.get()), size_};
  }

  // Constant time in the length for equal lengths; different lengths are unequal
  // (lengths are public in every format here).
  bool equals(const SecretBytes& other) const noexcept;
  bool equals(std::string_view other) const noexcept;

 private:
  void wipe() noexcept;

  std::unique_ptr<std::uint8_t[]> data_;
  std::size_t size_ = 0;
};

// `size` bytes from libsodium's CSPRNG (for peppers and other server secrets).
// Errors: internal when libsodium cannot start; invalid_request for size 0 or above 1 MiB.
Result<SecretBytes> random_secret(std::size_t size);

// Constant-time equality of two byte strings of equal length; different lengths are
// unequal without comparing.
bool constant_time_equals(std::string_view a, std::string_view b) noexcept;

// Makes room in `text` for `extra` more bytes; when it must grow, its content moves into a
// larger buffer and the one it leaves is wiped (a std::string that grows frees its old buffer
// unwiped). For a string being filled with a secret, or with text that may hold one.
void reserve_wiping(std::string& text, std::size_t extra);

}  // namespace finfusion
