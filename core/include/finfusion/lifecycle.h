// finfusion/lifecycle.h - the key lifecycle's pure functions, starting with the create
// request of the seed:
//
//   {"name": "Production API Key", "type": "production",
//    "permissions": ["payments", "kyc", "reporting"], "expiration": "2025-12-31"}
//
// Nothing here reads a clock or a store: callers pass `now` and the policy table, and get a
// validated value (or a field-level error) back.
//
//   auto req = finfusion::lifecycle::parse_create_request(body, now, table);
//   if (!req.ok()) return req.status();   // invalid_request: "expiration: in the past"
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "finfusion/key_type.h"
#include "finfusion/scope.h"
#include "finfusion/status.h"
#include "finfusion/time.h"

namespace finfusion::lifecycle {

inline constexpr std::size_t kMaxNameLength = 128;       // bytes of UTF-8
inline constexpr std::size_t kMaxTextFieldLength = 256;  // owner, purpose
inline constexpr std::size_t kMaxServiceLength = 64;
inline constexpr std::size_t kMaxRequestBytes = 16 * 1024;
inline constexpr std::size_t kMaxRequestDepth = 4;

// A validated request to create a key.
struct CreateRequest {
  std::string name;
  keys::KeyType type = keys::KeyType::kDevelopment;
  scopes::ScopeSet scopes;        // from "permissions"
  time::Millis expires_at = 0;    // the first instant the key no longer works
  std::string service;            // restricted keys: the service they are bound to
  std::string parent_key_id;      // restricted keys: the key they are derived from
  std::string owner;              // optional
  std::string purpose;            // optional

  // The request in canonical JSON: camelCase fields, scopes canonical, "expiresAt" as
  // canonical UTC text, empty optional fields left out. Parsing it again (with the same
  // `now` and table) gives the same request.
  std::string to_json() const;
};

// Validates a create request (a JSON object) at `now` under `table`.
//
// Fields: "name" (required; 1-128 bytes of UTF-8, no control characters, not blank, no
// leading or trailing space), "type" (required; development | production | restricted),
// "permissions" (required; a list of scopes, at most the type's max_scopes; restricted keys
// may not hold "*"), "expiration" (optional; a date, which covers that whole UTC day, or an
// RFC 3339 instant; after `now` and no later than now + the type's max_lifetime; default
// now + max_lifetime), "service" (required for restricted keys, refused for others;
// [a-z0-9-]{1,64}), "parentKeyId" (required for restricted keys, refused for others; a key
// id), "owner" and "purpose" (optional; at most 256 bytes, no control characters), and
// "expiresAt" (the canonical spelling of "expiration"; give one or the other).
//
// Errors: invalid_request naming the field for everything above, for unknown fields, wrong
// JSON types, duplicate keys, nesting deeper than 4 or text over 16 KiB; the message of a
// bad scope or time keeps the core's reason.
Result<CreateRequest> parse_create_request(std::string_view json, time::Millis now,
                                           const keys::TypeTable& table);

}  // namespace finfusion::lifecycle
