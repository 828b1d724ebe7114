// finfusion/client.h - the seed's client configuration, checked once for every binding:
//
//   FinFusion(api_key=os.environ.get('FINFUSION_API_KEY'), environment='production',
//             options={'timeout': 30000, 'retries': 3})
//
//   auto config = finfusion::client::configure(key, "production", R"({"timeout": 30000, "retries": 3})");
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "finfusion/key_type.h"
#include "finfusion/status.h"

namespace finfusion::client {

inline constexpr std::int64_t kDefaultTimeoutMs = 30000;
inline constexpr std::int64_t kMaxTimeoutMs = 600000;
inline constexpr std::int64_t kDefaultRetries = 3;
inline constexpr std::int64_t kMaxRetries = 10;

struct Config {
  std::string key_id;        // the client's own key id ("prod_..."): its identity in audit logs
  keys::KeyType type = keys::KeyType::kDevelopment;
  keys::Environment environment = keys::Environment::kSandbox;
  std::int64_t timeout_ms = kDefaultTimeoutMs;
  std::int64_t retries = kDefaultRetries;
};

// Checks the client's arguments. `api_key` must be a well-formed key (its format code
// otherwise; invalid_request when empty, as when the environment variable is unset);
// `environment` is "production" or "sandbox" ("development" is accepted as "sandbox"), and
// must match the key's own (a dev_ key with "production" is environment_mismatch);
// `options_json` is an object with optional "timeout" (ms, 1-600000) and "retries"
// (0-10). Errors: invalid_request naming the field, the key's format code,
// environment_mismatch. Messages never contain the key.
Result<Config> configure(std::string_view api_key, std::string_view environment, std::string_view options_json);

}  // namespace finfusion::client
