#include "finfusion/client.h"

#include "finfusion/key.h"
#include "internal/json.h"

namespace finfusion::client {

Result<Config> configure(std::string_view api_key, std::string_view environment, std::string_view options_json) {
  if (api_key.empty()) {
    return Status(Code::kInvalidRequest, "api_key: is required (is FINFUSION_API_KEY set?)");
  }
  auto parsed = keys::parse(api_key);
  if (!parsed.ok()) return Status(parsed.code(), "api_key: " + parsed.status().message());
  keys::Environment env;
  if (environment == "development") {
    env = keys::Environment::kSandbox;
  } else {
    auto e = keys::environment_from_name(environment);
    if (!e.ok()) return Status(Code::kInvalidRequest, "environment: use production or sandbox");
    env = *e;
  }
  if (env != parsed->environment) {
    return Status(Code::kEnvironmentMismatch, "environment: a " + std::string(keys::type_name(parsed->type)) +
                                                  " key works in " +
                                                  std::string(keys::environment_name(parsed->environment)) +
                                                  ", not in " + std::string(keys::environment_name(env)));
  }
  Config c;
  c.key_id = parsed->id;
  c.type = parsed->type;
  c.environment = env;
  auto doc = internal::parse_json(options_json.empty() ? "{}" : options_json, "options", 4096, 2);
  if (!doc.ok()) return doc.status();
  internal::ObjectReader r(*doc, "options");
  r.reject_unknown({"timeout", "retries"});
  if (auto t = r.integer("timeout", 1, kMaxTimeoutMs)) c.timeout_ms = *t;
  if (auto n = r.integer("retries", 0, kMaxRetries)) c.retries = *n;
  if (!r.ok()) return r.status();
  return c;
}

}  // namespace finfusion::client
