// The layout the facade's verification hot path shares with the core (ff_fast_verify in
// exports.cc; embind.cc creates a FastVerify for each Registry and sets its context).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "finfusion/registry.h"

namespace finfusion_wasm {

// ---- the verification hot path, without embind ----
// JavaScript writes the key into `key` (TextEncoder.encodeInto on the heap) and calls the
// plain export ff_fast_verify, which leaves the decision in `result` at fixed offsets
// (read through the heap views): no embind strings, no JSON. The context (required scopes,
// environment, service, actor, signer) is set through embind only when it changes.
struct FastResult {
  double expires_at, grace_until, rate_limit, rate_remaining, retry_after;  // offsets 0..39
  std::int32_t status;        // 40: 0, or the failure's code index (its message in `error`)
  std::int32_t valid;         // 44
  std::int32_t code;          // 48: the code's index in codes()
  std::int32_t in_grace;      // 52
  std::int32_t key_id_len;    // 56: the key id is the key's first key_id_len characters
  std::int32_t type;          // 60: 0 none, 1 + KeyType
  std::int32_t environment;   // 64: 0 none, 1 sandbox, 2 production
  std::int32_t has_expiry;    // 68
  std::int32_t has_grace;     // 72
  std::uint32_t replaced_by;  // 76: address and length
  std::int32_t replaced_by_len;  // 80
  std::uint32_t scopes;       // 84: address and length, joined by '\n'
  std::int32_t scopes_len;    // 88
  std::int32_t scopes_same;   // 92: 1 when the scopes are the previous decision's
};
static_assert(offsetof(FastResult, status) == 40 && offsetof(FastResult, scopes_same) == 92, "the layout api.js reads");

struct FastVerify {
  explicit FastVerify(finfusion::registry::Registry* r) : registry(r) {}
  finfusion::registry::Registry* registry;
  finfusion::registry::VerifyContext context;
  finfusion::registry::Decision decision;
  std::vector<std::string> last_scopes;
  std::string scopes_text, error;
  FastResult result{};
  char key[256] = {};
};

}  // namespace finfusion_wasm
