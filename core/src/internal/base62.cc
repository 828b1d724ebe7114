#include "internal/base62.h"

namespace finfusion::internal {

std::string base62_fixed(std::uint64_t value, std::size_t width) {
  std::string out(width, '0');
  for (std::size_t i = width; i-- > 0 && value != 0;) {
    out[i] = kBase62Alphabet[value % 62];
    value /= 62;
  }
  return out;
}

std::optional<std::uint64_t> base62_decode(std::string_view digits) noexcept {
  if (digits.empty() || digits.size() > 10) return std::nullopt;  // 62^10 < 2^64
  std::uint64_t value = 0;
  for (char c : digits) {
    std::uint64_t d;
    if (c >= '0' && c <= '9') {
      d = static_cast<std::uint64_t>(c - '0');
    } else if (c >= 'A' && c <= 'Z') {
      d = static_cast<std::uint64_t>(c - 'A') + 10;
    } else if (c >= 'a' && c <= 'z') {
      d = static_cast<std::uint64_t>(c - 'a') + 36;
    } else {
      return std::nullopt;
    }
    value = value * 62 + d;
  }
  return value;
}

}  // namespace finfusion::internal
