// libsodium start-up, done once before the first call that needs it.
#pragma once

namespace finfusion::internal {

// Initialises libsodium once (thread-safe); false if it could not be (no random source).
bool sodium_ready() noexcept;

}  // namespace finfusion::internal
