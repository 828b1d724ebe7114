#include "finfusion/key_type.h"

#include "internal/json.h"
#include "internal/text.h"

namespace finfusion::keys {
namespace {

struct TypeInfo {
  std::string_view name;
  std::string_view prefix;
  Environment environment;
};

constexpr std::array<TypeInfo, 3> kTypeInfo = {{
    {"development", "dev", Environment::kSandbox},
    {"production", "prod", Environment::kProduction},
    {"restricted", "rest", Environment::kProduction},
}};

const TypeInfo& info(KeyType type) { return kTypeInfo[static_cast<std::size_t>(type)]; }

constexpr std::int64_t kMaxRateRequests = 1'000'000'000;
constexpr std::int64_t kMaxScopesLimit = 256;

TypePolicy default_policy(KeyType type) {
  TypePolicy p;
  p.type = type;
  p.environment = info(type).environment;
  p.rotation_period = 90 * time::kDay;  // the seed: rotate every 90 days
  p.rotation_warning = 14 * time::kDay;
  p.max_scopes = 64;
  switch (type) {
    case KeyType::kDevelopment:
      p.max_lifetime = 365 * time::kDay;
      p.rate_limit = {10, time::kSecond};
      break;
    case KeyType::kProduction:
      p.max_lifetime = 730 * time::kDay;
      p.rate_limit = {100, time::kSecond};
      break;
    case KeyType::kRestricted:
      p.max_lifetime = 365 * time::kDay;
      p.rate_limit = {50, time::kSecond};
      p.max_scopes = 16;
      p.requires_service = true;
      p.allows_global_wildcard = false;
      break;
  }
  return p;
}

}  // namespace

std::string_view type_name(KeyType type) noexcept { return info(type).name; }
std::string_view type_prefix(KeyType type) noexcept { return info(type).prefix; }
Environment type_environment(KeyType type) noexcept { return info(type).environment; }

std::string_view environment_name(Environment environment) noexcept {
  return environment == Environment::kSandbox ? "sandbox" : "production";
}

Result<KeyType> type_from_name(std::string_view name) {
  for (KeyType t : kAllTypes) {
    if (type_name(t) == name) return t;
  }
  return Status(Code::kInvalidRequest, "unknown key type " + internal::quote(name, 24) +
                                           " (development, production or restricted)");
}

Result<Environment> environment_from_name(std::string_view name) {
  if (name == "sandbox") return Environment::kSandbox;
  if (name == "production") return Environment::kProduction;
  return Status(Code::kInvalidRequest,
                "unknown environment " + internal::quote(name, 24) + " (sandbox or production)");
}

std::optional<KeyType> type_from_prefix(std::string_view prefix) noexcept {
  for (KeyType t : kAllTypes) {
    if (type_prefix(t) == prefix) return t;
  }
  return std::nullopt;
}

TypeTable TypeTable::Defaults() {
  TypeTable table;
  for (KeyType t : kAllTypes) table.policies_[static_cast<std::size_t>(t)] = default_policy(t);
  return table;
}

Result<TypeTable> TypeTable::Create(std::string_view overrides_json) {
  auto doc = internal::parse_json(overrides_json, "type table");
  if (!doc.ok()) return doc.status();
  internal::ObjectReader top(*doc, "");
  top.reject_unknown({"development", "production", "restricted"});
  if (!top.ok()) return top.status();

  TypeTable table = Defaults();
  for (KeyType t : kAllTypes) {
    const internal::Json* entry = top.find(type_name(t));
    if (!entry) continue;
    TypePolicy& p = table.policies_[static_cast<std::size_t>(t)];
    internal::ObjectReader r(*entry, std::string(type_name(t)));
    r.reject_unknown({"max_lifetime", "rotation_period", "rotation_warning", "rate_limit", "max_scopes",
                      "requires_signed_requests"});
    if (auto v = r.boolean("requires_signed_requests")) p.requires_signed_requests = *v;
    if (auto v = r.duration("max_lifetime")) p.max_lifetime = *v;
    if (auto v = r.duration("rotation_period")) p.rotation_period = *v;
    if (auto v = r.duration("rotation_warning")) p.rotation_warning = *v;
    if (auto v = r.integer("max_scopes", 1, kMaxScopesLimit)) p.max_scopes = static_cast<std::size_t>(*v);
    if (const internal::Json* rl = r.find("rate_limit")) {
      internal::ObjectReader rr(*rl, r.path_of("rate_limit"));
      rr.reject_unknown({"requests", "window"});
      if (auto v = rr.integer("requests", 1, kMaxRateRequests)) p.rate_limit.requests = *v;
      if (auto v = rr.duration("window")) p.rate_limit.window = *v;
      if (rr.ok() && p.rate_limit.window < 1) rr.fail("window", "must be at least 1ms");
      if (!rr.ok()) return rr.status();
    }
    if (r.ok() && p.max_lifetime < time::kSecond) r.fail("max_lifetime", "must be at least 1s");
    if (r.ok() && p.rotation_period < time::kSecond) r.fail("rotation_period", "must be at least 1s");
    if (r.ok() && p.rotation_period > p.max_lifetime) {
      r.fail("rotation_period", "must not be longer than max_lifetime");
    }
    if (r.ok() && p.rotation_warning >= p.rotation_period) {
      r.fail("rotation_warning", "must be shorter than rotation_period");
    }
    if (!r.ok()) return r.status();
  }
  return table;
}

std::string TypeTable::to_json() const {
  internal::Json out = internal::Json::object();
  for (const TypePolicy& p : policies_) {
    out[std::string(type_name(p.type))] = {
        {"max_lifetime", *time::format_duration(p.max_lifetime)},
        {"rotation_period", *time::format_duration(p.rotation_period)},
        {"rotation_warning", *time::format_duration(p.rotation_warning)},
        {"rate_limit",
         {{"requests", p.rate_limit.requests}, {"window", *time::format_duration(p.rate_limit.window)}}},
        {"max_scopes", p.max_scopes},
        {"requires_signed_requests", p.requires_signed_requests},
    };
  }
  return out.dump();
}

}  // namespace finfusion::keys
