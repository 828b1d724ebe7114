// Verification, the call made on every request: the pure decision (decide, state_of) and the
// Registry's path from presented text to a decision with its usage, audit event and alerts.
// Kept apart from the rest of the Registry so that the WebAssembly build, optimised for size,
// can compile this file for speed.
#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "finfusion/registry.h"
#include "internal/json.h"
#include "internal/registry_support.h"

namespace finfusion::registry {

using internal::OrderedJson;
using namespace support;  // the helpers the Registry's files share

KeyState state_of(const KeyRecord& record, time::Millis now) {
  KeyState s;
  s.record = record;
  s.code = state_code(record, now, s.in_grace);
  return s;
}

Decision decide(const KeyRecord* record, bool hash_matches, const VerifyContext& context, time::Millis now) {
  std::vector<scopes::Scope> required;
  required.reserve(context.required.size());
  for (const auto& text : context.required) {
    auto scope = scopes::Scope::Create(text);
    if (!scope.ok()) {
      // A request for a scope that cannot exist is never granted.
      Decision d = decide(record, hash_matches, context, {}, now);
      if (d.valid) {
        d.valid = false;
        d.code = Code::kInsufficientScope;
      }
      return d;
    }
    required.push_back(std::move(scope).value());
  }
  return decide(record, hash_matches, context, required, now);
}

namespace {

// The verification plan's events and accesses are reused in place (Registry::Reused): the
// last verification's elements are handed out again from the first, then spares, then new
// ones; before the store sees the plan, it is trimmed to those handed out. The element
// handed out is assigned whole by its caller.
template <class T, class Reused>
T& next(std::vector<T>& items, Reused& r) {
  if (r.used == items.size()) {
    if (r.spares.empty()) {
      items.emplace_back();
    } else {
      items.push_back(std::move(r.spares.back()));
      r.spares.pop_back();
    }
  }
  return items[r.used++];
}

template <class T, class Reused>
void trim(std::vector<T>& items, Reused& r, std::size_t keep) {
  while (items.size() > r.used) {
    if (r.spares.size() < keep) r.spares.push_back(std::move(items.back()));
    items.pop_back();
  }
}

// decide() into an existing Decision, reusing its strings' and vectors' storage (the
// registry's hot path keeps one across verifications, so that it allocates nothing).
void decide_into(const KeyRecord* record, bool hash_matches, const VerifyContext& context,
                 const std::vector<scopes::Scope>& required, time::Millis now, Decision& d) {
  d.valid = false;
  d.in_grace = false;
  d.expires_at = d.grace_until = 0;
  d.rate_limit = d.rate_remaining = d.retry_after = 0;
  if (!record || !hash_matches) {
    d.code = Code::kNotFound;  // the same answer for "no such key" and "wrong secret"
    d.key_id.clear();
    d.type.clear();
    d.environment.clear();
    d.scopes.clear();
    d.replaced_by.clear();
    return;
  }
  d.key_id.assign(record->id);
  d.type.assign(keys::type_name(record->type));
  d.environment.assign(keys::environment_name(record->environment()));
  const std::vector<scopes::Scope>& granted = record->scopes.entries();
  d.scopes.resize(granted.size());
  for (std::size_t i = 0; i < granted.size(); ++i) d.scopes[i].assign(granted[i].text());
  d.expires_at = record->expires_at;
  d.replaced_by.assign(record->replaced_by);
  d.grace_until = record->grace_until;
  Code state = state_code(*record, now, d.in_grace);
  if (state != Code::kValid) {
    d.code = state;
    return;
  }
  if (!context.environment.empty() && context.environment != d.environment) {
    d.code = Code::kEnvironmentMismatch;
    return;
  }
  if (!record->service.empty() && context.service != record->service) {
    d.code = Code::kInsufficientScope;
    return;
  }
  for (const auto& scope : required) {
    if (!scopes::allows(record->scopes, scope)) {
      d.code = Code::kInsufficientScope;
      return;
    }
  }
  d.valid = true;
  d.code = Code::kValid;
}

}  // namespace

Decision decide(const KeyRecord* record, bool hash_matches, const VerifyContext& context,
                const std::vector<scopes::Scope>& required, time::Millis now) {
  Decision d;
  decide_into(record, hash_matches, context, required, now, d);
  return d;
}

audit::Event Registry::event(std::string_view type, const KeyRecord* record, std::string_view actor, Code outcome,
                             std::string details, time::Millis now) const {
  return event(type, record ? std::string_view(record->id) : std::string_view(), actor, outcome, std::move(details),
               now);
}

audit::Event Registry::event(std::string_view type, std::string_view key_id, std::string_view actor, Code outcome,
                             std::string details, time::Millis now) const {
  audit::Event e;
  fill_event(e, type, key_id, actor, outcome, details, now);
  return e;
}

void Registry::fill_event(audit::Event& e, std::string_view type, std::string_view key_id, std::string_view actor,
                          Code outcome, std::string_view details, time::Millis now) {
  e.seq = 0;
  e.at = now;
  e.type.assign(type);
  e.key_id.assign(key_id);
  if (!actor.empty()) {
    e.actor.assign(actor);
  } else if (!key_id.empty()) {
    e.actor.assign("key:").append(key_id);
  } else {
    e.actor.assign("system");
  }
  e.outcome.assign(code_name(outcome));
  e.details.assign(details.empty() ? std::string_view("{}") : details);
  e.writer.clear();
  e.prev_hash.clear();
  e.hash.clear();
}

audit::Event& Registry::log(Plan& plan, std::string_view type, std::string_view key_id, std::string_view actor,
                            Code outcome, std::string_view details, time::Millis now) {
  audit::Event& e = next(plan.events, events_reused_);
  fill_event(e, type, key_id, actor, outcome, details, now);
  return e;
}

Result<Decision> Registry::verify(std::string_view key, const VerifyContext& context, time::Millis now) {
  Decision d;
  if (Status s = verify(key, context, now, d); !s.ok()) return s;
  return d;
}

Status Registry::verify(std::string_view key, const VerifyContext& context, time::Millis now, Decision& out) {
  // The hot path calls straight through; a transactional store wraps the whole check.
  if (!store_->transactional() || store_->buffers_accesses()) return verify_now(key, context, now, out);
  auto body = [&]() { return verify_now(key, context, now, out); };
  return store_->transaction(body);
}

Status Registry::verify_now(std::string_view key, const VerifyContext& context, time::Millis now, Decision& d) {
  if (!context.environment.empty()) {
    auto env = keys::environment_from_name(context.environment);
    if (!env.ok()) return env.status();
  }
  if (context.required != required_text_) {
    // A service asks for the same scopes on every request of a route: parse them once.
    std::vector<scopes::Scope> parsed;
    parsed.reserve(context.required.size());
    for (const auto& s : context.required) {
      auto scope = scopes::Scope::Create(s);
      if (!scope.ok()) return scope.status();
      if (scope->deny()) return Status(Code::kInvalidScope, "a required scope cannot be a deny entry");
      parsed.push_back(std::move(scope).value());
    }
    required_text_ = context.required;
    required_ = std::move(parsed);
  }
  const std::vector<scopes::Scope>& required = required_;
  if (context.cost < 1) return Status(Code::kInvalidRequest, "cost must be at least 1");
  if (Status s = check_text("actor", context.actor, kMaxActor); !s.ok()) return s;

  Plan& plan = scratch_;  // its vectors keep their capacity from one verification to the next
  plan.records.clear();
  // The last verification's events and accesses, with their strings' storage, are reused
  // (the in-memory store hands back the events its log drops): no allocation in steady state.
  events_reused_.used = 0;
  accesses_reused_.used = 0;
  auto apply = [&]() {
    trim(plan.events, events_reused_, kSpares);
    trim(plan.accesses, accesses_reused_, kSpares);
    return store_->apply(plan);
  };
  plan.queued.clear();
  keys::KeyView view = keys::inspect(key);
  if (view.code != Code::kValid) {
    decide_into(nullptr, false, context, required, now, d);
    d.code = view.code;  // no lookup for a malformed key
    log(plan, audit::kKeyVerificationFailed, {}, context.actor, d.code, "{}", now);
    return apply();
  }
  Status judged = Status::Ok();
  auto visit = [&](const KeyRecord* record) {
    judged = judge(record, view, key, context, required, now, d, plan);
  };
  if (Status read = store_->read(view.id, visit); !read.ok()) return read;
  if (!judged.ok()) return judged;

  std::optional<time::Millis> alerted_hour;  // a rate-limit alert queued for this hour
  if (accesses_reused_.used > 0) {  // a real key (unknown ids cannot grow usage)
    // Anomalies are flagged once, by the request that makes the minute unusual.
    time::Millis minute = usage::interval_start(now);
    auto window = store_->usage_window(view.id, minute);
    if (!window.ok()) return window.status();
    // Each anomaly is also an alert in the outbox, once per key, kind and minute.
    auto flag = [&](const char* kind, const OrderedJson& counts, std::string what) -> Status {
      OrderedJson details = {{"kind", kind}};
      for (const auto& [name, value] : counts.items()) details[name] = value;
      log(plan, audit::kKeyAnomaly, view.id, context.actor, d.code, details.dump(), now);
      std::string id = std::string(kNotifyAnomaly) + ":" + std::string(view.id) + ":" + std::to_string(minute) + ":" + kind;
      return queue_alert(kNotifyAnomaly, view.id, std::move(id), std::move(what), now, plan);
    };
    auto spike = [](const char* what, std::uint64_t observed, std::uint64_t baseline) {
      return std::string(what) + ": " + std::to_string(observed) + " in the minute against " +
             std::to_string(baseline) + " in the hour before";
    };
    const std::uint64_t requests = window->minute_requests, errors = window->minute_errors;
    Status flagged = Status::Ok();
    if (usage::is_usage_spike(requests + 1, window->hour_requests) &&
        !usage::is_usage_spike(requests, window->hour_requests)) {
      flagged = flag("usage_spike", {{"observed", requests + 1}, {"baseline", window->hour_requests}},
                     spike("a usage spike", requests + 1, window->hour_requests));
    }
    std::uint64_t errors_after = errors + (d.valid ? 0 : 1);
    if (flagged.ok() && !d.valid && usage::is_error_spike(errors_after, requests + 1, window->hour_errors) &&
        !usage::is_error_spike(errors, requests, window->hour_errors)) {
      flagged = flag("error_spike", {{"observed", errors_after}, {"baseline", window->hour_errors}},
                     spike("an error spike", errors_after, window->hour_errors));
    }
    if (flagged.ok() && d.code == Code::kEnvironmentMismatch && view.type == keys::KeyType::kDevelopment) {
      flagged = flag("development_key_in_production", OrderedJson::object(),
                     "a development key presented where production is required");
    }
    if (!flagged.ok()) return flagged;
    // Near or at the rate limit (under a tenth of it left): an alert, once per key and hour
    // (remembered once it is written).
    if (d.code == Code::kRateLimited || (d.valid && d.rate_remaining * 10 < d.rate_limit)) {
      const time::Millis hour = now - ((now % time::kHour) + time::kHour) % time::kHour;
      auto seen = rate_alerted_.find(view.id);
      if (seen == rate_alerted_.end() || seen->second != hour) {
        alerted_hour = hour;
        std::string what = d.code == Code::kRateLimited
                               ? "requests refused by its rate limit of " + std::to_string(d.rate_limit)
                               : std::to_string(d.rate_remaining) + " of its " + std::to_string(d.rate_limit) +
                                     " requests left in its rate-limit window";
        std::string id = std::string(kNotifyRateLimit) + ":" + std::string(view.id) + ":" + std::to_string(hour);
        if (Status s = queue_alert(kNotifyRateLimit, view.id, std::move(id), std::move(what), now, plan); !s.ok()) {
          return s;
        }
      }
    }
  }
  if (Status s = apply(); !s.ok()) return s;
  if (alerted_hour) {
    if (rate_alerted_.size() >= kMaxRateAlerted) rate_alerted_.clear();
    rate_alerted_[std::string(view.id)] = *alerted_hour;
  }
  return Status::Ok();
}

Status Registry::judge(const KeyRecord* record, const keys::KeyView& key, std::string_view text,
                       const VerifyContext& context, const std::vector<scopes::Scope>& required, time::Millis now,
                       Decision& d, Plan& plan) {
  bool matches = false;
  if (record) {
    auto check = hasher_.verify(key, text, record->stored_hash);
    if (!check.ok()) return check.status();
    matches = *check;
  }
  decide_into(record, matches, context, required, now, d);
  if (d.valid && table_.get(record->type).requires_signed_requests && context.signed_by != record->id) {
    d.valid = false;
    d.code = Code::kSignatureInvalid;  // this key type is accepted only on requests it signed
  }
  if (!record || !matches) {
    // The presented id is public (but proves nothing): the event names it.
    log(plan, audit::kKeyVerificationFailed, {}, context.actor, d.code, "{}", now).key_id.assign(key.id);
    return Status::Ok();
  }
  bool touch = false;
  ratelimit::State rate;
  if (!d.valid) {
    log(plan, audit::kKeyVerificationFailed, record->id, context.actor, d.code, "{}", now);
    if (d.code == Code::kExpired && !record->expiry_logged) {
      // The first time an expired key is seen, the log says so once.
      KeyRecord updated = *record;
      updated.expiry_logged = true;
      time::Millis ended = record->replaced_by.empty() ? record->expires_at
                                                       : std::min(record->expires_at, record->grace_until);
      OrderedJson details = {{"expiredAt", instant_text(ended)}};
      log(plan, audit::kKeyExpired, record->id, "system", Code::kExpired, details.dump(), now);
      plan.records.push_back(std::move(updated));
    }
  } else {
    auto limited = ratelimit::check(table_.get(record->type).rate_limit, record->rate, now, context.cost);
    if (!limited.ok()) return limited.status();
    d.rate_limit = limited->limit;
    d.rate_remaining = limited->remaining;
    d.retry_after = limited->retry_after;
    if (!limited->allowed) {
      d.valid = false;
      d.code = Code::kRateLimited;
      OrderedJson details = {{"retryAfterMs", limited->retry_after}};
      log(plan, audit::kKeyRateLimited, record->id, context.actor, d.code, details.dump(), now);
    } else {
      touch = true;
      rate = limited->state;
      log(plan, audit::kKeyAccessed, record->id, context.actor, d.code, d.in_grace ? R"({"inGrace":true})" : "{}",
          now);
    }
  }
  const double ms = context.latency_ms;
  std::int64_t micros = ms >= 0 && ms < 1e10 ? static_cast<std::int64_t>(ms * 1000.0 + 0.5) : -1;
  Access& a = next(plan.accesses, accesses_reused_);
  a.key_id.assign(record->id);
  a.at = now;
  a.outcome = d.code;
  a.latency_micros = micros;
  a.touch = touch;
  a.rate = rate;
  return Status::Ok();
}

}  // namespace finfusion::registry
