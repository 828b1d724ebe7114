// HMAC-SHA256 through libsodium, over a message given in parts (signature bases, and the
// Standard Webhooks "id.timestamp.payload" without building it). The state is wiped.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace finfusion::internal {

// The 32-byte tag of the concatenated parts under `key` (any length).
std::string hmac_sha256(std::string_view key, std::initializer_list<std::string_view> parts);

}  // namespace finfusion::internal
