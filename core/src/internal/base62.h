// Base62 (0-9A-Za-z) digits and fixed-width encoding, as the key format uses them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace finfusion::internal {

inline constexpr std::string_view kBase62Alphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// Branch-free range tests ('A'..'Z' fold onto 'a'..'z'): key characters are random, so a
// branch per class would mispredict, and loops over them vectorise.
constexpr bool is_base62(char ch) noexcept {
  auto c = static_cast<unsigned char>(ch);
  bool digit = static_cast<unsigned char>(c - '0') < 10;
  bool letter = static_cast<unsigned char>((c | 0x20) - 'a') < 26;
  return digit | letter;
}

// `value` in base62, most significant digit first, left-padded with '0' to `width`.
// Precondition: 62^width > value.
std::string base62_fixed(std::uint64_t value, std::size_t width);

// The value of a base62 numeral of 1..10 digits, or nothing (bad digit, empty, too long).
std::optional<std::uint64_t> base62_decode(std::string_view digits) noexcept;

}  // namespace finfusion::internal
