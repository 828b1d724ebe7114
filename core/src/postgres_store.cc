// The PostgreSQL store: the registry of a fleet. Every registry operation runs as one
// SERIALIZABLE transaction, retried on serialization failures and deadlocks (40001, 40P01),
// so two services rotating one key at the same moment make one successor and one conflict.
// Each store instance is a writer with its own audit chain (no writer waits on another's
// chain head). Changed records are announced with NOTIFY in the transaction that changes
// them; every instance LISTENs and drops the record from its cache before its next read, so
// a revocation stops a key everywhere as soon as it commits.
//
// The statements go through a PostgresConnection: libpq natively (postgres_libpq.cc), `pg`
// in Node (the npm package), so every binding runs exactly these.
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "finfusion/store.h"
#include "internal/sodium_init.h"
#include "internal/store_rows.h"

namespace finfusion::registry {
namespace {

constexpr const char* kChannel = "finfusion_keys";

// The schema, one entry per version: entry i moves a database from version i to i + 1. The
// tables are SQLite's, with one chain per writer.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE keys(
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  scopes TEXT NOT NULL,
  service TEXT NOT NULL,
  parent_id TEXT NOT NULL,
  owner TEXT NOT NULL,
  purpose TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  status TEXT NOT NULL,
  revoked_at BIGINT NOT NULL,
  revoke_reason TEXT NOT NULL,
  version BIGINT NOT NULL,
  replaces TEXT NOT NULL,
  replaced_by TEXT NOT NULL,
  grace_until BIGINT NOT NULL,
  stored_hash TEXT NOT NULL,
  rate_tat_ms BIGINT NOT NULL,
  rate_tat_frac BIGINT NOT NULL,
  last_used_at BIGINT NOT NULL,
  expiry_logged BIGINT NOT NULL
);
CREATE TABLE writers(
  writer TEXT PRIMARY KEY,
  seq BIGINT NOT NULL,
  hash BYTEA NOT NULL
);
CREATE TABLE events(
  id BIGSERIAL PRIMARY KEY,
  writer TEXT NOT NULL REFERENCES writers(writer),
  seq BIGINT NOT NULL,
  at BIGINT NOT NULL,
  type TEXT NOT NULL,
  key_id TEXT NOT NULL,
  actor TEXT NOT NULL,
  outcome TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash BYTEA NOT NULL,
  hash BYTEA NOT NULL,
  UNIQUE(writer, seq)
);
CREATE INDEX events_by_key ON events(key_id, id);
CREATE TABLE usage(
  key_id TEXT NOT NULL, start BIGINT NOT NULL, requests BIGINT NOT NULL, errors BIGINT NOT NULL,
  PRIMARY KEY(key_id, start));
CREATE TABLE usage_outcomes(
  key_id TEXT NOT NULL, start BIGINT NOT NULL, outcome TEXT NOT NULL, count BIGINT NOT NULL,
  PRIMARY KEY(key_id, start, outcome));
CREATE TABLE usage_latency(
  key_id TEXT NOT NULL, start BIGINT NOT NULL, bucket BIGINT NOT NULL, count BIGINT NOT NULL,
  PRIMARY KEY(key_id, start, bucket));
)sql",
    sql::kSecretsTable,
    sql::kNotificationsTable,
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kPostgresSchemaVersion, "one migration per version");

// Serialization failure and deadlock: the transaction is run again.
bool retryable(const std::string& sqlstate) { return sqlstate == "40001" || sqlstate == "40P01"; }

using Table = PostgresConnection::Table;

// One row of a result, as record_of reads it.
struct Row {
  const Table& rows;
  int row;
  const std::string& text(int column) const { return rows.text(row, column); }
  std::int64_t integer(int column) const { return rows.integer(row, column); }
};

// Parameters in text form, bound in order from $1.
class Params {
 public:
  Params& bind(std::string_view text) {
    values_.emplace_back(text);
    return *this;
  }
  Params& bind(std::int64_t value) {
    values_.push_back(std::to_string(value));
    return *this;
  }
  const std::vector<std::string>& values() const noexcept { return values_; }

 private:
  std::vector<std::string> values_;
};

// A PostgreSQL array literal built element by element, for statements that take a whole
// batch as arrays (unnest) instead of one round trip per row.
class Array {
 public:
  void add(std::string_view text) {
    open();
    out_ += '"';
    for (char c : text) {
      if (c == '"' || c == '\\') out_ += '\\';
      out_ += c;
    }
    out_ += '"';
  }
  void add(std::int64_t value) {
    open();
    out_ += std::to_string(value);
  }
  std::string done() const { return out_.empty() ? "{}" : out_ + "}"; }

 private:
  void open() { out_ += out_.empty() ? '{' : ','; }
  std::string out_;
};

std::string hex_of(const audit::Digest& d) { return audit::to_hex(d); }

// "host:pid:random": names an instance's chain in the log (and in the writers table).
std::string default_writer_name() {
  char host[64] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  unsigned char random[4];
  if (!finfusion::internal::sodium_ready()) return std::string(host) + ":" + std::to_string(getpid());
  randombytes_buf(random, sizeof random);
  char suffix[9];
  std::snprintf(suffix, sizeof suffix, "%02x%02x%02x%02x", random[0], random[1], random[2], random[3]);
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + suffix;
}

class PostgresStore final : public sql::CachingStore {
 public:
  ~PostgresStore() override {
    if (conn_) flush().ignore();
  }

  Result<std::optional<KeyRecord>> get(std::string_view id) override {
    if (Status s = check_cache(); !s.ok()) return s;
    if (!in_transaction_) {
      if (auto hit = cache_.find(id); hit != cache_.end()) {
        KeyRecord r = hit->second;
        buffer_.overlay(r);
        return std::optional<KeyRecord>(std::move(r));
      }
    }
    Result<Table> rows = run("select_record", Params().bind(id));
    if (!rows.ok()) return rows.status();
    if (rows->rows == 0) return std::optional<KeyRecord>();
    Result<KeyRecord> r = sql::record_of(Row{*rows, 0}, "postgresql");
    if (!r.ok()) return r.status();
    if (!in_transaction_) {
      remember(*r);
    }
    buffer_.overlay(*r);
    return std::optional<KeyRecord>(std::move(*r));
  }

  Result<std::vector<KeyRecord>> list() override {
    if (Status s = check_cache(); !s.ok()) return s;
    Result<Table> rows = run("select_all", Params());
    if (!rows.ok()) return rows.status();
    std::vector<KeyRecord> out;
    out.reserve(static_cast<std::size_t>(rows->rows));
    for (int i = 0; i < rows->rows; ++i) {
      Result<KeyRecord> r = sql::record_of(Row{*rows, i}, "postgresql");
      if (!r.ok()) return r.status();
      buffer_.overlay(*r);
      out.push_back(std::move(*r));
    }
    return out;
  }

  // Held-back verifications are written first, in a transaction of their own; then the body
  // runs SERIALIZABLE and is run again (a few times, after a short random wait) when
  // PostgreSQL reports a serialization failure or a deadlock.
  Status transaction(FunctionRef<Status()> body) override {
    if (in_transaction_) return body();  // already inside one: part of it
    if (Status s = flush(); !s.ok()) return s;
    return attempt(body, "BEGIN ISOLATION LEVEL SERIALIZABLE");
  }

  Status apply(Plan& plan) override {
    if (buffers_accesses_ && !in_transaction_ && sql::bufferable(plan)) {
      return buffer_.hold(plan) ? flush() : Status::Ok();
    }
    auto write = [&]() -> Status { return write_plan(plan); };
    return transaction(write);
  }

  // Accesses only add to counters and the log only grows: READ COMMITTED is enough, and
  // flushes of several instances never fail each other.
  Status flush() override {
    if (buffer_.empty() || in_transaction_) return Status::Ok();
    auto write = [&]() -> Status { return write_plan(buffer_.pending()); };
    Status s = attempt(write, "BEGIN");
    if (!s.ok()) return s;
    buffer_.clear();
    return Status::Ok();
  }

  Result<std::optional<StoredSecret>> secret(std::string_view id) override {
    Result<Table> rows = run("select_secret", Params().bind(id));
    if (!rows.ok()) return rows.status();
    if (rows->rows == 0) return std::optional<StoredSecret>();
    return std::optional<StoredSecret>(sql::secret_of(Row{*rows, 0}));
  }

  Result<std::vector<StoredSecret>> secrets() override {
    Result<Table> rows = run("select_secrets", Params());
    if (!rows.ok()) return rows.status();
    std::vector<StoredSecret> out;
    for (int i = 0; i < rows->rows; ++i) out.push_back(sql::secret_of(Row{*rows, i}));
    return out;
  }

  Result<std::vector<Notification>> notifications(const NotificationQuery& query) override {
    Params p;
    sql::bind_query(p, query);
    Result<Table> rows = run("select_notifications", p);
    if (!rows.ok()) return rows.status();
    std::vector<Notification> out;
    for (int i = 0; i < rows->rows; ++i) {
      Result<Notification> n = sql::notification_of(Row{*rows, i}, "postgresql");
      if (!n.ok()) return n.status();
      out.push_back(std::move(*n));
    }
    return out;
  }

  Result<std::vector<audit::Event>> events(std::string_view key_id) override {
    if (Status s = flush(); !s.ok()) return s;
    Result<Table> rows = key_id.empty() ? run("select_events", Params()) : run("select_key_events", Params().bind(key_id));
    if (!rows.ok()) return rows.status();
    std::vector<audit::Event> out;
    out.reserve(static_cast<std::size_t>(rows->rows));
    for (int i = 0; i < rows->rows; ++i) {
      audit::Event e;
      e.writer = rows->text(i, 0);
      e.seq = static_cast<std::uint64_t>(rows->integer(i, 1));
      e.at = rows->integer(i, 2);
      e.type = rows->text(i, 3);
      e.key_id = rows->text(i, 4);
      e.actor = rows->text(i, 5);
      e.outcome = rows->text(i, 6);
      e.details = rows->text(i, 7);
      if (e.seq != 1) e.prev_hash = rows->text(i, 8);
      e.hash = rows->text(i, 9);
      out.push_back(std::move(e));
    }
    return out;
  }

  Result<std::vector<usage::Aggregate>> usage(std::string_view key_id, time::Millis start, time::Millis end) override {
    if (Status s = flush(); !s.ok()) return s;
    std::map<time::Millis, usage::Aggregate> by_start;
    auto count = [](std::int64_t n) { return static_cast<std::uint64_t>(n); };
    for (const char* statement : {"select_usage", "select_outcomes", "select_latency"}) {
      Result<Table> rows = run(statement, Params().bind(key_id).bind(start).bind(end));
      if (!rows.ok()) return rows.status();
      for (int i = 0; i < rows->rows; ++i) {
        usage::Aggregate& a = by_start[rows->integer(i, 0)];
        a.start = rows->integer(i, 0);
        if (statement == std::string_view("select_usage")) {
          a.requests = count(rows->integer(i, 1));
          a.errors = count(rows->integer(i, 2));
        } else if (statement == std::string_view("select_outcomes")) {
          a.outcomes[rows->text(i, 1)] = count(rows->integer(i, 2));
        } else {
          a.latency[static_cast<std::int32_t>(rows->integer(i, 1))] = count(rows->integer(i, 2));
        }
      }
    }
    std::vector<usage::Aggregate> out;
    out.reserve(by_start.size());
    for (auto& entry : by_start) out.push_back(std::move(entry.second));
    return out;
  }

 private:
  friend Result<std::unique_ptr<Store>> registry::open_postgres_store(std::unique_ptr<PostgresConnection>,
                                                                      const StoreOptions&);

  explicit PostgresStore(const StoreOptions& options) : CachingStore(options) {}

  bool reading_through() const override { return in_transaction_; }  // SERIALIZABLE reads

  Result<std::vector<audit::ChainHead>> chain_heads() override {
    if (Status s = flush(); !s.ok()) return s;
    Result<Table> rows = run("chain_heads", Params());
    if (!rows.ok()) return rows.status();
    std::vector<audit::ChainHead> out;
    for (int i = 0; i < rows->rows; ++i) {
      out.push_back({rows->text(i, 0), static_cast<std::uint64_t>(rows->integer(i, 1)), rows->text(i, 2)});
    }
    return out;
  }

  // Other instances' requests reach a key's window within the flush interval.
  Result<UsageWindow> read_window(std::string_view key_id, time::Millis minute) override {
    Result<Table> rows = run("select_window", Params().bind(key_id).bind(minute).bind(minute - usage::kBaselineMs));
    if (!rows.ok()) return rows.status();
    UsageWindow w;
    if (rows->rows == 1) {
      w.minute_requests = static_cast<std::uint64_t>(rows->integer(0, 0));
      w.minute_errors = static_cast<std::uint64_t>(rows->integer(0, 1));
      w.hour_requests = static_cast<std::uint64_t>(rows->integer(0, 2));
      w.hour_errors = static_cast<std::uint64_t>(rows->integer(0, 3));
    }
    return w;
  }

  Status exec(const char* sql) { return conn_->exec(sql); }

  Result<Table> run(const char* statement, const Params& params) {
    const auto& all = statements();
    auto it = all.find(statement);
    if (it == all.end()) return Status(Code::kInternal, std::string("postgresql: no statement ") + statement);
    return conn_->run(it->first.c_str(), it->second, params.values());
  }

  // One transaction of `body`, begun with `begin`, retried on serialization failures and
  // deadlocks with a growing random wait.
  Status attempt(FunctionRef<Status()> body, const char* begin) {
    static thread_local std::minstd_rand jitter(static_cast<unsigned>(getpid()));
    for (int tries = 1;; ++tries) {
      if (Status s = reconnect_if_lost(); !s.ok()) return s;
      if (Status s = exec(begin); !s.ok()) return s;
      in_transaction_ = true;
      Status result = body();
      in_transaction_ = false;
      // The failure that decides a retry is the body's (or the commit's), not the rollback's.
      const std::string sqlstate = result.ok() ? std::string() : conn_->sqlstate();
      if (result.ok()) result = exec("COMMIT");
      if (result.ok()) return result;
      const std::string failed = sqlstate.empty() ? conn_->sqlstate() : sqlstate;
      exec("ROLLBACK").ignore();
      drop_cache();  // it may hold what was just rolled back
      if (!retryable(failed) || tries >= kMaxTries) return result;
      const unsigned long ceiling_us = 2000UL << std::min(tries, 8);
      conn_->sleep(std::chrono::microseconds(static_cast<long>(jitter() % ceiling_us)));
    }
  }

  Status open(std::unique_ptr<PostgresConnection> connection, const StoreOptions& options) {
    conn_ = std::move(connection);
    writer_ = options.writer.empty() ? default_writer_name() : options.writer;
    if (Status s = exec("SET client_min_messages = warning"); !s.ok()) return s;
    if (Status s = migrate(); !s.ok()) return s;
    return start_session();
  }

  // What a (new) session needs: LISTEN and this writer's row.
  Status start_session() {
    drop_cache();  // notifications may have been missed
    if (Status s = exec((std::string("LISTEN ") + kChannel).c_str()); !s.ok()) return s;
    Result<Table> r = run("register_writer", Params().bind(writer_).bind(std::string(64, '0')));
    return r.ok() ? Status::Ok() : r.status();
  }

  // A connection that broke (a restarted server, a network cut) is reset once per operation;
  // the cache starts empty, since notifications may have been lost meanwhile.
  Status reconnect_if_lost() {
    if (conn_->connected()) return Status::Ok();
    if (Status s = conn_->reconnect(); !s.ok()) return s;
    return start_session();
  }

  Status migrate() {
    auto body = [&]() -> Status {
      // One migrator at a time, even when a fleet starts together.
      if (Status s = exec("SELECT pg_advisory_xact_lock(7316150432)"); !s.ok()) return s;
      if (Status s = exec("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)"); !s.ok()) {
        return s;
      }
      Result<Table> rows = run("schema_version", Params());
      if (!rows.ok()) return rows.status();
      const int version = rows->rows == 0 ? 0 : std::atoi(rows->text(0, 0).c_str());
      auto run = [&](const char* sql) { return exec(sql); };
      return sql::migrate("postgresql", version, kPostgresSchemaVersion, kMigrations, run);
    };
    return attempt(body, "BEGIN");
  }

  // Every statement the store runs, by name (a connection prepares each once per session).
  static const std::map<std::string, std::string, std::less<>>& statements() {
    static const std::map<std::string, std::string, std::less<>> all = [] {
      std::string placeholders, updates;
      for (int i = 1; i <= sql::kRecordColumnCount; ++i) placeholders += (i > 1 ? ", $" : "$") + std::to_string(i);
      std::string_view columns = sql::kRecordColumns;
      for (std::size_t at = 0; at < columns.size();) {
        std::size_t end = columns.find(", ", at);
        std::string_view column = columns.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
        if (column != "id") updates += (updates.empty() ? "" : ", ") + std::string(column) + " = excluded." + std::string(column);
        at = end == std::string_view::npos ? columns.size() : end + 2;
      }
      const std::string events = "SELECT writer, seq, at, type, key_id, actor, outcome, details, encode(prev_hash, 'hex'), "
                                 "encode(hash, 'hex') FROM events ";
      return std::map<std::string, std::string, std::less<>>{
          {"schema_version", "SELECT value FROM meta WHERE key = 'schema_version'"},
          {"select_record", std::string("SELECT ") + sql::kRecordColumns + " FROM keys WHERE id = $1"},
          {"select_all", std::string("SELECT ") + sql::kRecordColumns + " FROM keys ORDER BY id"},
          {"upsert_record", std::string("INSERT INTO keys(") + sql::kRecordColumns + ") VALUES(" + placeholders +
                                ") ON CONFLICT(id) DO UPDATE SET " + updates},
          {"notify", std::string("SELECT pg_notify('") + kChannel + "', $1)"},
          {"select_secret", std::string("SELECT ") + sql::kSecretColumns + " FROM secrets WHERE id = $1"},
          {"select_secrets", std::string("SELECT ") + sql::kSecretColumns + " FROM secrets ORDER BY id"},
          {"upsert_secret", std::string("INSERT INTO secrets(") + sql::kSecretColumns +
                                ") VALUES($1, $2, $3, $4, $5, $6) ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, "
                                "key_id = excluded.key_id, sealed = excluded.sealed, created_at = excluded.created_at, "
                                "updated_at = excluded.updated_at"},
          {"queue_notification", sql::kQueueNotification},
          {"write_notification", sql::kWriteNotification},
          {"select_notifications", sql::kSelectNotifications},
          {"register_writer",
           "INSERT INTO writers(writer, seq, hash) VALUES($1, 0, decode($2, 'hex')) ON CONFLICT(writer) DO NOTHING"},
          {"writer_head", "SELECT seq, encode(hash, 'hex') FROM writers WHERE writer = $1 FOR UPDATE"},
          {"set_writer_head", "UPDATE writers SET seq = $2, hash = decode($3, 'hex') WHERE writer = $1"},
          {"chain_heads", "SELECT writer, seq, encode(hash, 'hex') FROM writers WHERE seq > 0 ORDER BY writer"},
          {"insert_events",
           "INSERT INTO events(writer, seq, at, type, key_id, actor, outcome, details, prev_hash, hash) "
           "SELECT $1, e.seq, e.at, e.type, e.key_id, e.actor, e.outcome, e.details, decode(e.prev_hash, 'hex'), "
           "decode(e.hash, 'hex') FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], "
           "$7::text[], $8::text[], $9::text[], $10::text[]) "
           "AS e(seq, at, type, key_id, actor, outcome, details, prev_hash, hash)"},
          {"touch",
           "UPDATE keys k SET rate_tat_ms = t.tat_ms, rate_tat_frac = t.tat_frac, last_used_at = t.at "
           "FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) AS t(id, tat_ms, tat_frac, at) "
           "WHERE k.id = t.id"},
          {"count_usage",
           "INSERT INTO usage(key_id, start, requests, errors) "
           "SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) "
           "ON CONFLICT(key_id, start) DO UPDATE SET requests = usage.requests + excluded.requests, "
           "errors = usage.errors + excluded.errors"},
          {"count_outcomes",
           "INSERT INTO usage_outcomes(key_id, start, outcome, count) "
           "SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[]) "
           "ON CONFLICT(key_id, start, outcome) DO UPDATE SET count = usage_outcomes.count + excluded.count"},
          {"count_latency",
           "INSERT INTO usage_latency(key_id, start, bucket, count) "
           "SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) "
           "ON CONFLICT(key_id, start, bucket) DO UPDATE SET count = usage_latency.count + excluded.count"},
          {"select_events", events + "ORDER BY id"},
          {"select_key_events", events + "WHERE key_id = $1 ORDER BY id"},
          {"select_usage",
           "SELECT start, requests, errors FROM usage WHERE key_id = $1 AND start >= $2 AND start < $3 ORDER BY start"},
          {"select_outcomes",
           "SELECT start, outcome, count FROM usage_outcomes WHERE key_id = $1 AND start >= $2 AND start < $3"},
          {"select_latency",
           "SELECT start, bucket, count FROM usage_latency WHERE key_id = $1 AND start >= $2 AND start < $3"},
          {"select_window",
           "SELECT COALESCE(SUM(CASE WHEN start = $2 THEN requests END), 0), "
           "COALESCE(SUM(CASE WHEN start = $2 THEN errors END), 0), "
           "COALESCE(SUM(CASE WHEN start < $2 THEN requests END), 0), "
           "COALESCE(SUM(CASE WHEN start < $2 THEN errors END), 0) "
           "FROM usage WHERE key_id = $1 AND start >= $3 AND start <= $2"},
      };
    }();
    return all;
  }

  // Drops the records other instances (or this one) announced as changed. Called before
  // every read: reading the socket without blocking costs about a microsecond.
  Status check_cache() override {
    auto drop = [this](std::string_view id) {
      if (auto it = cache_.find(id); it != cache_.end()) cache_.erase(it);
    };
    if (conn_->notifications(drop)) return Status::Ok();
    drop_cache();
    return reconnect_if_lost();
  }

  // Adds aggregates' counts, one statement per table for the whole batch.
  Status add_usage(const std::vector<std::pair<std::string_view, const usage::Aggregate*>>& sums) {
    Array ids, starts, requests, errors, o_ids, o_starts, o_names, o_counts, l_ids, l_starts, l_buckets, l_counts;
    bool any = false, any_outcome = false, any_latency = false;
    auto n = [](std::uint64_t v) { return static_cast<std::int64_t>(v); };
    for (const auto& [key_id, aggregate] : sums) {
      const usage::Aggregate& a = *aggregate;
      any = true;
      ids.add(key_id);
      starts.add(a.start);
      requests.add(n(a.requests));
      errors.add(n(a.errors));
      for (const auto& [outcome, count] : a.outcomes) {
        any_outcome = true;
        o_ids.add(key_id);
        o_starts.add(a.start);
        o_names.add(outcome);
        o_counts.add(n(count));
      }
      for (const auto& [bucket, count] : a.latency) {
        any_latency = true;
        l_ids.add(key_id);
        l_starts.add(a.start);
        l_buckets.add(std::int64_t{bucket});
        l_counts.add(n(count));
      }
    }
    const std::tuple<bool, const char*, const Array*, const Array*, const Array*, const Array*> statements[] = {
        {any, "count_usage", &ids, &starts, &requests, &errors},
        {any_outcome, "count_outcomes", &o_ids, &o_starts, &o_names, &o_counts},
        {any_latency, "count_latency", &l_ids, &l_starts, &l_buckets, &l_counts},
    };
    for (const auto& [wanted, name, a, b, c, d] : statements) {
      if (!wanted) continue;
      Result<Table> r = run(name, Params().bind(a->done()).bind(b->done()).bind(c->done()).bind(d->done()));
      if (!r.ok()) return r.status();
    }
    return Status::Ok();
  }

  Status write_plan(const Plan& plan) {
    for (const StoredSecret& secret : plan.secrets) {
      Params p;
      sql::bind_secret(p, secret);
      if (Result<Table> s = run("upsert_secret", p); !s.ok()) return s.status();
    }
    for (const auto& [notifications, statement] :
         {std::pair{&plan.queued, "queue_notification"}, std::pair{&plan.notifications, "write_notification"}}) {
      for (const Notification& n : *notifications) {
        Params p;
        sql::bind_notification(p, n);
        if (Result<Table> s = run(statement, p); !s.ok()) return s.status();
      }
    }
    for (const KeyRecord& r : plan.records) {
      cache_.erase(r.id);
      Params p;
      sql::bind_record(p, r);
      if (Result<Table> s = run("upsert_record", p); !s.ok()) return s.status();
      if (Result<Table> s = run("notify", Params().bind(r.id)); !s.ok()) return s.status();
    }
    const sql::AccessBatch batch = sql::batch_of(plan);
    note_written(batch);
    if (!batch.latest_touch.empty()) {
      Array ids, tat_ms, tat_frac, at;
      for (const auto& [key_id, a] : batch.latest_touch) {
        ids.add(key_id);
        tat_ms.add(a->rate.tat_ms);
        tat_frac.add(a->rate.tat_frac);
        at.add(a->at);
      }
      Result<Table> s = run("touch", Params().bind(ids.done()).bind(tat_ms.done()).bind(tat_frac.done()).bind(at.done()));
      if (!s.ok()) return s.status();
    }
    std::vector<std::pair<std::string_view, const usage::Aggregate*>> sums;
    for (const auto& [where, sum] : batch.sums) sums.emplace_back(where.first, &sum);
    if (Status s = add_usage(sums); !s.ok()) return s;
    return append(plan.events);
  }

  // Seals the events into this writer's chain: its head row is locked (only this instance
  // writes it, so nobody waits), the events go in as one statement, and the head moves on.
  Status append(const std::vector<audit::Event>& planned) {
    if (planned.empty()) return Status::Ok();
    Result<Table> head = run("writer_head", Params().bind(writer_));
    if (!head.ok()) return head.status();
    if (head->rows != 1) return Status(Code::kStorageUnavailable, "postgresql: this writer's chain head is missing");
    std::int64_t seq = head->integer(0, 0);
    std::optional<audit::Digest> hash = audit::from_hex(head->text(0, 1));
    if (!hash) return Status(Code::kStorageUnavailable, "postgresql: this writer's chain head is unreadable");
    Array seqs, ats, types, key_ids, actors, outcomes, details, prevs, hashes;
    for (const audit::Event& planned_event : planned) {
      audit::Event e = planned_event;
      e.seq = static_cast<std::uint64_t>(++seq);
      prevs.add(hex_of(*hash));
      *hash = audit::chain_digest(e, *hash);
      seqs.add(seq);
      ats.add(e.at);
      types.add(e.type);
      key_ids.add(e.key_id);
      actors.add(e.actor);
      outcomes.add(e.outcome);
      details.add(e.details);
      hashes.add(hex_of(*hash));
    }
    Params p;
    p.bind(writer_);
    for (const Array* a : {&seqs, &ats, &types, &key_ids, &actors, &outcomes, &details, &prevs, &hashes}) p.bind(a->done());
    if (Result<Table> s = run("insert_events", p); !s.ok()) return s.status();
    Result<Table> moved = run("set_writer_head", Params().bind(writer_).bind(seq).bind(hex_of(*hash)));
    return moved.ok() ? Status::Ok() : moved.status();
  }

  static constexpr int kMaxTries = 12;

  std::unique_ptr<PostgresConnection> conn_;
  std::string writer_;
  bool in_transaction_ = false;
};

}  // namespace

std::int64_t PostgresConnection::Table::integer(int row, int column) const {
  return std::strtoll(text(row, column).c_str(), nullptr, 10);
}

Result<std::unique_ptr<Store>> open_postgres_store(std::unique_ptr<PostgresConnection> connection,
                                                   const StoreOptions& options) {
  if (!connection) return Status(Code::kInvalidRequest, "postgresql: no connection");
  std::unique_ptr<PostgresStore> store(new PostgresStore(options));
  if (Status s = store->open(std::move(connection), options); !s.ok()) return s;
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace finfusion::registry
