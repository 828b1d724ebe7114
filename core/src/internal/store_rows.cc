#include "internal/store_rows.h"

#include "internal/json.h"

namespace finfusion::registry::sql {

std::string scopes_column(const KeyRecord& r) { return finfusion::internal::Json(r.scopes.to_strings()).dump(); }

Result<scopes::ScopeSet> scopes_from_column(const std::string& text) {
  auto list = finfusion::internal::parse_json(text, "stored scopes");
  if (!list.ok() || !list->is_array()) return Status(Code::kStorageUnavailable, "stored scopes are not a list");
  std::vector<std::string> scope_texts;
  for (const auto& s : *list) {
    if (!s.is_string()) return Status(Code::kStorageUnavailable, "stored scopes are not strings");
    scope_texts.push_back(s.get<std::string>());
  }
  return scopes::parse(scope_texts);
}

std::string recipients_column(const std::vector<std::string>& recipients) {
  return finfusion::internal::Json(recipients).dump();
}

Result<std::vector<std::string>> recipients_from_column(const std::string& text, std::string_view engine) {
  auto list = finfusion::internal::parse_json(text, "stored recipients");
  std::vector<std::string> out;
  if (list.ok() && list->is_array()) {
    for (const auto& address : *list) {
      if (!address.is_string()) break;
      out.push_back(address.get<std::string>());
    }
    if (out.size() == list->size()) return out;
  }
  return Status(Code::kStorageUnavailable, std::string(engine) + ": a notification has unreadable recipients");
}

Status bad_row(std::string_view engine, std::string_view what) {
  return Status(Code::kStorageUnavailable, std::string(engine) + ": a record has " + std::string(what));
}

AccessBatch batch_of(const Plan& plan) {
  AccessBatch batch;
  for (const Access& a : plan.accesses) {
    if (a.touch) batch.latest_touch[a.key_id] = &a;
    const time::Millis start = usage::interval_start(a.at);
    usage::Aggregate& sum = batch.sums[{a.key_id, start}];
    sum.start = start;
    sum.add(code_name(a.outcome), a.outcome != Code::kValid, a.latency_micros);
  }
  // Imported aggregates join the sums: one row per key and interval in a statement (PostgreSQL
  // refuses to update a row twice in one), and the cached windows see them as they see accesses.
  for (const auto& [key_id, aggregate] : plan.aggregates) {
    usage::Aggregate& sum = batch.sums[{key_id, aggregate.start}];
    sum.start = aggregate.start;
    sum.merge(aggregate);
  }
  return batch;
}

Status migrate(std::string_view engine, int stored, int build, const char* const* migrations,
               FunctionRef<Status(const char*)> exec) {
  if (stored > build) {
    return Status(Code::kPreconditionFailed, std::string(engine) + ": the registry's schema (version " +
                                                 std::to_string(stored) + ") is newer than this build's (" +
                                                 std::to_string(build) + ")");
  }
  if (stored == build) return Status::Ok();
  for (int v = stored; v < build; ++v) {
    if (Status s = exec(migrations[v]); !s.ok()) return s;
  }
  const std::string set = "INSERT INTO meta(key, value) VALUES('schema_version', '" + std::to_string(build) +
                          "') ON CONFLICT(key) DO UPDATE SET value = excluded.value";
  return exec(set.c_str());
}

Status CachingStore::read(std::string_view id, FunctionRef<void(const KeyRecord*)> visit) {
  if (Status s = check_cache(); !s.ok()) return s;
  if (!reading_through()) {
    auto hit = cache_.find(id);
    if (hit != cache_.end()) {
      // The cached record as the held-back verifications left it (rate-limit state, last
      // use): what the store will hold once they are written. Visited in place, not copied.
      buffer_.overlay(hit->second);
      visit(&hit->second);
      return Status::Ok();
    }
  }
  Result<std::optional<KeyRecord>> r = get(id);
  if (!r.ok()) return r.status();
  visit(r->has_value() ? &**r : nullptr);
  return Status::Ok();
}

Result<Store::UsageWindow> CachingStore::usage_window(std::string_view key_id, time::Millis minute) {
  const auto steady = std::chrono::steady_clock::now();
  UsageWindow w;
  auto hit = windows_.find(key_id);
  if (!reading_through() && hit != windows_.end() && hit->second.minute == minute &&
      steady - hit->second.fetched < window_lifetime_) {
    w = hit->second.counts;
  } else {
    Result<UsageWindow> read = read_window(key_id, minute);
    if (!read.ok()) return read.status();
    w = *read;
    if (!reading_through()) {
      if (windows_.size() >= kCacheEntries) windows_.clear();
      windows_[std::string(key_id)] = Window{minute, steady, w};
    }
  }
  buffer_.add_to(w, key_id, minute);  // and what is held back
  return w;
}

void CachingStore::note_written(const AccessBatch& batch) {
  for (const auto& [key_id, access] : batch.latest_touch) {
    if (auto cached = cache_.find(key_id); cached != cache_.end()) {
      cached->second.rate = access->rate;
      cached->second.last_used_at = access->at;
    }
  }
  for (const auto& [where, sum] : batch.sums) {
    auto w = windows_.find(where.first);
    if (w == windows_.end()) continue;
    Window& cached = w->second;
    if (where.second == cached.minute) {
      cached.counts.minute_requests += sum.requests;
      cached.counts.minute_errors += sum.errors;
    } else if (where.second < cached.minute && where.second >= cached.minute - usage::kBaselineMs) {
      cached.counts.hour_requests += sum.requests;
      cached.counts.hour_errors += sum.errors;
    }
  }
}

bool bufferable(const Plan& plan) {
  if (!plan.records.empty() || !plan.aggregates.empty() || !plan.secrets.empty() || !plan.queued.empty() ||
      !plan.notifications.empty()) {
    return false;
  }
  for (const audit::Event& e : plan.events) {
    if (e.type != audit::kKeyAccessed && e.type != audit::kKeyVerificationFailed && e.type != audit::kKeyRateLimited &&
        e.type != audit::kKeyAnomaly) {
      return false;
    }
  }
  return true;
}

bool AccessBuffer::hold(Plan& plan) {
  const auto steady = std::chrono::steady_clock::now();
  if (empty()) since_ = steady;
  for (Access& a : plan.accesses) {
    if (a.touch) {
      auto touched = touched_.find(a.key_id);
      if (touched == touched_.end()) touched = touched_.emplace(a.key_id, std::pair<ratelimit::State, time::Millis>()).first;
      touched->second = {a.rate, a.at};
    }
    const CountKey where{a.key_id, usage::interval_start(a.at)};
    auto counted = counts_.find(where);
    if (counted == counts_.end()) {
      counted = counts_.emplace(std::pair<std::string, time::Millis>(a.key_id, where.second), Counts()).first;
    }
    ++counted->second.first;
    if (a.outcome != Code::kValid) ++counted->second.second;
    pending_.accesses.push_back(std::move(a));
  }
  for (audit::Event& e : plan.events) pending_.events.push_back(std::move(e));
  return pending_.accesses.size() + pending_.events.size() >= flush_every_ || steady - since_ >= flush_interval_;
}

void AccessBuffer::clear() {
  pending_.accesses.clear();
  pending_.events.clear();
  touched_.clear();
  counts_.clear();
}

void AccessBuffer::overlay(KeyRecord& r) const {
  auto it = touched_.find(r.id);
  if (it == touched_.end()) return;
  r.rate = it->second.first;
  r.last_used_at = it->second.second;
}

void AccessBuffer::add_to(Store::UsageWindow& w, std::string_view key_id, time::Millis minute) const {
  for (auto it = counts_.lower_bound(CountKey{key_id, minute - usage::kBaselineMs});
       it != counts_.end() && it->first.first == key_id && it->first.second <= minute; ++it) {
    auto [requests, errors] = it->second;
    if (it->first.second == minute) {
      w.minute_requests += requests;
      w.minute_errors += errors;
    } else {
      w.hour_requests += requests;
      w.hour_errors += errors;
    }
  }
}

}  // namespace finfusion::registry::sql
