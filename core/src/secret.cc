#include "finfusion/secret.h"

#include <sodium.h>

#include <algorithm>

#include <cstdint>
#include <cstring>

#include "internal/sodium_init.h"

namespace finfusion {

SecretBytes::SecretBytes(std::size_t size)
    : data_(size ? new std::uint8_t[size]() : nullptr), size_(size) {}

SecretBytes SecretBytes::FromView(std::string_view bytes) {
  SecretBytes out(bytes.size());
  if (!bytes.empty()) std::memcpy(out.data_.get(), bytes.data(), bytes.size());
  return out;
}

SecretBytes::SecretBytes(const SecretBytes& other) : SecretBytes(FromView(other.view())) {}

SecretBytes& SecretBytes::operator=(const SecretBytes& other) {
  if (this != &other) *this = FromView(other.view());  // ct-ok: a pointer comparison, not of the bytes
  return *this;
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::move(other.data_)), size_(other.size_) {
  other.size_ = 0;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    wipe();
    data_ = std::move(other.data_);
    size_ = other.size_;
    other.size_ = 0;
  }
  return *this;
}

SecretBytes::~SecretBytes() { wipe(); }

void SecretBytes::wipe() noexcept {
  if (data_ && size_) sodium_memzero(data_.get(), size_);
  data_.reset();
  size_ = 0;
}

bool SecretBytes::equals(const SecretBytes& other) const noexcept {
  return constant_time_equals(view(), other.view());
}

bool SecretBytes::equals(std::string_view other) const noexcept {
  return constant_time_equals(view(), other);
}

Result<SecretBytes> random_secret(std::size_t size) {
  if (size == 0 || size > (1u << 20)) {
    return Status(Code::kInvalidRequest, "a random secret must be 1 byte to 1 MiB long");
  }
  if (!internal::sodium_ready()) return Status(Code::kInternal, "libsodium could not start");
  SecretBytes out(size);
  randombytes_buf(out.data(), size);
  return out;
}

bool constant_time_equals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__aarch64__))
  // Eight bytes at a time with no early exit; the empty asm makes the accumulated
  // difference opaque, so the compiler cannot turn the loop into a search for the first
  // difference. sodium_memcmp does the same a byte at a time through a volatile, which
  // costs several times more on the verification path.
  std::uint64_t diff = 0;
  std::size_t i = 0;
  for (; i + 8 <= a.size(); i += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    diff |= x ^ y;
    __asm__ __volatile__("" : "+r"(diff));
  }
  for (; i < a.size(); ++i) {
    diff |= static_cast<std::uint8_t>(a[i] ^ b[i]);
    __asm__ __volatile__("" : "+r"(diff));
  }
  return diff == 0;
#else
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
#endif
}

void reserve_wiping(std::string& text, std::size_t extra) {
  if (text.size() + extra <= text.capacity()) return;
  std::string bigger;
  bigger.reserve(std::max(2 * text.capacity(), text.size() + extra));
  bigger.append(text);
  sodium_memzero(text.data(), text.size());
  text.swap(bigger);
}

}  // namespace finfusion
