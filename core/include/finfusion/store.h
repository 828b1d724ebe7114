// finfusion/store.h - opening the store a Registry keeps its records, audit log and usage in.
//
//   auto store = finfusion::registry::open_store("sqlite:/var/lib/finfusion/keys.db");
//   if (!store.ok()) return store.status();            // storage_unavailable, precondition_failed
//   finfusion::registry::Registry reg(hasher, table, std::move(*store));
//
// URLs: "memory:" (in this process only), "sqlite:PATH" (a file, created on first use;
// native builds) and "postgresql://..." (a fleet's shared registry; native builds, and Node
// through the npm package). SQLite keeps a schema version and migrates older files forward
// in one transaction; it runs in WAL mode, applies every registry operation in one BEGIN
// IMMEDIATE transaction (so concurrent writers, even in other processes, never interleave a
// read and its write) and waits out a busy database for a bounded time.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "finfusion/registry.h"
#include "finfusion/status.h"

namespace finfusion::registry {

// The schemas this build writes; older ones are migrated when opened.
inline constexpr int kSqliteSchemaVersion = 3;
inline constexpr int kPostgresSchemaVersion = 3;

struct StoreOptions {
  std::size_t max_events = kDefaultMaxEvents;  // memory: the audit events kept
  int busy_timeout_ms = 5000;                  // SQLite: how long to wait for another writer
  // SQLite: verifications' accesses and events are held in memory and written in one
  // transaction per batch: when `flush_every` are held, when the oldest is `flush_interval_ms`
  // old (checked on the next write), before any other write, on flush() and when the store
  // closes. A crash loses at most that much access logging and never a lifecycle event.
  // 0 writes every verification through.
  std::size_t flush_every = 1024;
  int flush_interval_ms = 1000;
  // SQLite and PostgreSQL: records read are kept per connection (dropped when another
  // connection commits a change, see the operations guide); false looks every record up.
  bool cache_records = true;
  // PostgreSQL: the name of this instance's audit chain; "" for "host:pid:random". Two live
  // instances given one name share a chain and take turns appending to it.
  std::string writer;
};

// Errors: invalid_request for an unknown scheme or an empty path; storage_unavailable when
// the file cannot be opened or is not a registry (or SQLite is not in this build);
// precondition_failed when the file's schema is newer than this build's.
Result<std::unique_ptr<Store>> open_store(std::string_view url, const StoreOptions& options = {});

// The same for a path: open_store("sqlite:" + path).
Result<std::unique_ptr<Store>> open_sqlite_store(std::string_view path, const StoreOptions& options = {});

// The same for a libpq connection URI ("postgresql://user@host:5432/db?sslmode=require").
Result<std::unique_ptr<Store>> open_postgres_store(std::string_view url, const StoreOptions& options = {});

// A session with PostgreSQL that the PostgreSQL store runs its statements on. Native builds
// open one through libpq (open_postgres_store(url)); the npm package hands WebAssembly one
// over `pg` (a worker thread that answers synchronously), so both run the same statements,
// transactions, retries and cache invalidation. Implementations never throw.
class PostgresConnection {
 public:
  // A result: `rows` x `columns` values in text form, row by row.
  struct Table {
    int rows = 0;
    int columns = 0;
    std::vector<std::string> cells;
    const std::string& text(int row, int column) const { return cells[static_cast<std::size_t>(row * columns + column)]; }
    std::int64_t integer(int row, int column) const;
  };

  virtual ~PostgresConnection() = default;
  // One statement with parameters $1... in text form. `name` is the statement's identity:
  // a session may prepare it once and reuse it. Errors: storage_unavailable, the server's
  // message after "postgresql: NAME: "; sqlstate() then holds its SQLSTATE.
  virtual Result<Table> run(const char* name, const std::string& sql, const std::vector<std::string>& params) = 0;
  // Statements without parameters (BEGIN, COMMIT, a migration); errors as run().
  virtual Status exec(const std::string& sql) = 0;
  // The SQLSTATE of the last call's failure ("" after a success, or for a failure without
  // one, such as a lost connection).
  const std::string& sqlstate() const noexcept { return sqlstate_; }
  // Hands over the payloads of the notifications received so far, without waiting; false
  // when the connection is lost.
  virtual bool notifications(FunctionRef<void(std::string_view)> each) = 0;
  // False once the connection is lost; reconnect() then opens a new session (nothing
  // prepared or listened to yet).
  virtual bool connected() = 0;
  virtual Status reconnect() = 0;
  // Waits before a transaction is tried again.
  virtual void sleep(std::chrono::microseconds how_long) = 0;

 protected:
  std::string sqlstate_;
};

// The PostgreSQL store over a connection someone else opened.
Result<std::unique_ptr<Store>> open_postgres_store(std::unique_ptr<PostgresConnection> connection,
                                                   const StoreOptions& options = {});

}  // namespace finfusion::registry
