// Base64 in the two alphabets the formats here use (RFC 4648 sections 4 and 5). Both
// directions run without a branch or a table lookup on the data, so secrets, stored-hash
// digests and signatures can all pass through them, and they cost a few nanoseconds where
// libsodium's per-character codec cost about 150.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace finfusion::internal {

enum class Base64 { kStandard, kUrlNoPadding };

// The length of the text for `bytes` bytes.
constexpr std::size_t base64_length(std::size_t bytes, Base64 variant) noexcept {
  return variant == Base64::kStandard ? (bytes + 2) / 3 * 4 : bytes / 3 * 4 + (bytes % 3 == 0 ? 0 : bytes % 3 + 1);
}

// Writes base64_length(bytes.size(), variant) characters at `out`.
void encode_base64_into(std::string_view bytes, Base64 variant, char* out) noexcept;
std::string encode_base64(std::string_view bytes, Base64 variant);

// The decoded bytes, or nothing when `text` is not canonical base64 of that variant (wrong
// alphabet, missing or extra padding, non-zero pad bits).
std::optional<std::string> decode_base64(std::string_view text, Base64 variant);
// The same decoding into `out`, which has `room` bytes: the number of bytes written, or
// nothing when `text` is not canonical or decodes to more than `room` bytes.
std::optional<std::size_t> decode_base64_into(std::string_view text, Base64 variant, unsigned char* out,
                                              std::size_t room) noexcept;

}  // namespace finfusion::internal
