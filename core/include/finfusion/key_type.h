// finfusion/key_type.h - the three key types and the policy table that governs them.
//
// The seed's types: development (prefix dev_, environment sandbox), production (prod_,
// production) and restricted (rest_, production, limited scopes, bound to a named
// service). Name, prefix, environment and the restricted rules are fixed by the key
// format; lifetimes, rotation periods and rate limits are data that a deployment
// overrides with JSON:
//
//   auto table = finfusion::keys::TypeTable::Create(
//       R"({"production": {"max_lifetime": "365d", "rate_limit": {"requests": 500, "window": "1s"}}})");
//   finfusion::time::Millis period = table->get(KeyType::kProduction).rotation_period;
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "finfusion/status.h"
#include "finfusion/time.h"

namespace finfusion::keys {

enum class KeyType : std::uint8_t { kDevelopment = 0, kProduction = 1, kRestricted = 2 };
enum class Environment : std::uint8_t { kSandbox = 0, kProduction = 1 };

inline constexpr std::array<KeyType, 3> kAllTypes = {KeyType::kDevelopment, KeyType::kProduction,
                                                     KeyType::kRestricted};

// "development", "production", "restricted".
std::string_view type_name(KeyType type) noexcept;
// "dev", "prod", "rest" (the key text adds the "_").
std::string_view type_prefix(KeyType type) noexcept;
// "sandbox", "production".
std::string_view environment_name(Environment environment) noexcept;
// The environment a type's keys live in.
Environment type_environment(KeyType type) noexcept;

// Errors: invalid_request for a name outside the three (names are case-sensitive).
Result<KeyType> type_from_name(std::string_view name);
// Errors: invalid_request for a name other than "sandbox" or "production".
Result<Environment> environment_from_name(std::string_view name);
// The type with this prefix (without "_"), or nothing.
std::optional<KeyType> type_from_prefix(std::string_view prefix) noexcept;

struct RateLimit {
  std::int64_t requests = 0;  // allowed per window, >= 1
  time::Millis window = 0;    // >= 1 ms
};

struct TypePolicy {
  KeyType type = KeyType::kDevelopment;
  Environment environment = Environment::kSandbox;
  time::Millis max_lifetime = 0;      // a key never lives longer than this from creation
  time::Millis rotation_period = 0;   // rotation is due this long after creation
  time::Millis rotation_warning = 0;  // "due soon" this long before rotation is due
  RateLimit rate_limit;               // the default limit for keys of this type
  std::size_t max_scopes = 0;         // the most scope entries a key of this type holds
  bool requires_service = false;      // fixed: restricted keys name the service they serve
  bool allows_global_wildcard = true; // fixed: restricted keys may not hold the scope "*"
  // Configurable: verification also needs a valid RFC 9421 signature made with the key's
  // own id as keyid (the seed's "enhanced security" for restricted keys). Off by default.
  bool requires_signed_requests = false;
};

class TypeTable {
 public:
  // The built-in policies (docs/key-format.md lists them):
  //   development: max lifetime 365d, rotation 90d (warning 14d), 10 requests per second, 64 scopes
  //   production:  max lifetime 730d, rotation 90d (warning 14d), 100 requests per second, 64 scopes
  //   restricted:  max lifetime 365d, rotation 90d (warning 14d), 50 requests per second, 16 scopes
  static TypeTable Defaults();

  // The defaults with a deployment's overrides applied. `overrides_json` is an object
  // keyed by type name; each value may set "max_lifetime", "rotation_period",
  // "rotation_warning" (durations), "rate_limit" ({"requests": int, "window": duration})
  // and "max_scopes" (int). Errors: invalid_request naming the field (bad JSON,
  // duplicate key, unknown type or field, wrong JSON type, out of range, a warning not
  // shorter than the rotation period, a rotation period longer than the max lifetime).
  static Result<TypeTable> Create(std::string_view overrides_json);

  const TypePolicy& get(KeyType type) const noexcept {
    return policies_[static_cast<std::size_t>(type)];
  }

  // The whole table as canonical JSON (durations in canonical text), in the override
  // format, so that Create(to_json()) reproduces it.
  std::string to_json() const;

 private:
  TypeTable() = default;
  std::array<TypePolicy, 3> policies_{};
};

}  // namespace finfusion::keys
