#include "finfusion/lifecycle.h"

#include <vector>

#include "finfusion/key.h"
#include "internal/json.h"
#include "internal/text.h"

namespace finfusion::lifecycle {
namespace {

using internal::has_control;

bool is_space(char c) { return c == ' '; }

bool is_service_name(std::string_view s) {
  if (s.empty() || s.size() > kMaxServiceLength) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

// Reads an optional free-text field: bounded, no control characters.
std::string text_field(internal::ObjectReader& r, std::string_view name, std::size_t max) {
  auto v = r.string(name, max);
  if (!v) return {};
  if (has_control(*v)) r.fail(name, "must not contain control characters");
  return *v;
}

}  // namespace

Result<CreateRequest> parse_create_request(std::string_view json, time::Millis now,
                                           const keys::TypeTable& table) {
  auto doc = internal::parse_json(json, "request", kMaxRequestBytes, kMaxRequestDepth);
  if (!doc.ok()) return doc.status();
  internal::ObjectReader r(*doc, "");
  r.reject_unknown({"name", "type", "permissions", "expiration", "expiresAt", "service",
                    "parentKeyId", "owner", "purpose"});
  if (!r.ok()) return r.status();

  CreateRequest req;
  // name
  auto name = r.string("name", kMaxNameLength);
  if (r.ok() && !name) r.fail("name", "is required");
  if (r.ok()) {
    if (name->empty()) {
      r.fail("name", "must not be empty");
    } else if (has_control(*name)) {
      r.fail("name", "must not contain control characters");
    } else if (is_space(name->front()) || is_space(name->back())) {
      r.fail("name", "must not start or end with a space");
    }
    if (r.ok()) req.name = *name;
  }
  // type
  auto type_name = r.string("type", 32);
  if (r.ok() && !type_name) r.fail("type", "is required");
  if (r.ok()) {
    auto type = keys::type_from_name(*type_name);
    if (!type.ok()) {
      r.fail("type", "must be development, production or restricted");
    } else {
      req.type = *type;
    }
  }
  if (!r.ok()) return r.status();
  const keys::TypePolicy& policy = table.get(req.type);

  // permissions
  const internal::Json* perms = r.find("permissions");
  if (!perms) return Status(Code::kInvalidRequest, "permissions: is required");
  if (!perms->is_array()) return Status(Code::kInvalidRequest, "permissions: must be a list of scopes");
  if (perms->size() > policy.max_scopes) {
    return Status(Code::kInvalidRequest, "permissions: " + std::string(keys::type_name(req.type)) +
                                             " keys hold at most " + std::to_string(policy.max_scopes) +
                                             " scopes");
  }
  std::vector<std::string> texts;
  for (const auto& p : *perms) {
    if (!p.is_string()) return Status(Code::kInvalidRequest, "permissions: every entry must be a string");
    texts.push_back(p.get<std::string>());
  }
  auto set = scopes::ScopeSet::Create(texts);
  if (!set.ok()) return Status(Code::kInvalidRequest, "permissions: " + set.status().message());
  if (!policy.allows_global_wildcard) {
    for (const auto& s : set->entries()) {
      if (!s.deny() && s.path().empty()) {
        return Status(Code::kInvalidRequest, "permissions: " + std::string(keys::type_name(req.type)) +
                                                 " keys may not hold \"*\"");
      }
    }
  }
  req.scopes = std::move(set).value();

  // expiration
  auto latest = time::add(now, policy.max_lifetime);
  if (!latest.ok()) return Status(Code::kInvalidRequest, "now: out of range");
  bool has_expiration = r.find("expiration") != nullptr;
  bool has_expires_at = r.find("expiresAt") != nullptr;
  if (has_expiration && has_expires_at) {
    return Status(Code::kInvalidRequest, "expiresAt: give expiration or expiresAt, not both");
  }
  std::string_view field = has_expires_at ? "expiresAt" : "expiration";
  if (has_expiration || has_expires_at) {
    auto text = r.string(field, time::kMaxTimestampText);
    if (!r.ok()) return r.status();
    auto until = time::parse_until(*text);
    if (!until.ok()) return Status(Code::kInvalidRequest, std::string(field) + ": " + until.status().message());
    if (*until <= now) return Status(Code::kInvalidRequest, std::string(field) + ": is in the past");
    if (*until > *latest) {
      return Status(Code::kInvalidRequest, std::string(field) + ": beyond the " +
                                               *time::format_duration(policy.max_lifetime) +
                                               " maximum lifetime of " +
                                               std::string(keys::type_name(req.type)) + " keys");
    }
    req.expires_at = *until;
  } else {
    req.expires_at = *latest;
  }

  // service and parent: restricted keys only, and then required
  auto service = r.string("service", kMaxServiceLength);
  auto parent = r.string("parentKeyId", keys::kMaxKeyIdLength);
  if (!r.ok()) return r.status();
  if (policy.requires_service) {
    if (!service) return Status(Code::kInvalidRequest, "service: is required for restricted keys");
    if (!parent) return Status(Code::kInvalidRequest, "parentKeyId: is required for restricted keys");
  } else {
    if (service) return Status(Code::kInvalidRequest, "service: only restricted keys are bound to a service");
    if (parent) return Status(Code::kInvalidRequest, "parentKeyId: only restricted keys have a parent key");
  }
  if (service) {
    if (!is_service_name(*service)) {
      return Status(Code::kInvalidRequest, "service: use 1 to 64 of [a-z0-9-]");
    }
    req.service = *service;
  }
  if (parent) {
    auto id = keys::parse_id(*parent);
    if (!id.ok()) return Status(Code::kInvalidRequest, "parentKeyId: not a key id (" + std::string(id.status().code_name()) + ")");
    req.parent_key_id = *parent;
  }

  req.owner = text_field(r, "owner", kMaxTextFieldLength);
  req.purpose = text_field(r, "purpose", kMaxTextFieldLength);
  if (!r.ok()) return r.status();
  return req;
}

std::string CreateRequest::to_json() const {
  internal::OrderedJson out = internal::OrderedJson::object();
  out["name"] = name;
  out["type"] = std::string(keys::type_name(type));
  out["permissions"] = scopes.to_strings();
  out["expiresAt"] = *time::format_timestamp(expires_at);
  if (!service.empty()) out["service"] = service;
  if (!parent_key_id.empty()) out["parentKeyId"] = parent_key_id;
  if (!owner.empty()) out["owner"] = owner;
  if (!purpose.empty()) out["purpose"] = purpose;
  return out.dump();
}

}  // namespace finfusion::lifecycle
