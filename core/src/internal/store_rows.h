// What the SQL stores (SQLite and PostgreSQL) share: the record's columns and how a row
// becomes a record, the batching of verifications' accesses, and the buffer that holds
// verifications back between flushes.
#pragma once

#include <chrono>
#include <memory>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "finfusion/registry.h"
#include "finfusion/store.h"
#include "finfusion/usage.h"

namespace finfusion::registry::sql {

// Schema version 2 of both SQL stores: the sealed secrets (Registry::issue_signing_secret).
inline constexpr const char* kSecretsTable =
    "CREATE TABLE secrets(id TEXT PRIMARY KEY, kind TEXT NOT NULL, key_id TEXT NOT NULL, sealed TEXT NOT NULL, "
    "created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)";
// A secret's columns, in the order secret_of() reads and bind_secret() binds them.
inline constexpr const char* kSecretColumns = "id, kind, key_id, sealed, created_at, updated_at";

template <class Row>
StoredSecret secret_of(const Row& q) {
  return {q.text(0), q.text(1), q.text(2), q.text(3), q.integer(4), q.integer(5)};
}
template <class Binder>
void bind_secret(Binder& q, const StoredSecret& s) {
  q.bind(s.id).bind(s.kind).bind(s.key_id).bind(s.sealed).bind(s.created_at).bind(s.updated_at);
}

// Schema version 3 of both SQL stores: the outbox (Notification).
inline constexpr const char* kNotificationsTable =
    "CREATE TABLE notifications(id TEXT PRIMARY KEY, kind TEXT NOT NULL, key_id TEXT NOT NULL, "
    "recipients TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, created_at BIGINT NOT NULL, "
    "due_at BIGINT NOT NULL, status TEXT NOT NULL, attempts BIGINT NOT NULL, claimed_by TEXT NOT NULL, "
    "lease_until BIGINT NOT NULL, last_error TEXT NOT NULL, sent_at BIGINT NOT NULL); "
    "CREATE INDEX notifications_due ON notifications(status, due_at)";
// A notification's columns, in the order notification_of() reads and bind_notification()
// binds them, and the statements both stores run on them (numbered parameters: one text
// for SQLite and PostgreSQL).
#define FINFUSION_NOTIFICATION_COLUMNS \
  "id, kind, key_id, recipients, subject, body, created_at, due_at, status, attempts, claimed_by, lease_until, " \
  "last_error, sent_at"
#define FINFUSION_NOTIFICATION_VALUES "VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
inline constexpr const char* kQueueNotification =
    "INSERT INTO notifications(" FINFUSION_NOTIFICATION_COLUMNS ") " FINFUSION_NOTIFICATION_VALUES
    " ON CONFLICT(id) DO NOTHING";
inline constexpr const char* kWriteNotification =
    "INSERT INTO notifications(" FINFUSION_NOTIFICATION_COLUMNS ") " FINFUSION_NOTIFICATION_VALUES
    " ON CONFLICT(id) DO UPDATE SET due_at = excluded.due_at, status = excluded.status, attempts = excluded.attempts, "
    "claimed_by = excluded.claimed_by, lease_until = excluded.lease_until, last_error = excluded.last_error, "
    "sent_at = excluded.sent_at";
// Parameters: id or '', status or '', due_by or 0, limit (NotificationQuery).
inline constexpr const char* kSelectNotifications =
    "SELECT " FINFUSION_NOTIFICATION_COLUMNS " FROM notifications WHERE ($1 = '' OR id = $1) AND "
    "($2 = '' OR status = $2) AND (CAST($3 AS BIGINT) = 0 OR (due_at <= $3 AND lease_until <= $3)) "
    "ORDER BY CASE WHEN $3 = 0 THEN -created_at ELSE due_at END, id LIMIT $4";
#undef FINFUSION_NOTIFICATION_VALUES
#undef FINFUSION_NOTIFICATION_COLUMNS

// A notification from a row (recipients stored as a JSON array). Errors: storage_unavailable
// for unreadable recipients.
template <class Row>
Result<Notification> notification_of(const Row& q, std::string_view engine);
template <class Binder>
void bind_notification(Binder& q, const Notification& n);
std::string recipients_column(const std::vector<std::string>& recipients);
Result<std::vector<std::string>> recipients_from_column(const std::string& text, std::string_view engine);
template <class Binder>
void bind_query(Binder& q, const NotificationQuery& query) {
  q.bind(query.id).bind(query.status).bind(query.due_by).bind(static_cast<std::int64_t>(query.limit));
}

// The record's columns, in the order record_of() reads and bind_record() binds them.
inline constexpr const char* kRecordColumns =
    "id, name, type, scopes, service, parent_id, owner, purpose, created_at, expires_at, status, revoked_at, "
    "revoke_reason, version, replaces, replaced_by, grace_until, stored_hash, rate_tat_ms, rate_tat_frac, "
    "last_used_at, expiry_logged";
inline constexpr int kRecordColumnCount = 22;

// A record from a row whose columns are in kRecordColumns order; `Row` has text(i) and
// integer(i). `engine` names the store in errors ("sqlite", "postgresql"). Errors:
// storage_unavailable for a row no build of ours wrote.
template <class Row>
Result<KeyRecord> record_of(const Row& row, std::string_view engine);

// The columns of `r`, in kRecordColumns order: each text as a string, each number as int64.
template <class Binder>
void bind_record(Binder& b, const KeyRecord& r);

// The scopes column: a JSON array of canonical scope strings, and back.
std::string scopes_column(const KeyRecord& r);
Result<scopes::ScopeSet> scopes_from_column(const std::string& text);
Status bad_row(std::string_view engine, std::string_view what);

// A plan's usage as the SQL stores write it: one aggregate per key and minute (its accesses
// and imported aggregates summed), and one touch per key (the latest).
struct AccessBatch {
  std::map<std::pair<std::string_view, time::Millis>, usage::Aggregate> sums;
  std::map<std::string_view, const Access*> latest_touch;
};
AccessBatch batch_of(const Plan& plan);

// Moves a schema from `stored` (read from table meta; 0 for a new database) to `build` by
// running migrations[stored..build) through `exec`, then records the version; all inside the
// caller's transaction. precondition_failed when the stored schema is newer than the build's.
Status migrate(std::string_view engine, int stored, int build, const char* const* migrations,
               FunctionRef<Status(const char*)> exec);

// A verification's change: accesses and access-class events only (what may be held back).
bool bufferable(const Plan& plan);

// Verifications held back between flushes, and what readers must see of them in the meantime.
class AccessBuffer {
 public:
  AccessBuffer(std::size_t flush_every, std::chrono::milliseconds flush_interval)
      : flush_every_(flush_every), flush_interval_(flush_interval) {}
  bool enabled() const noexcept { return flush_every_ > 0; }
  bool empty() const noexcept { return pending_.accesses.empty() && pending_.events.empty(); }
  // Takes the plan's accesses and events; true when the buffer should be flushed now.
  bool hold(Plan& plan);
  const Plan& pending() const noexcept { return pending_; }
  // Dropped once the store has committed them.
  void clear();
  // A record as the held-back verifications left it (rate-limit state, last use).
  void overlay(KeyRecord& r) const;
  // Adds what is held back for `key_id` to a window read from the store.
  void add_to(Store::UsageWindow& w, std::string_view key_id, time::Millis minute) const;

 private:
  std::size_t flush_every_;
  std::chrono::milliseconds flush_interval_;
  Plan pending_;
  std::chrono::steady_clock::time_point since_;
  std::map<std::string, std::pair<ratelimit::State, time::Millis>, std::less<>> touched_;
  // Requests and errors held back per key and interval, found without building a key string.
  using CountKey = std::pair<std::string_view, time::Millis>;
  using Counts = std::pair<std::uint64_t, std::uint64_t>;
  struct CountOrder {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      const std::string_view x(a.first), y(b.first);
      return x < y || (x == y && a.second < b.second);
    }
  };
  std::map<std::pair<std::string, time::Millis>, Counts, CountOrder> counts_;
};

// What both SQL stores do the same way: a per-connection record cache that reads go through
// outside transactions, and the verifications held back between flushes.
class CachingStore : public Store {
 public:
  explicit CachingStore(const StoreOptions& options)
      : buffer_(options.flush_every, std::chrono::milliseconds(options.flush_interval_ms)),
        window_lifetime_(options.flush_interval_ms),
        caching_(options.cache_records) {
    transactional_ = true;
    buffers_accesses_ = buffer_.enabled();
  }

  // The verification path: a cached record is visited in place, as the held-back
  // verifications left it.
  Status read(std::string_view id, FunctionRef<void(const KeyRecord*)> visit) final;
  // Anomaly detection's counts: the store's part is read at most once per flush interval and
  // key (and again whenever the cache is dropped), this connection's own writes are added as
  // they are written, and what is held back is added on every call.
  Result<UsageWindow> usage_window(std::string_view key_id, time::Millis minute) final;

 protected:
  // Makes the cache current (drops what other connections changed).
  virtual Status check_cache() = 0;
  // True while a transaction's reads must go to the database.
  virtual bool reading_through() const = 0;
  // The store's counts for the window, from the database.
  virtual Result<UsageWindow> read_window(std::string_view key_id, time::Millis minute) = 0;
  // Adds accesses being written to the cached records (rate-limit state, last use) and to
  // the windows read before (call from the write; drop the cache if the transaction then
  // fails).
  void note_written(const AccessBatch& batch);
  // Keeps a record just read from the database (unless records are not cached).
  void remember(const KeyRecord& r) {
    if (!caching_) return;
    if (cache_.size() >= kCacheEntries) cache_.clear();
    cache_.emplace(r.id, r);
  }
  // Forgets what was cached: records and windows.
  void drop_cache() {
    cache_.clear();
    windows_.clear();
  }

  static constexpr std::size_t kCacheEntries = 100000;
  std::map<std::string, KeyRecord, std::less<>> cache_;
  // Verifications held back (see StoreOptions::flush_every).
  AccessBuffer buffer_;
  struct Window {
    time::Millis minute = 0;
    std::chrono::steady_clock::time_point fetched;
    UsageWindow counts;
  };
  std::map<std::string, Window, std::less<>> windows_;
  std::chrono::milliseconds window_lifetime_;
  bool caching_;
};

// Makes a store of type S and opens it (S(options), then S::open(location, options)); S
// befriends it and keeps both private.
template <class S>
Result<std::unique_ptr<Store>> open_as(std::string_view location, const StoreOptions& options) {
  std::unique_ptr<S> store(new S(options));
  if (Status s = store->open(location, options); !s.ok()) return s;
  return std::unique_ptr<Store>(std::move(store));
}

template <class Binder>
void bind_record(Binder& q, const KeyRecord& r) {
  q.bind(r.id).bind(r.name).bind(keys::type_name(r.type)).bind(scopes_column(r));
  q.bind(r.service).bind(r.parent_id).bind(r.owner).bind(r.purpose).bind(r.created_at).bind(r.expires_at);
  q.bind(status_name(r.status)).bind(r.revoked_at).bind(r.revoke_reason).bind(r.version).bind(r.replaces);
  q.bind(r.replaced_by).bind(r.grace_until).bind(r.stored_hash).bind(r.rate.tat_ms).bind(r.rate.tat_frac);
  q.bind(r.last_used_at).bind(std::int64_t{r.expiry_logged ? 1 : 0});
}

template <class Binder>
void bind_notification(Binder& q, const Notification& n) {
  q.bind(n.id).bind(n.kind).bind(n.key_id).bind(recipients_column(n.recipients)).bind(n.subject).bind(n.body);
  q.bind(n.created_at).bind(n.due_at).bind(n.status).bind(n.attempts).bind(n.claimed_by).bind(n.lease_until);
  q.bind(n.last_error).bind(n.sent_at);
}

template <class Row>
Result<Notification> notification_of(const Row& q, std::string_view engine) {
  Notification n;
  n.id = q.text(0);
  n.kind = q.text(1);
  n.key_id = q.text(2);
  auto recipients = recipients_from_column(q.text(3), engine);
  if (!recipients.ok()) return recipients.status();
  n.recipients = std::move(*recipients);
  n.subject = q.text(4);
  n.body = q.text(5);
  n.created_at = q.integer(6);
  n.due_at = q.integer(7);
  n.status = q.text(8);
  n.attempts = q.integer(9);
  n.claimed_by = q.text(10);
  n.lease_until = q.integer(11);
  n.last_error = q.text(12);
  n.sent_at = q.integer(13);
  return n;
}

template <class Row>
Result<KeyRecord> record_of(const Row& q, std::string_view engine) {
  KeyRecord r;
  r.id = q.text(0);
  r.name = q.text(1);
  auto type = keys::type_from_name(q.text(2));
  if (!type.ok()) return bad_row(engine, "an unknown type");
  r.type = *type;
  auto scope_set = scopes_from_column(q.text(3));
  if (!scope_set.ok()) return bad_row(engine, "unreadable scopes");
  r.scopes = std::move(*scope_set);
  r.service = q.text(4);
  r.parent_id = q.text(5);
  r.owner = q.text(6);
  r.purpose = q.text(7);
  r.created_at = q.integer(8);
  r.expires_at = q.integer(9);
  std::optional<KeyStatus> status = status_from_name(q.text(10));
  if (!status) return bad_row(engine, "an unknown status");
  r.status = *status;
  r.revoked_at = q.integer(11);
  r.revoke_reason = q.text(12);
  r.version = q.integer(13);
  r.replaces = q.text(14);
  r.replaced_by = q.text(15);
  r.grace_until = q.integer(16);
  r.stored_hash = q.text(17);
  r.rate.tat_ms = q.integer(18);
  r.rate.tat_frac = q.integer(19);
  r.last_used_at = q.integer(20);
  r.expiry_logged = q.integer(21) != 0;
  return r;
}

}  // namespace finfusion::registry::sql
