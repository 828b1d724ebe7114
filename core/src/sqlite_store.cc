// The SQLite store: one file, WAL mode, a schema version with forward migrations, every
// registry operation in one BEGIN IMMEDIATE transaction, prepared statements throughout.
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "finfusion/store.h"
#include "internal/store_rows.h"

namespace finfusion::registry {
namespace {

Status storage_error(sqlite3* db, const char* what) {
  return Status(Code::kStorageUnavailable,
                std::string("sqlite: ") + what + ": " + (db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}

// The schema, one entry per version: entry i moves a file from version i to i + 1.
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
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  status TEXT NOT NULL,
  revoked_at INTEGER NOT NULL,
  revoke_reason TEXT NOT NULL,
  version INTEGER NOT NULL,
  replaces TEXT NOT NULL,
  replaced_by TEXT NOT NULL,
  grace_until INTEGER NOT NULL,
  stored_hash TEXT NOT NULL,
  rate_tat_ms INTEGER NOT NULL,
  rate_tat_frac INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL,
  expiry_logged INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE events(
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  type TEXT NOT NULL,
  key_id TEXT NOT NULL,
  actor TEXT NOT NULL,
  outcome TEXT NOT NULL,
  details TEXT NOT NULL,
  hash BLOB NOT NULL
);
CREATE INDEX events_by_key ON events(key_id, seq);
CREATE TABLE usage(
  key_id TEXT NOT NULL, start INTEGER NOT NULL, requests INTEGER NOT NULL, errors INTEGER NOT NULL,
  PRIMARY KEY(key_id, start)) WITHOUT ROWID;
CREATE TABLE usage_outcomes(
  key_id TEXT NOT NULL, start INTEGER NOT NULL, outcome TEXT NOT NULL, count INTEGER NOT NULL,
  PRIMARY KEY(key_id, start, outcome)) WITHOUT ROWID;
CREATE TABLE usage_latency(
  key_id TEXT NOT NULL, start INTEGER NOT NULL, bucket INTEGER NOT NULL, count INTEGER NOT NULL,
  PRIMARY KEY(key_id, start, bucket)) WITHOUT ROWID;
)sql",
    sql::kSecretsTable,
    sql::kNotificationsTable,
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kSqliteSchemaVersion, "one migration per version");

using sql::kRecordColumns;

// A prepared statement, reset after each use.
class Stmt {
 public:
  Stmt() = default;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(stmt_); }

  Status prepare(sqlite3* db, const char* sql) {
    db_ = db;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK) {
      return storage_error(db, "prepare");
    }
    return Status::Ok();
  }
  // Binds in order, from parameter 1.
  Stmt& bind(std::string_view text) {
    sqlite3_bind_text(stmt_, ++index_, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  // Text that outlives the statement's next run (no copy is made).
  Stmt& bind_static(std::string_view text) {
    sqlite3_bind_text(stmt_, ++index_, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
    return *this;
  }
  Stmt& bind(std::int64_t value) {
    sqlite3_bind_int64(stmt_, ++index_, value);
    return *this;
  }
  // Bytes that outlive the statement's next run (no copy is made).
  Stmt& bind_static_blob(const void* data, std::size_t size) {
    sqlite3_bind_blob(stmt_, ++index_, data, static_cast<int>(size), SQLITE_STATIC);
    return *this;
  }
  // SQLITE_ROW or SQLITE_DONE; anything else is an error (and the statement is reset).
  Result<bool> step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    Status s = rc == SQLITE_DONE ? Status::Ok() : storage_error(db_, "step");
    reset();
    if (!s.ok()) return s;
    return false;
  }
  // Calls `row(*this)` for each result row; stops at the first error (its own or the row's).
  template <class F>
  Status each(F&& row) {
    for (;;) {
      Result<bool> r = step();
      if (!r.ok()) return r.status();
      if (!*r) return Status::Ok();
      if (Status s = row(*this); !s.ok()) {
        reset();
        return s;
      }
    }
  }
  Status run() {
    Result<bool> r = step();
    if (!r.ok()) return r.status();
    if (*r) reset();
    return Status::Ok();
  }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    index_ = 0;
  }
  std::string text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return p == nullptr ? std::string() : std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
  }
  std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string blob(int column) const {
    const void* p = sqlite3_column_blob(stmt_, column);
    return p == nullptr ? std::string()
                        : std::string(static_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
  }
  bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  int index_ = 0;
};

audit::Digest digest_of(const std::string& bytes) {
  audit::Digest d{};
  if (bytes.size() == d.size()) std::copy(bytes.begin(), bytes.end(), d.begin());
  return d;
}

class SqliteStore final : public sql::CachingStore {
 public:
  // Held-back verifications are written first; close_v2 waits for the statements (members,
  // finalized after this body) to go.
  ~SqliteStore() override {
    flush().ignore();
    sqlite3_close_v2(db_);
  }

  Result<std::optional<KeyRecord>> get(std::string_view id) override {
    if (Status s = check_cache(); !s.ok()) return s;
    if (auto hit = cache_.find(id); hit != cache_.end()) {
      KeyRecord r = hit->second;
      buffer_.overlay(r);
      return std::optional<KeyRecord>(std::move(r));
    }
    Stmt& q = *select_record_;
    q.bind(id);
    Result<bool> row = q.step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<KeyRecord>();
    Result<KeyRecord> r = sql::record_of(q, "sqlite");
    q.reset();
    if (!r.ok()) return r.status();
    remember(*r);
    buffer_.overlay(*r);
    return std::optional<KeyRecord>(std::move(*r));
  }

  Result<std::vector<KeyRecord>> list() override {
    std::vector<KeyRecord> out;
    Status s = select_all_->each([&](const Stmt& q) {
      Result<KeyRecord> r = sql::record_of(q, "sqlite");
      if (!r.ok()) return r.status();
      buffer_.overlay(*r);
      out.push_back(std::move(*r));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  // Every transaction first writes the verifications held back, so the log keeps its order;
  // they are dropped from memory only once committed.
  Status transaction(FunctionRef<Status()> body) override {
    if (in_transaction_) return body();  // already inside one: part of it
    if (Status s = begin(); !s.ok()) return s;
    if (Status s = write_plan(buffer_.pending()); !s.ok()) {
      rollback();
      return s;
    }
    in_transaction_ = true;
    Status result = body();
    in_transaction_ = false;
    if (!result.ok()) {
      rollback();
      return result;
    }
    if (Status s = exec("COMMIT"); !s.ok()) {
      rollback();
      return s;
    }
    buffer_.clear();
    return Status::Ok();
  }

  Status apply(Plan& plan) override {
    if (buffers_accesses_ && !in_transaction_ && sql::bufferable(plan)) {
      return buffer_.hold(plan) ? flush() : Status::Ok();
    }
    auto write = [&]() -> Status { return write_plan(plan); };
    return transaction(write);
  }

  Status flush() override {
    if (buffer_.empty()) return Status::Ok();
    auto nothing = []() -> Status { return Status::Ok(); };
    return transaction(nothing);
  }

  Result<std::optional<StoredSecret>> secret(std::string_view id) override {
    Stmt& q = *select_secret_;
    q.bind(id);
    Result<bool> row = q.step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<StoredSecret>();
    StoredSecret found = sql::secret_of(q);
    q.reset();
    return std::optional<StoredSecret>(std::move(found));
  }

  Result<std::vector<StoredSecret>> secrets() override {
    std::vector<StoredSecret> out;
    Status s = select_secrets_->each([&](const Stmt& q) {
      out.push_back(sql::secret_of(q));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::vector<Notification>> notifications(const NotificationQuery& query) override {
    std::vector<Notification> out;
    Stmt& q = *select_notifications_;
    sql::bind_query(q, query);
    Status s = q.each([&](const Stmt& row) {
      Result<Notification> n = sql::notification_of(row, "sqlite");
      if (!n.ok()) return n.status();
      out.push_back(std::move(*n));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::vector<audit::Event>> events(std::string_view key_id) override {
    if (Status s = flush(); !s.ok()) return s;
    std::vector<audit::Event> out;
    Stmt& q = key_id.empty() ? *select_events_ : *select_key_events_;
    if (!key_id.empty()) q.bind(key_id);
    Status s = q.each([&](const Stmt& row) {
      audit::Event e;
      e.seq = static_cast<std::uint64_t>(row.integer(0));
      e.at = row.integer(1);
      e.type = row.text(2);
      e.key_id = row.text(3);
      e.actor = row.text(4);
      e.outcome = row.text(5);
      e.details = row.text(6);
      e.hash = audit::to_hex(digest_of(row.blob(7)));
      if (!row.is_null(8)) e.prev_hash = audit::to_hex(digest_of(row.blob(8)));
      out.push_back(std::move(e));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::vector<usage::Aggregate>> usage(std::string_view key_id, time::Millis start, time::Millis end) override {
    if (Status s = flush(); !s.ok()) return s;
    std::map<time::Millis, usage::Aggregate> by_start;
    auto count = [](std::int64_t n) { return static_cast<std::uint64_t>(n); };
    Status s = select_usage_->bind(key_id).bind(start).bind(end).each([&](const Stmt& row) {
      usage::Aggregate& a = by_start[row.integer(0)];
      a.start = row.integer(0);
      a.requests = count(row.integer(1));
      a.errors = count(row.integer(2));
      return Status::Ok();
    });
    if (s.ok()) {
      s = select_outcomes_->bind(key_id).bind(start).bind(end).each([&](const Stmt& row) {
        by_start[row.integer(0)].outcomes[row.text(1)] = count(row.integer(2));
        return Status::Ok();
      });
    }
    if (s.ok()) {
      s = select_latency_->bind(key_id).bind(start).bind(end).each([&](const Stmt& row) {
        by_start[row.integer(0)].latency[static_cast<std::int32_t>(row.integer(1))] = count(row.integer(2));
        return Status::Ok();
      });
    }
    if (!s.ok()) return s;
    std::vector<usage::Aggregate> out;
    out.reserve(by_start.size());
    for (auto& entry : by_start) out.push_back(std::move(entry.second));
    return out;
  }

  // Other processes' requests reach a key's window as soon as they commit (data_version).
  Result<UsageWindow> read_window(std::string_view key_id, time::Millis minute) override {
    UsageWindow w;
    Stmt& q = *select_window_;
    q.bind(minute).bind(minute).bind(minute).bind(minute).bind(key_id).bind(minute - usage::kBaselineMs).bind(minute);
    Result<bool> row = q.step();
    if (!row.ok()) return row.status();
    if (*row) {
      w.minute_requests = static_cast<std::uint64_t>(q.integer(0));
      w.minute_errors = static_cast<std::uint64_t>(q.integer(1));
      w.hour_requests = static_cast<std::uint64_t>(q.integer(2));
      w.hour_errors = static_cast<std::uint64_t>(q.integer(3));
      q.reset();
    }
    return w;
  }

 private:
  friend Result<std::unique_ptr<Store>> sql::open_as<SqliteStore>(std::string_view, const StoreOptions&);

  explicit SqliteStore(const StoreOptions& options) : CachingStore(options) {}

  bool reading_through() const override { return false; }  // the cache is current under the write lock

  Status exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error != nullptr ? error : "unknown error";
      sqlite3_free(error);
      return Status(Code::kStorageUnavailable, std::string("sqlite: ") + message);
    }
    return Status::Ok();
  }

  void rollback() {
    exec("ROLLBACK").ignore();
    drop_cache();  // it may hold what was just rolled back
  }

  // BEGIN IMMEDIATE takes the write lock now; the busy handler waits for another writer up
  // to the busy timeout, and a few more attempts cover a lock lost to a checkpoint.
  Status begin() {
    Status s = Status::Ok();
    for (int attempt = 0; attempt < 5; ++attempt) {
      s = exec("BEGIN IMMEDIATE");
      if (s.ok()) return s;
      int rc = sqlite3_errcode(db_);
      if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(10 << attempt));
    }
    return s;
  }

  Status open(std::string_view path, const StoreOptions& options) {
    if (path.empty()) return Status(Code::kInvalidRequest, "sqlite: an empty path");
    std::string p(path);
    if (sqlite3_open_v2(p.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK) {
      return storage_error(db_, "open");
    }
    sqlite3_extended_result_codes(db_, 0);
    sqlite3_busy_timeout(db_, options.busy_timeout_ms);
    // WAL: readers never block the writer; NORMAL: a committed transaction survives a crash
    // of the process (only a power loss can take the last ones, and never half of one).
    // Checkpoints every 16,000 pages (64 MiB) instead of SQLite's 1,000: the pages batches of
    // verifications keep rewriting (the log's and the usage tables' last pages) are copied
    // into the database once per checkpoint, not once per 4 MiB; the file is cut back to
    // 64 MiB after each.
    if (Status s = exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=16000; "
                        "PRAGMA journal_size_limit=67108864;");
        !s.ok()) {
      return Status(Code::kStorageUnavailable, "sqlite: not a database, or not writable: " + s.message());
    }
    if (Status s = migrate(); !s.ok()) return s;
    return prepare();
  }

  Status migrate() {
    auto body = [&]() -> Status {
      if (Status s = exec("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)"); !s.ok()) {
        return s;
      }
      int version = 0;
      Stmt q;
      if (Status s = q.prepare(db_, "SELECT value FROM meta WHERE key = 'schema_version'"); !s.ok()) return s;
      Result<bool> row = q.step();
      if (!row.ok()) return row.status();
      if (*row) {
        version = std::atoi(q.text(0).c_str());
        q.reset();
      }
      auto run = [&](const char* sql) { return exec(sql); };
      return sql::migrate("sqlite", version, kSqliteSchemaVersion, kMigrations, run);
    };
    return transaction(body);
  }

  Status prepare() {
    const std::string select_one = std::string("SELECT ") + kRecordColumns + " FROM keys WHERE id = ?";
    const std::string select_all = std::string("SELECT ") + kRecordColumns + " FROM keys ORDER BY id";
    std::string insert_rows = "INSERT INTO events(seq, at, type, key_id, actor, outcome, details, hash) VALUES";
    for (std::size_t i = 0; i < kEventRows; ++i) insert_rows += i == 0 ? "(?, ?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?, ?)";
    const std::string upsert = std::string("INSERT OR REPLACE INTO keys(") + kRecordColumns +
                               ") VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    const std::pair<std::unique_ptr<Stmt>*, std::string> all[] = {
        {&select_record_, select_one},
        {&select_all_, select_all},
        {&upsert_record_, upsert},
        {&select_secret_, std::string("SELECT ") + sql::kSecretColumns + " FROM secrets WHERE id = ?"},
        {&select_secrets_, std::string("SELECT ") + sql::kSecretColumns + " FROM secrets ORDER BY id"},
        {&upsert_secret_, std::string("INSERT OR REPLACE INTO secrets(") + sql::kSecretColumns + ") VALUES(?, ?, ?, ?, ?, ?)"},
        {&queue_notification_, sql::kQueueNotification},
        {&write_notification_, sql::kWriteNotification},
        {&select_notifications_, sql::kSelectNotifications},
        {&touch_, "UPDATE keys SET rate_tat_ms = ?, rate_tat_frac = ?, last_used_at = ? WHERE id = ?"},
        {&count_usage_,
         "INSERT INTO usage(key_id, start, requests, errors) VALUES(?, ?, ?, ?) "
         "ON CONFLICT(key_id, start) DO UPDATE SET requests = requests + excluded.requests, "
         "errors = errors + excluded.errors"},
        {&count_outcome_,
         "INSERT INTO usage_outcomes(key_id, start, outcome, count) VALUES(?, ?, ?, ?) "
         "ON CONFLICT(key_id, start, outcome) DO UPDATE SET count = count + excluded.count"},
        {&count_latency_,
         "INSERT INTO usage_latency(key_id, start, bucket, count) VALUES(?, ?, ?, ?) "
         "ON CONFLICT(key_id, start, bucket) DO UPDATE SET count = count + excluded.count"},
        {&head_, "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"},
        {&data_version_, "PRAGMA data_version"},
        {&insert_event_,
         "INSERT INTO events(seq, at, type, key_id, actor, outcome, details, hash) VALUES(?, ?, ?, ?, ?, ?, ?, ?)"},
        {&insert_events_, insert_rows},
        {&select_events_,
         "SELECT e.seq, e.at, e.type, e.key_id, e.actor, e.outcome, e.details, e.hash, p.hash FROM events e "
         "LEFT JOIN events p ON p.seq = e.seq - 1 ORDER BY e.seq"},
        {&select_key_events_,
         "SELECT e.seq, e.at, e.type, e.key_id, e.actor, e.outcome, e.details, e.hash, p.hash FROM events e "
         "LEFT JOIN events p ON p.seq = e.seq - 1 WHERE e.key_id = ? ORDER BY e.seq"},
        {&select_usage_,
         "SELECT start, requests, errors FROM usage WHERE key_id = ? AND start >= ? AND start < ? ORDER BY start"},
        {&select_outcomes_,
         "SELECT start, outcome, count FROM usage_outcomes WHERE key_id = ? AND start >= ? AND start < ?"},
        {&select_latency_,
         "SELECT start, bucket, count FROM usage_latency WHERE key_id = ? AND start >= ? AND start < ?"},
        {&select_window_,
         "SELECT COALESCE(SUM(CASE WHEN start = ? THEN requests END), 0), "
         "COALESCE(SUM(CASE WHEN start = ? THEN errors END), 0), "
         "COALESCE(SUM(CASE WHEN start < ? THEN requests END), 0), "
         "COALESCE(SUM(CASE WHEN start < ? THEN errors END), 0) "
         "FROM usage WHERE key_id = ? AND start >= ? AND start <= ?"},
    };
    for (const auto& [slot, sql] : all) {
      *slot = std::make_unique<Stmt>();
      if (Status s = (*slot)->prepare(db_, sql.c_str()); !s.ok()) return s;
    }
    return Status::Ok();
  }

  // Adds an aggregate's counts to what the store holds for its interval.
  Status add_usage(std::string_view key_id, const usage::Aggregate& a) {
    auto n = [](std::uint64_t v) { return static_cast<std::int64_t>(v); };
    if (Status s = count_usage_->bind(key_id).bind(a.start).bind(n(a.requests)).bind(n(a.errors)).run(); !s.ok()) {
      return s;
    }
    for (const auto& [outcome, count] : a.outcomes) {
      if (Status s = count_outcome_->bind(key_id).bind(a.start).bind(outcome).bind(n(count)).run(); !s.ok()) return s;
    }
    for (const auto& [bucket, count] : a.latency) {
      if (Status s = count_latency_->bind(key_id).bind(a.start).bind(std::int64_t{bucket}).bind(n(count)).run();
          !s.ok()) {
        return s;
      }
    }
    return Status::Ok();
  }

  // Records other connections committed make the cache stale: SQLite's data_version changes
  // exactly then (this connection's own writes update the cache as they go). Asking for it
  // takes the database's read locks (four fcntl calls), so it is asked only when the WAL
  // index's change counter moved: every commit to the database, by any process, increments
  // it in the shared-memory header (https://sqlite.org/walformat.html, WalIndexHdr.iChange)
  // before its writer lets go of the write lock. Reading it is one load from shared memory.
  Status check_cache() override {
    if (wal_index_ == nullptr) map_wal_index();
    if (wal_index_ != nullptr) {
      const std::uint32_t change = __atomic_load_n(wal_index_ + kChangeCounterWord, __ATOMIC_ACQUIRE);
      if (seen_change_ && *seen_change_ == change) return Status::Ok();
      seen_change_ = change;  // read before data_version: a commit after this moves it again
    }
    Result<bool> row = data_version_->step();
    if (!row.ok()) return row.status();
    const std::int64_t version = *row ? data_version_->integer(0) : -1;
    data_version_->reset();
    if (version != cached_version_) {
      drop_cache();
      cached_version_ = version;
    }
    return Status::Ok();
  }

  Status write_plan(const Plan& plan) {
    for (const KeyRecord& r : plan.records) cache_.erase(r.id);
    for (const StoredSecret& secret : plan.secrets) {
      Stmt& q = *upsert_secret_;
      sql::bind_secret(q, secret);
      if (Status s = q.run(); !s.ok()) return s;
    }
    for (const auto& [notifications, statement] : {std::pair{&plan.queued, queue_notification_.get()},
                                                   std::pair{&plan.notifications, write_notification_.get()}}) {
      for (const Notification& n : *notifications) {
        sql::bind_notification(*statement, n);
        if (Status s = statement->run(); !s.ok()) return s;
      }
    }
    for (const KeyRecord& r : plan.records) {
      Stmt& q = *upsert_record_;
      sql::bind_record(q, r);
      if (Status s = q.run(); !s.ok()) return s;
    }
    // A batch of accesses (and imported aggregates) becomes one aggregate per key and minute
    // and one touch per key (the latest): a few statements per batch, not a few per verification.
    const sql::AccessBatch batch = sql::batch_of(plan);
    note_written(batch);
    for (const auto& [key_id, a] : batch.latest_touch) {
      if (Status s = touch_->bind(a->rate.tat_ms).bind(a->rate.tat_frac).bind(a->at).bind(key_id).run(); !s.ok()) {
        return s;
      }
    }
    for (const auto& [where, sum] : batch.sums) {
      if (Status s = add_usage(where.first, sum); !s.ok()) return s;
    }
    if (plan.events.empty()) return Status::Ok();
    std::int64_t seq = 0;
    audit::Digest head{};
    Result<bool> row = head_->step();
    if (!row.ok()) return row.status();
    if (*row) {
      seq = head_->integer(0);
      head = digest_of(head_->blob(1));
      head_->reset();
    }
    // Sealed one by one, written kEventRows to a statement (one statement per event would
    // cost as much as the rest of the batch).
    std::vector<audit::Digest> hashes(plan.events.size());
    for (std::size_t i = 0; i < plan.events.size(); ++i) {
      head = audit::chain_digest(plan.events[i], static_cast<std::uint64_t>(seq) + i + 1, head);
      hashes[i] = head;
    }
    for (std::size_t i = 0; i < plan.events.size();) {
      const bool whole = plan.events.size() - i >= kEventRows;
      Stmt& q = whole ? *insert_events_ : *insert_event_;
      for (const std::size_t end = i + (whole ? kEventRows : 1); i < end; ++i) {
        const audit::Event& e = plan.events[i];
        // The plan's strings and the hashes outlive the run: bound without copies.
        q.bind(seq + static_cast<std::int64_t>(i) + 1).bind(e.at).bind_static(e.type).bind_static(e.key_id);
        q.bind_static(e.actor).bind_static(e.outcome).bind_static(e.details);
        q.bind_static_blob(hashes[i].data(), hashes[i].size());
      }
      if (Status s = q.run(); !s.ok()) return s;
    }
    return Status::Ok();
  }

  // The WAL index (the -shm file) as this connection maps it, once it has: its first header
  // copy's iChange word. Left null (data_version on every check) when it cannot be had.
  void map_wal_index() {
    sqlite3_file* file = nullptr;
    if (sqlite3_file_control(db_, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK || file == nullptr ||
        file->pMethods == nullptr || file->pMethods->iVersion < 2 || file->pMethods->xShmMap == nullptr) {
      return;
    }
    volatile void* region = nullptr;
    // bExtend 0: the region this connection already mapped for its reads (WAL mode), or none.
    if (file->pMethods->xShmMap(file, 0, 32768, 0, &region) == SQLITE_OK && region != nullptr) {
      wal_index_ = static_cast<std::uint32_t*>(const_cast<void*>(region));
    }
  }
  static constexpr int kChangeCounterWord = 2;  // WalIndexHdr: iVersion, unused, iChange
  static constexpr std::size_t kEventRows = 32;

  sqlite3* db_ = nullptr;
  std::uint32_t* wal_index_ = nullptr;
  std::optional<std::uint32_t> seen_change_;
  bool in_transaction_ = false;
  // The data_version the cache (records as last read or written here) is valid for.
  std::int64_t cached_version_ = -1;
  std::unique_ptr<Stmt> select_secret_, select_secrets_, upsert_secret_;
  std::unique_ptr<Stmt> queue_notification_, write_notification_, select_notifications_;
  std::unique_ptr<Stmt> select_record_, select_all_, upsert_record_, touch_, count_usage_, count_outcome_,
      count_latency_, head_, data_version_, insert_event_, insert_events_, select_events_, select_key_events_, select_usage_, select_outcomes_,
      select_latency_, select_window_;
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(std::string_view path, const StoreOptions& options) {
  return sql::open_as<SqliteStore>(path, options);
}

}  // namespace finfusion::registry
