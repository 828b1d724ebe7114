#include "finfusion/registry.h"

#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <tuple>
#include <utility>

#include "finfusion/lifecycle.h"
#include "internal/base64.h"
#include "internal/json.h"
#include "internal/registry_support.h"
#include "internal/sodium_init.h"
#include "internal/text.h"

namespace finfusion::registry {
namespace {

using internal::OrderedJson;

using namespace support;  // the helpers the Registry's files share

// The record of a key that continues `head`'s chain: the same metadata, version + 1.
KeyRecord successor(const KeyRecord& head, std::string id, std::string stored_hash, time::Millis now) {
  KeyRecord next;
  next.id = std::move(id);
  next.name = head.name;
  next.type = head.type;
  next.scopes = head.scopes;
  next.service = head.service;
  next.parent_id = head.parent_id;
  next.owner = head.owner;
  next.purpose = head.purpose;
  next.created_at = now;
  next.expires_at = head.expires_at;
  next.version = head.version + 1;
  next.replaces = head.id;
  next.stored_hash = std::move(stored_hash);
  return next;
}

}  // namespace

std::string_view status_name(KeyStatus status) noexcept {
  switch (status) {
    case KeyStatus::kActive: return "active";
    case KeyStatus::kDisabled: return "disabled";
    case KeyStatus::kRevoked: return "revoked";
  }
  return "active";
}

std::optional<KeyStatus> status_from_name(std::string_view name) noexcept {
  for (KeyStatus s : {KeyStatus::kActive, KeyStatus::kDisabled, KeyStatus::kRevoked}) {
    if (status_name(s) == name) return s;
  }
  return std::nullopt;
}

std::string KeyRecord::to_json() const {
  OrderedJson j = OrderedJson::object();
  j["id"] = id;
  j["name"] = name;
  j["type"] = std::string(keys::type_name(type));
  j["environment"] = std::string(keys::environment_name(environment()));
  j["permissions"] = scopes.to_strings();
  j["service"] = service;
  j["parentKeyId"] = parent_id;
  j["owner"] = owner;
  j["purpose"] = purpose;
  j["createdAt"] = instant_text(created_at);
  j["expiresAt"] = instant_text(expires_at);
  j["status"] = std::string(status_name(status));
  j["revokedAt"] = instant_or_null(revoked_at, status == KeyStatus::kRevoked);
  j["revokeReason"] = revoke_reason;
  j["version"] = version;
  j["replaces"] = replaces;
  j["replacedBy"] = replaced_by;
  j["graceUntil"] = instant_or_null(grace_until, !replaced_by.empty());
  j["lastUsedAt"] = instant_or_null(last_used_at, last_used_at != 0);
  return j.dump();
}

std::string Decision::to_json() const {
  OrderedJson j = OrderedJson::object();
  j["valid"] = valid;
  j["code"] = std::string(code_name(code));
  j["keyId"] = key_id;
  j["type"] = type;
  j["environment"] = environment;
  j["permissions"] = scopes;
  j["expiresAt"] = instant_or_null(expires_at, has_expiry());
  j["inGrace"] = in_grace;
  j["replacedBy"] = replaced_by;
  j["graceUntil"] = instant_or_null(grace_until, has_grace());
  j["rateLimit"] = {{"limit", rate_limit}, {"remaining", rate_remaining}, {"retryAfterMs", retry_after}};
  return j.dump();
}

std::string KeyState::to_json() const {
  OrderedJson j = OrderedJson::object();
  j["code"] = std::string(code_name(code));
  j["valid"] = code == Code::kValid;
  j["inGrace"] = in_grace;
  j["key"] = OrderedJson::parse(record.to_json());
  return j.dump();
}

bool is_email(std::string_view a) noexcept {
  if (a.empty() || a.size() > 254) return false;
  auto at = a.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64 || a.find('@', at + 1) != std::string_view::npos) return false;
  std::string_view local = a.substr(0, at), domain = a.substr(at + 1);
  for (char c : local) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view(".!#$%&'*+/=?^_`{|}~-").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
  if (domain.empty() || domain.find('.') == std::string_view::npos) return false;
  std::size_t start = 0;
  while (start <= domain.size()) {
    std::size_t end = domain.find('.', start);
    if (end == std::string_view::npos) end = domain.size();
    std::string_view label = domain.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    start = end + 1;
  }
  return true;
}

Registry::Registry(hashing::Hasher hasher, keys::TypeTable table, std::unique_ptr<Store> store,
                   std::optional<keys::RandomSource> random)
    : hasher_(std::move(hasher)),
      table_(std::move(table)),
      store_(store ? std::move(store) : make_memory_store()),
      random_(std::move(random)) {}

Result<keys::ApiKey> Registry::new_key(keys::KeyType type) {
  // A fresh id is 95 random bits; a clash is astronomically unlikely, but never overwrite.
  for (int attempt = 0; attempt < 4; ++attempt) {
    auto key = random_ ? keys::generate(type, *random_) : keys::generate(type);
    if (!key.ok()) return key.status();
    auto existing = store_->get(key->id());
    if (!existing.ok()) return existing.status();
    if (!existing->has_value()) return key;
  }
  return Status(Code::kInternal, "could not find a free key id");
}

Result<std::pair<keys::ApiKey, std::string>> Registry::issue(keys::KeyType type) {
  auto key = new_key(type);
  if (!key.ok()) return key.status();
  auto stored = hasher_.hash(key->reveal());
  if (!stored.ok()) return stored.status();
  return std::make_pair(std::move(key).value(), std::move(stored).value());
}

Result<Created> Registry::create(std::string_view request_json, time::Millis now, std::string_view actor) {
  return atomically<Created>(*store_, [&]() -> Result<Created> {
    if (Status s = check_text("actor", actor, kMaxActor); !s.ok()) return s;
    auto req = lifecycle::parse_create_request(request_json, now, table_);
    if (!req.ok()) return req.status();
    time::Millis expires_at = req->expires_at;
    if (!req->parent_key_id.empty()) {
      auto parent = store_->get(req->parent_key_id);
      if (!parent.ok()) return parent.status();
      if (!parent->has_value()) return Status(Code::kNotFound, "parentKeyId: no such key");
      const KeyRecord& p = **parent;
      if (state_of(p, now).code != Code::kValid) {
        return Status(Code::kPreconditionFailed, "parentKeyId: the parent key is not usable (" +
                                                     std::string(code_name(state_of(p, now).code)) + ")");
      }
      if (!scopes::is_subset(req->scopes, p.scopes)) {
        return Status(Code::kInsufficientScope, "permissions: exceed the parent key's scopes");
      }
      // A restricted key never outlives its parent (nor the parent's rotation window).
      expires_at = std::min(expires_at, p.replaced_by.empty() ? p.expires_at : std::min(p.expires_at, p.grace_until));
    }
    auto issued = issue(req->type);
    if (!issued.ok()) return issued.status();
    auto& [key, stored] = *issued;

    KeyRecord r;
    r.id = key.id();
    r.name = req->name;
    r.type = req->type;
    r.scopes = req->scopes;
    r.service = req->service;
    r.parent_id = req->parent_key_id;
    r.owner = req->owner;
    r.purpose = req->purpose;
    r.created_at = now;
    r.expires_at = expires_at;
    r.stored_hash = stored;
    OrderedJson details = {{"name", r.name}, {"type", std::string(keys::type_name(r.type))},
                           {"permissions", r.scopes.to_strings()}, {"expiresAt", instant_text(r.expires_at)}};
    if (!r.parent_id.empty()) details["parentKeyId"] = r.parent_id;
    Plan plan;
    plan.events.push_back(event(audit::kKeyCreated, &r, actor, Code::kValid, details.dump(), now));
    plan.records.push_back(r);
    Status applied = store_->apply(plan);
    if (!applied.ok()) return applied;
    return Created{std::move(r), std::move(key)};
  });
}

Result<KeyState> Registry::status(std::string_view id, time::Millis now) {
  auto found = get(id);
  if (!found.ok()) return found.status();
  return state_of(*found, now);
}

Result<Rotated> Registry::rotate(std::string_view id, time::Millis grace, const std::vector<std::string>& notify_emails,
                                 bool force, time::Millis now, std::string_view actor) {
  return atomically<Rotated>(*store_, [&]() -> Result<Rotated> {
    if (grace < 0 || grace > time::kMaxDurationMs) return Status(Code::kInvalidDuration, "gracePeriod: out of range");
    if (Status s = check_text("actor", actor, kMaxActor); !s.ok()) return s;
    if (notify_emails.size() > 20) return Status(Code::kInvalidRequest, "notifyEmails: at most 20 addresses");
    for (std::size_t i = 0; i < notify_emails.size(); ++i) {
      if (!is_email(notify_emails[i])) {
        return Status(Code::kInvalidRequest, "notifyEmails[" + std::to_string(i) + "]: not an email address");
      }
    }
    auto found = get(id);
    if (!found.ok()) return found.status();
    KeyRecord old = std::move(found).value();
    KeyState s = state_of(old, now);
    if (!force) {
      if (!old.replaced_by.empty() && s.code == Code::kValid) {
        return Status(Code::kConflict, "the key is already in its rotation window (rotated to " + old.replaced_by + ")");
      }
      if (s.code != Code::kValid) {
        return Status(Code::kConflict, "the key is " + std::string(code_name(s.code)) + "; force to rotate anyway");
      }
    }
    const keys::TypePolicy& policy = table_.get(old.type);
    auto longest = time::add(now, policy.max_lifetime);
    if (!longest.ok()) return longest.status();
    auto issued = issue(old.type);
    if (!issued.ok()) return issued.status();
    auto& [key, stored] = *issued;
    KeyRecord next = successor(old, key.id(), stored, now);
    // The credential's lifetime carries over; a forced rotation of a dead key starts afresh.
    next.expires_at = old.expires_at > now ? std::min(old.expires_at, *longest) : *longest;

    old.replaced_by = next.id;
    old.grace_until = std::min(now + grace, old.expires_at);
    OrderedJson details = {{"replacedBy", next.id},
                           {"gracePeriod", *time::format_duration(grace)},
                           {"graceUntil", instant_text(old.grace_until)},
                           {"notifyEmails", notify_emails},
                           {"version", next.version},
                           {"forced", force}};
    OrderedJson created = {{"replaces", old.id}, {"version", next.version}, {"expiresAt", instant_text(next.expires_at)}};
    Plan plan;
    plan.events.push_back(event(audit::kKeyRotated, &old, actor, Code::kValid, details.dump(), now));
    plan.events.push_back(event(audit::kKeyCreated, &next, actor, Code::kValid, created.dump(), now));
    plan.records.push_back(old);
    plan.records.push_back(next);
    if (!notify_emails.empty()) plan.queued.push_back(support::rotation_notice(old, next, notify_emails, actor, now));
    Status applied = store_->apply(plan);
    if (!applied.ok()) return applied;
    return Rotated{std::move(old), std::move(next), std::move(key)};
  });
}

Result<KeyRecord> Registry::revoke(std::string_view id, std::string_view reason, time::Millis now,
                                   std::string_view actor) {
  return atomically<KeyRecord>(*store_, [&]() -> Result<KeyRecord> {
    if (Status s = check_text("reason", reason, kMaxReason); !s.ok()) return s;
    if (Status s = check_text("actor", actor, kMaxActor); !s.ok()) return s;
    auto found = get(id);
    if (!found.ok()) return found.status();
    KeyRecord r = std::move(found).value();
    if (r.status == KeyStatus::kRevoked) return Status(Code::kConflict, "the key is already revoked");
    r.status = KeyStatus::kRevoked;
    r.revoked_at = now;
    r.revoke_reason = std::string(reason);
    OrderedJson details = {{"reason", r.revoke_reason}};
    Plan plan;
    plan.events.push_back(event(audit::kKeyRevoked, &r, actor, Code::kRevoked, details.dump(), now));
    plan.records.push_back(r);
    Status applied = store_->apply(plan);
    if (!applied.ok()) return applied;
    return r;
  });
}

std::string_view rotation_state(const KeyRecord& r, const keys::TypePolicy& policy, time::Millis now) {
  bool in_grace = false;
  if (state_code(r, now, in_grace) != Code::kValid || !r.replaced_by.empty()) return "inactive";
  time::Millis due = r.created_at + policy.rotation_period;
  if (now < due - policy.rotation_warning) return "ok";
  if (now < due) return "due_soon";
  if (now < due + policy.rotation_warning) return "due";
  return "overdue";
}

Result<EmergencyRevocation> Registry::emergency_revoke(std::string_view id, std::string_view reason, bool replace,
                                                       time::Millis now, std::string_view actor) {
  return atomically<EmergencyRevocation>(*store_, [&]() -> Result<EmergencyRevocation> {
    if (Status s = check_text("reason", reason, kMaxReason); !s.ok()) return s;
    if (Status s = check_text("actor", actor, kMaxActor); !s.ok()) return s;
    auto parsed = keys::parse_id(id);
    if (!parsed.ok()) return parsed.status();
    auto all = store_->list();
    if (!all.ok()) return all.status();
    std::map<std::string, KeyRecord> by_id;
    for (auto& r : *all) by_id.emplace(r.id, std::move(r));
    if (!by_id.count(std::string(id))) return Status(Code::kNotFound, "no such key");

    // The rotation chain of a key: walk back through `replaces`, forward through `replaced_by`.
    auto chain_of = [&](const std::string& start) {
      std::vector<std::string> chain;
      std::string first = start;
      for (int guard = 0; guard < 100000 && !by_id[first].replaces.empty() && by_id.count(by_id[first].replaces); ++guard) {
        first = by_id[first].replaces;
      }
      for (std::string cur = first; !cur.empty() && by_id.count(cur) && chain.size() < 100000; cur = by_id[cur].replaced_by) {
        chain.push_back(cur);
      }
      return chain;
    };
    // Chains to revoke, in order: the key's own, then those derived from any revoked key.
    std::vector<std::vector<std::string>> chains{chain_of(std::string(id))};
    std::map<std::string, std::size_t> chain_index;  // key id -> its chain
    for (const auto& k : chains[0]) chain_index[k] = 0;
    std::map<std::size_t, std::size_t> parent_chain;  // derived chain -> the chain it derives from
    for (std::size_t c = 0; c < chains.size(); ++c) {
      for (const auto& [rid, r] : by_id) {
        if (r.parent_id.empty() || chain_index.count(rid)) continue;
        auto parent = chain_index.find(r.parent_id);
        if (parent == chain_index.end() || parent->second != c) continue;
        chains.push_back(chain_of(rid));
        for (const auto& k : chains.back()) chain_index[k] = chains.size() - 1;
        parent_chain[chains.size() - 1] = c;
      }
    }

    EmergencyRevocation out;
    Plan plan;
    std::map<std::size_t, std::string> replaced;  // chain -> its replacement's id
    for (std::size_t c = 0; c < chains.size(); ++c) {
      const std::string& head_id = chains[c].back();
      bool continues = state_of(by_id[head_id], now).code == Code::kValid;
      for (const auto& kid : chains[c]) {
        KeyRecord& r = by_id[kid];
        if (r.status == KeyStatus::kRevoked) continue;
        r.status = KeyStatus::kRevoked;
        r.revoked_at = now;
        r.revoke_reason = std::string(reason);
        OrderedJson details = {{"reason", r.revoke_reason}, {"emergency", true}, {"trigger", std::string(id)}};
        plan.events.push_back(event(audit::kKeyRevoked, &r, actor, Code::kRevoked, details.dump(), now));
        plan.records.push_back(r);
        out.revoked.push_back(r);
      }
      if (!replace || !continues) continue;
      const KeyRecord& head = by_id[head_id];
      std::string parent_id = head.parent_id;
      if (c > 0) {
        auto p = replaced.find(parent_chain[c]);
        if (p == replaced.end()) continue;  // its parent chain does not continue
        parent_id = p->second;
      }
      auto issued = issue(head.type);
      if (!issued.ok()) return issued.status();
      auto& [key, stored] = *issued;
      KeyRecord next = successor(head, key.id(), stored, now);
      next.parent_id = parent_id;
      OrderedJson details = {{"replaces", head.id}, {"version", next.version}, {"emergency", true},
                             {"expiresAt", instant_text(next.expires_at)}};
      plan.events.push_back(event(audit::kKeyCreated, &next, actor, Code::kValid, details.dump(), now));
      plan.records.push_back(next);
      replaced[c] = next.id;
      out.replacements.push_back(Replacement{head.id, next, std::move(key)});
    }
    Status applied = store_->apply(plan);
    if (!applied.ok()) return applied;
    return out;
  });
}

Result<std::string> Registry::policy_report(time::Millis now) {
  auto all = store_->list();
  if (!all.ok()) return all.status();
  OrderedJson keys_json = OrderedJson::array();
  std::map<std::string, int> summary;
  for (const auto& r : *all) {
    const keys::TypePolicy& policy = table_.get(r.type);
    std::string state(rotation_state(r, policy, now));
    ++summary[state];
    KeyState s = state_of(r, now);
    OrderedJson k = OrderedJson::object();
    k["id"] = r.id;
    k["name"] = r.name;
    k["purpose"] = r.purpose;
    k["owner"] = r.owner;
    k["type"] = std::string(keys::type_name(r.type));
    k["state"] = std::string(code_name(s.code));
    k["ageDays"] = (now - r.created_at) / time::kDay;
    k["lastUsedAt"] = instant_or_null(r.last_used_at, r.last_used_at != 0);
    k["nextRotation"] = instant_text(r.created_at + policy.rotation_period);
    k["rotation"] = state;
    k["expiresAt"] = instant_text(r.expires_at);
    k["expiresSoon"] = s.code == Code::kValid && r.expires_at - now <= policy.rotation_warning;
    keys_json.push_back(k);
  }
  OrderedJson j = {{"at", instant_text(now)}, {"keys", keys_json}, {"summary", summary}};
  return j.dump();
}

Result<std::vector<Rotated>> Registry::rotate_due(time::Millis grace, const std::vector<std::string>& notify_emails,
                                                  time::Millis now, std::string_view actor) {
  if (auto valid = time::format_duration(grace); !valid.ok()) return valid.status();  // even when nothing is due
  auto all = store_->list();
  if (!all.ok()) return all.status();
  std::vector<Rotated> out;
  for (const auto& r : *all) {
    const std::string_view state = rotation_state(r, table_.get(r.type), now);
    if (state != "due" && state != "overdue") continue;
    auto rotated = rotate(r.id, grace, notify_emails, false, now, actor);
    if (!rotated.ok()) {
      if (rotated.code() == Code::kConflict) continue;  // rotated elsewhere meanwhile: done
      return rotated.status();
    }
    out.push_back(std::move(*rotated));
  }
  return out;
}

Result<KeyRecord> Registry::get(std::string_view id) {
  auto parsed = keys::parse_id(id);
  if (!parsed.ok()) return parsed.status();
  auto found = store_->get(id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return Status(Code::kNotFound, "no such key");
  return **found;
}

Result<std::vector<KeyRecord>> Registry::list() { return store_->list(); }

Result<std::vector<audit::Event>> Registry::logs(const LogQuery& query) {
  if (query.limit < 1 || query.limit > 1000) return Status(Code::kInvalidRequest, "limit: between 1 and 1000");
  for (const auto& t : query.event_types) {
    if (!audit::is_event_type(t)) {
      return Status(Code::kInvalidRequest, "eventTypes: unknown event type " + internal::quote(t, 32));
    }
  }
  if (!query.key_id.empty()) {
    auto parsed = keys::parse_id(query.key_id);
    if (!parsed.ok()) return parsed.status();
  }
  auto all = store_->events(query.key_id);
  if (!all.ok()) return all.status();
  std::vector<audit::Event> matching;
  for (auto& e : *all) {
    if (query.event_types.empty() ||
        std::find(query.event_types.begin(), query.event_types.end(), e.type) != query.event_types.end()) {
      matching.push_back(std::move(e));
    }
  }
  if (matching.size() > query.limit) matching.erase(matching.begin(), matching.end() - static_cast<std::ptrdiff_t>(query.limit));
  return matching;
}

Result<std::string> Registry::get_usage(std::string_view query_json) {
  auto q = usage::parse_query(query_json);
  if (!q.ok()) return q.status();
  auto found = store_->get(q->key_id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return Status(Code::kNotFound, "keyId: no such key");
  auto aggregates = store_->usage(q->key_id, q->start - usage::kBaselineMs, q->end);  // anomaly baselines
  if (!aggregates.ok()) return aggregates.status();
  return usage::report(*q, *aggregates);
}

Result<audit::ChainReport> Registry::verify_chain() {
  auto all = store_->events("");
  if (!all.ok()) return all.status();
  auto heads = store_->chain_heads();
  if (!heads.ok()) return heads.status();
  return audit::verify_chain(*all, *heads);
}

// ---- Encrypted export and import ----

namespace {

constexpr std::string_view kExportPrefix = "ffx1.";
constexpr std::string_view kExportAad = "finfusion-registry-export-v1";
constexpr std::size_t kMaxExportBytes = 256u * 1024 * 1024;

Status bad_export(std::string message) { return Status(Code::kInvalidRequest, "import: " + std::move(message)); }

OrderedJson record_export(const KeyRecord& r) {
  return {{"id", r.id}, {"name", r.name}, {"type", std::string(keys::type_name(r.type))},
          {"permissions", r.scopes.to_strings()}, {"service", r.service}, {"parentKeyId", r.parent_id},
          {"owner", r.owner}, {"purpose", r.purpose}, {"createdAt", r.created_at}, {"expiresAt", r.expires_at},
          {"status", std::string(status_name(r.status))}, {"revokedAt", r.revoked_at},
          {"revokeReason", r.revoke_reason}, {"version", r.version}, {"replaces", r.replaces},
          {"replacedBy", r.replaced_by}, {"graceUntil", r.grace_until}, {"storedHash", r.stored_hash},
          {"rateTatMs", r.rate.tat_ms}, {"rateTatFrac", r.rate.tat_frac}, {"lastUsedAt", r.last_used_at},
          {"expiryLogged", r.expiry_logged}};
}

Result<KeyRecord> record_import(const internal::Json& j) {
  internal::ObjectReader in(j, "records[]");
  KeyRecord r;
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min(), kMax = std::numeric_limits<std::int64_t>::max();
  auto text = [&](const char* name, std::string& out) {
    if (auto v = in.string(name, 4096)) out = *v;
  };
  auto number = [&](const char* name, std::int64_t& out) {
    if (auto v = in.integer(name, kMin, kMax)) out = *v;
  };
  std::string type, status;
  text("id", r.id);
  text("name", r.name);
  text("type", type);
  text("service", r.service);
  text("parentKeyId", r.parent_id);
  text("owner", r.owner);
  text("purpose", r.purpose);
  text("status", status);
  text("revokeReason", r.revoke_reason);
  text("replaces", r.replaces);
  text("replacedBy", r.replaced_by);
  text("storedHash", r.stored_hash);
  number("createdAt", r.created_at);
  number("expiresAt", r.expires_at);
  number("revokedAt", r.revoked_at);
  number("version", r.version);
  number("graceUntil", r.grace_until);
  number("rateTatMs", r.rate.tat_ms);
  number("rateTatFrac", r.rate.tat_frac);
  number("lastUsedAt", r.last_used_at);
  if (auto v = in.boolean("expiryLogged")) r.expiry_logged = *v;
  if (!in.ok()) return in.status();
  if (!keys::parse_id(r.id).ok()) return bad_export("a record's id is not a key id");
  auto t = keys::type_from_name(type);
  if (!t.ok()) return t.status();
  r.type = *t;
  std::optional<KeyStatus> known = status_from_name(status);
  if (!known) return bad_export("a record has an unknown status");
  r.status = *known;
  const internal::Json* perms = in.find("permissions");
  if (perms == nullptr || !perms->is_array()) return bad_export("a record has no permissions list");
  std::vector<std::string> texts;
  for (const auto& p : *perms) {
    if (!p.is_string()) return bad_export("a permission is not a string");
    texts.push_back(p.get<std::string>());
  }
  auto set = scopes::parse(texts);
  if (!set.ok()) return bad_export("a record's permissions: " + set.status().message());  // the export is at fault
  r.scopes = std::move(*set);
  if (!hashing::parse_stored(r.stored_hash).ok()) return bad_export("a record's stored hash is malformed");
  return r;
}

}  // namespace

Result<std::string> Registry::export_encrypted(const SecretBytes& key, time::Millis now) {
  if (key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES) {
    return Status(Code::kInvalidRequest, "an export key must be 32 bytes, not " + std::to_string(key.size()));
  }
  if (!internal::sodium_ready()) return Status(Code::kInternal, "libsodium could not be initialised");
  auto records = store_->list();
  if (!records.ok()) return records.status();
  auto events = store_->events("");
  if (!events.ok()) return events.status();
  OrderedJson doc = {{"format", "finfusion-registry-export"}, {"version", 1}, {"exportedAt", now}};
  // Built apart and moved in at the end: an ordered_json object is a vector, so a reference
  // into it would not survive the next key.
  OrderedJson out_records = OrderedJson::array();
  OrderedJson out_usage = OrderedJson::array();
  OrderedJson out_events = OrderedJson::array();
  for (const KeyRecord& r : *records) {
    out_records.push_back(record_export(r));
    auto aggregates = store_->usage(r.id, time::kMinInstant, time::kMaxInstant);
    if (!aggregates.ok()) return aggregates.status();
    for (const usage::Aggregate& a : *aggregates) {
      OrderedJson latency = OrderedJson::object();
      for (const auto& [bucket, count] : a.latency) latency[std::to_string(bucket)] = count;
      out_usage.push_back({{"keyId", r.id}, {"start", a.start}, {"requests", a.requests}, {"errors", a.errors},
                           {"outcomes", a.outcomes}, {"latency", latency}});
    }
  }
  for (const audit::Event& e : *events) {
    out_events.push_back({{"seq", e.seq}, {"at", e.at}, {"type", e.type}, {"keyId", e.key_id}, {"actor", e.actor},
                          {"outcome", e.outcome}, {"details", e.details}, {"prevHash", e.prev_hash}, {"hash", e.hash}});
    if (!e.writer.empty()) out_events.back()["writer"] = e.writer;
  }
  // Secrets stay sealed under the master keys: the importer needs the same ones to open them.
  auto secrets = store_->secrets();
  if (!secrets.ok()) return secrets.status();
  OrderedJson out_secrets = OrderedJson::array();
  for (const StoredSecret& secret : *secrets) {
    out_secrets.push_back({{"id", secret.id}, {"kind", secret.kind}, {"keyId", secret.key_id}, {"sealed", secret.sealed},
                           {"createdAt", secret.created_at}, {"updatedAt", secret.updated_at}});
  }
  auto outbox = store_->notifications({"", "", 0, support::kAllNotifications});
  if (!outbox.ok()) return outbox.status();
  OrderedJson out_notifications = OrderedJson::array();
  for (const Notification& n : *outbox) out_notifications.push_back(support::notification_export(n));
  doc["records"] = std::move(out_records);
  doc["usage"] = std::move(out_usage);
  doc["events"] = std::move(out_events);
  doc["secrets"] = std::move(out_secrets);
  doc["notifications"] = std::move(out_notifications);

  std::string plain = doc.dump();
  std::string sealed(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(sealed.data());
  randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  unsigned long long sealed_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &sealed_len,
                                             reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                                             reinterpret_cast<const unsigned char*>(kExportAad.data()), kExportAad.size(),
                                             nullptr, nonce, key.data());
  sodium_memzero(plain.data(), plain.size());  // stored hashes: not keys, but not for the world either
  return std::string(kExportPrefix) + internal::encode_base64(sealed, internal::Base64::kUrlNoPadding);
}

Status Registry::import_encrypted(std::string_view text, const SecretBytes& key) {
  if (key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES) {
    return Status(Code::kInvalidRequest, "an export key must be 32 bytes, not " + std::to_string(key.size()));
  }
  if (text.size() > kMaxExportBytes) return bad_export("longer than 256 MiB");
  if (text.substr(0, kExportPrefix.size()) != kExportPrefix) return bad_export("not a FinFusion export (ffx1.)");
  auto sealed = internal::decode_base64(text.substr(kExportPrefix.size()), internal::Base64::kUrlNoPadding);
  constexpr std::size_t kOverhead = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (!sealed || sealed->size() < kOverhead) return bad_export("not a FinFusion export (ffx1.)");
  std::string plain(sealed->size() - kOverhead, '\0');
  unsigned long long plain_len = 0;
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed->data());
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &plain_len, nullptr,
          nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, sealed->size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
          reinterpret_cast<const unsigned char*>(kExportAad.data()), kExportAad.size(), nonce, key.data()) != 0) {
    return bad_export("cannot decrypt: a wrong key, or the text was altered");
  }
  auto doc = internal::parse_json(plain, "export", kMaxExportBytes, 8);
  sodium_memzero(plain.data(), plain.size());
  if (!doc.ok()) return doc.status();
  {
    internal::ObjectReader top(*doc, "");
    auto format = top.string("format", 64);
    auto version = top.integer("version", 0, 1000);
    if (!top.ok() || format != "finfusion-registry-export" || version != 1) {
      return bad_export("an unknown export format or version");
    }
  }
  Plan plan;
  // Every field is read through ObjectReader: a wrong type is an error, never an exception.
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min(), kMax = std::numeric_limits<std::int64_t>::max();
  auto list = [&](const char* name) -> const internal::Json* {
    auto it = doc->find(name);
    return it != doc->end() && it->is_array() ? &*it : nullptr;
  };
  const internal::Json* records = list("records");
  const internal::Json* events_json = list("events");
  const internal::Json* usage_json = list("usage");
  if (records == nullptr || events_json == nullptr || usage_json == nullptr) return bad_export("records, events or usage missing");
  for (const auto& j : *records) {
    auto r = record_import(j);
    if (!r.ok()) return r.status();
    plan.records.push_back(std::move(*r));
  }
  std::vector<audit::Event> events;
  for (const auto& j : *events_json) {
    internal::ObjectReader in(j, "events[]");
    audit::Event e;
    if (auto v = in.integer("seq", 1, kMax)) e.seq = static_cast<std::uint64_t>(*v);
    if (auto v = in.integer("at", kMin, kMax)) e.at = *v;
    for (auto [name, field] : {std::pair{"type", &e.type}, {"keyId", &e.key_id}, {"actor", &e.actor},
                               {"outcome", &e.outcome}, {"details", &e.details}, {"prevHash", &e.prev_hash},
                               {"hash", &e.hash}}) {
      if (auto v = in.string(name, 64 * 1024)) *field = *v;
    }
    if (j.contains("writer")) {
      if (auto v = in.string("writer", 256)) e.writer = *v;
    }
    if (!in.ok()) return in.status();
    events.push_back(std::move(e));
  }
  audit::ChainReport chain = audit::verify_chain(events);
  if (!chain.ok) return bad_export("the audit chain does not verify at seq " + std::to_string(chain.first_bad));
  plan.events = std::move(events);
  for (const auto& j : *usage_json) {
    internal::ObjectReader in(j, "usage[]");
    usage::Aggregate a;
    std::string key_id;
    if (auto v = in.string("keyId", 64)) key_id = *v;
    if (auto v = in.integer("start", kMin, kMax)) a.start = *v;
    if (auto v = in.integer("requests", 0, kMax)) a.requests = static_cast<std::uint64_t>(*v);
    if (auto v = in.integer("errors", 0, kMax)) a.errors = static_cast<std::uint64_t>(*v);
    if (!in.ok()) return in.status();
    const internal::Json* outcomes = in.find("outcomes");
    const internal::Json* latency = in.find("latency");
    if (outcomes == nullptr || !outcomes->is_object() || latency == nullptr || !latency->is_object()) {
      return bad_export("a usage entry has no outcomes or latency");
    }
    for (const auto& [outcome, count] : outcomes->items()) {
      if (!count.is_number_unsigned()) return bad_export("a usage count is not a number");
      a.outcomes[outcome] = count.get<std::uint64_t>();
    }
    for (const auto& [bucket, count] : latency->items()) {
      const bool digits = !bucket.empty() && bucket.size() < 10 &&
                          bucket.find_first_not_of("0123456789-") == std::string::npos;
      if (!digits || !count.is_number_unsigned()) return bad_export("a latency bucket is malformed");
      a.latency[std::atoi(bucket.c_str())] = count.get<std::uint64_t>();
    }
    plan.aggregates.emplace_back(std::move(key_id), std::move(a));
  }
  if (const internal::Json* secrets = list("secrets"); secrets != nullptr) {  // absent in older exports
    for (const auto& j : *secrets) {
      internal::ObjectReader in(j, "secrets[]");
      StoredSecret secret;
      for (auto [name, field, max] : {std::tuple{"id", &secret.id, vault::kMaxRecordIdBytes},
                                      {"kind", &secret.kind, std::size_t{16}}, {"keyId", &secret.key_id, std::size_t{64}},
                                      {"sealed", &secret.sealed, std::size_t{4096}}}) {
        if (auto v = in.string(name, max)) *field = *v;
      }
      if (auto v = in.integer("createdAt", kMin, kMax)) secret.created_at = *v;
      if (auto v = in.integer("updatedAt", kMin, kMax)) secret.updated_at = *v;
      if (!in.ok()) return in.status();
      const bool known = secret.kind == "hmac-sha256" || secret.kind == "ed25519" || secret.kind == "webhook";
      if (!known || secret.id.empty() || !vault::MasterKeys::master_of(secret.sealed).ok()) {
        return bad_export("a secret is malformed");
      }
      plan.secrets.push_back(std::move(secret));
    }
  }
  if (const internal::Json* outbox = list("notifications"); outbox != nullptr) {  // absent in older exports
    for (const auto& j : *outbox) {
      auto n = support::notification_import(j);
      if (!n.ok()) return n.status();
      plan.notifications.push_back(std::move(*n));
    }
  }
  // Empty, then written, in one step: no other writer slips a key in between.
  auto load = [&]() -> Status {
    auto existing = store_->list();
    if (!existing.ok()) return existing.status();
    if (!existing->empty()) return Status(Code::kPreconditionFailed, "import: the registry already holds keys");
    return store_->apply(plan);
  };
  return store_->transaction(load);
}

// ---- Recoverable secrets, sealed at rest ----

namespace {

constexpr std::string_view kSigningSecret = "signing/";
constexpr std::string_view kWebhookSecret = "webhook/";
constexpr std::size_t kMaxEndpointId = 128;
constexpr std::size_t kReencryptBatch = 64;

Status no_master_keys() { return Status(Code::kPreconditionFailed, "no master keys: set them before keeping secrets"); }

Status check_endpoint(std::string_view id) {
  const bool ok = !id.empty() && id.size() <= kMaxEndpointId &&
                  std::all_of(id.begin(), id.end(), [](char c) {
                    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                           c == '_' || c == ':' || c == '-';
                  });
  return ok ? Status::Ok() : Status(Code::kInvalidRequest, "a webhook endpoint id is 1 to 128 of [A-Za-z0-9._:-]");
}

std::string_view kind_of(signing::Algorithm a) { return a == signing::Algorithm::kHmacSha256 ? "hmac-sha256" : "ed25519"; }

}  // namespace

Result<SecretBytes> Registry::open_secret(std::string_view id, StoredSecret* found) {
  if (!masters_) return no_master_keys();
  auto stored = store_->secret(id);
  if (!stored.ok()) return stored.status();
  if (!*stored) return Status(Code::kNotFound, "no secret is kept for " + internal::quote(id, 160));
  auto plain = masters_->open(id, (*stored)->sealed);
  if (!plain.ok()) return plain.status();
  if (found != nullptr) *found = std::move(**stored);
  return plain;
}

Status Registry::store_secret(std::string id, std::string_view kind, std::string_view key_id, const SecretBytes& secret,
                              time::Millis now, std::string_view actor) {
  auto sealed = masters_->seal(id, secret);
  if (!sealed.ok()) return sealed.status();
  auto existing = store_->secret(id);
  if (!existing.ok()) return existing.status();
  StoredSecret stored{id, std::string(kind), std::string(key_id), std::move(*sealed), now, now};
  if (*existing) stored.created_at = (*existing)->created_at;
  OrderedJson details = {{"secret", id}, {"kind", std::string(kind)}, {"master", masters_->current_id()}};
  Plan plan;
  plan.events.push_back(event(audit::kSecretIssued, key_id, actor, Code::kValid, details.dump(), now));
  plan.secrets.push_back(std::move(stored));
  return store_->apply(plan);
}

Result<signing::SigningKey> Registry::issue_signing_secret(std::string_view key_id, signing::Algorithm algorithm,
                                                           time::Millis now, std::string_view actor) {
  if (!masters_) return no_master_keys();
  if (Status s = check_text("actor", actor, kMaxActor); !s.ok()) return s;
  if (auto parsed = keys::parse_id(key_id); !parsed.ok()) return parsed.status();
  auto generated = signing::SigningKey::Generate(std::string(key_id), algorithm);
  if (!generated.ok()) return generated.status();
  auto issue = [&]() -> Status {
    auto found = get(key_id);
    if (!found.ok()) return found.status();
    const Code state = state_of(*found, now).code;
    if (state != Code::kValid) {
      return Status(Code::kPreconditionFailed, "the key is " + std::string(code_name(state)) + ": it gets no new secret");
    }
    return store_secret(std::string(kSigningSecret) + std::string(key_id), kind_of(algorithm), key_id,
                        generated->secret(), now, actor);
  };
  if (Status s = store_->transaction(issue); !s.ok()) return s;
  return std::move(*generated);
}

Result<signing::SigningKey> Registry::signing_key(std::string_view key_id) {
  if (auto parsed = keys::parse_id(key_id); !parsed.ok()) return parsed.status();
  StoredSecret found;
  auto plain = open_secret(std::string(kSigningSecret) + std::string(key_id), &found);
  if (!plain.ok()) return plain.status();
  if (found.kind == "ed25519") return signing::SigningKey::Ed25519(std::string(key_id), *plain);
  return signing::SigningKey::Hmac(std::string(key_id), std::move(*plain));
}

Result<webhooks::Secret> Registry::issue_webhook_secret(std::string_view endpoint_id, time::Millis now,
                                                        std::string_view actor) {
  if (!masters_) return no_master_keys();
  if (Status s = check_endpoint(endpoint_id); !s.ok()) return s;
  if (Status s = check_text("actor", actor, kMaxActor); !s.ok()) return s;
  auto generated = webhooks::Secret::Generate();
  if (!generated.ok()) return generated.status();
  auto issue = [&]() -> Status {
    return store_secret(std::string(kWebhookSecret) + std::string(endpoint_id), "webhook", "", generated->bytes(), now,
                        actor);
  };
  if (Status s = store_->transaction(issue); !s.ok()) return s;
  return std::move(*generated);
}

Result<webhooks::Secret> Registry::webhook_secret(std::string_view endpoint_id) {
  if (Status s = check_endpoint(endpoint_id); !s.ok()) return s;
  auto plain = open_secret(std::string(kWebhookSecret) + std::string(endpoint_id), nullptr);
  if (!plain.ok()) return plain.status();
  return webhooks::Secret::FromBytes(std::move(*plain));
}

Result<std::size_t> Registry::reencrypt_secrets(time::Millis now, std::string_view actor) {
  if (!masters_) return no_master_keys();
  if (Status s = check_text("actor", actor, kMaxActor); !s.ok()) return s;
  auto all = store_->secrets();
  if (!all.ok()) return all.status();
  std::vector<std::string> stale;
  for (const StoredSecret& secret : *all) {
    auto master = vault::MasterKeys::master_of(secret.sealed);
    if (!master.ok() || *master != masters_->current_id()) stale.push_back(secret.id);
  }
  std::size_t done = 0;
  for (std::size_t from = 0; from < stale.size(); from += kReencryptBatch) {
    const std::size_t to = std::min(stale.size(), from + kReencryptBatch);
    // Read again inside the batch's transaction: one issued meanwhile is already current.
    auto batch = atomically<std::size_t>(*store_, [&]() -> Result<std::size_t> {
      Plan plan;
      for (std::size_t i = from; i < to; ++i) {
        auto stored = store_->secret(stale[i]);
        if (!stored.ok()) return stored.status();
        if (!*stored) continue;
        StoredSecret secret = std::move(**stored);
        auto master = vault::MasterKeys::master_of(secret.sealed);
        if (master.ok() && *master == masters_->current_id()) continue;
        auto plain = masters_->open(secret.id, secret.sealed);
        if (!plain.ok()) return plain.status();
        auto sealed = masters_->seal(secret.id, *plain);
        if (!sealed.ok()) return sealed.status();
        secret.sealed = std::move(*sealed);
        secret.updated_at = now;
        plan.secrets.push_back(std::move(secret));
      }
      const std::size_t n = plan.secrets.size();
      if (n == 0) return n;
      OrderedJson details = {{"count", n}, {"master", masters_->current_id()}};
      plan.events.push_back(event(audit::kSecretReencrypted, std::string_view(), actor, Code::kValid, details.dump(), now));
      if (Status s = store_->apply(plan); !s.ok()) return s;
      return n;
    });
    if (!batch.ok()) return batch.status();
    done += *batch;
  }
  return done;
}

}  // namespace finfusion::registry
