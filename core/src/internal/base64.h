// Base64 in the two alphabets the formats here use, through libsodium's constant-time codec
// (signatures and secrets pass through it).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace finfusion::internal {

enum class Base64 { kStandard, kUrlNoPadding };

std::string encode_base64(std::string_view bytes, Base64 variant);

// The decoded bytes, or nothing when `text` is not canonical base64 of that variant (wrong
// alphabet, missing or extra padding, non-zero pad bits).
std::optional<std::string> decode_base64(std::string_view text, Base64 variant);

}  // namespace finfusion::internal
