// The native PostgreSQL connection: libpq. Statements are prepared once per session, by
// name; notifications are read from the socket without blocking.
#include <libpq-fe.h>

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "finfusion/store.h"

namespace finfusion::registry {
namespace {

// A query result, cleared when it goes.
class Result_ {
 public:
  explicit Result_(PGresult* r) : r_(r) {}
  Result_(const Result_&) = delete;
  Result_& operator=(const Result_&) = delete;
  ~Result_() { PQclear(r_); }
  PGresult* get() const noexcept { return r_; }

 private:
  PGresult* r_;
};

class LibpqConnection final : public PostgresConnection {
 public:
  ~LibpqConnection() override { PQfinish(conn_); }

  Status connect(std::string_view url) {
    conn_ = PQconnectdb(std::string(url).c_str());
    if (conn_ == nullptr) return Status(Code::kStorageUnavailable, "postgresql: out of memory");
    if (PQstatus(conn_) != CONNECTION_OK) return error("connect", PQerrorMessage(conn_));
    listen_for_fatal();
    return Status::Ok();
  }

  Result<Table> run(const char* name, const std::string& sql, const std::vector<std::string>& params) override {
    sqlstate_.clear();
    if (prepared_.find(name) == prepared_.end()) {
      Result_ prepared(PQprepare(conn_, name, sql.c_str(), 0, nullptr));
      if (Status s = check(prepared.get(), name); !s.ok()) return s;
      prepared_.insert(name);
    }
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const std::string& p : params) values.push_back(p.c_str());
    Result_ r(PQexecPrepared(conn_, name, static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0));
    if (Status s = check(r.get(), name); !s.ok()) return s;
    Table t;
    t.rows = PQntuples(r.get());
    t.columns = PQnfields(r.get());
    t.cells.reserve(static_cast<std::size_t>(t.rows) * static_cast<std::size_t>(t.columns));
    for (int row = 0; row < t.rows; ++row) {
      for (int column = 0; column < t.columns; ++column) {
        t.cells.emplace_back(PQgetvalue(r.get(), row, column), static_cast<std::size_t>(PQgetlength(r.get(), row, column)));
      }
    }
    return t;
  }

  Status exec(const std::string& sql) override {
    sqlstate_.clear();
    Result_ r(PQexec(conn_, sql.c_str()));
    return check(r.get(), "exec");
  }

  bool notifications(FunctionRef<void(std::string_view)> each) override {
    if (PQconsumeInput(conn_) == 0) return false;
    while (PGnotify* n = PQnotifies(conn_)) {  // parses what came, notices included
      if (n->extra != nullptr) each(n->extra);
      PQfreemem(n);
    }
    return !ended_;
  }

  bool connected() override { return PQstatus(conn_) == CONNECTION_OK && !ended_; }

  Status reconnect() override {
    prepared_.clear();
    ended_ = false;
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) return error("reconnect", PQerrorMessage(conn_));
    return Status::Ok();
  }

  void sleep(std::chrono::microseconds how_long) override { std::this_thread::sleep_for(how_long); }

 private:
  Status error(std::string_view what, const char* detail) const {
    std::string message = "postgresql: " + std::string(what) + ": " + (detail != nullptr ? detail : "");
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    return Status(Code::kStorageUnavailable, message);
  }

  // A result that is not a success becomes an error, and its SQLSTATE is kept for the
  // store's retry decision.
  Status check(PGresult* r, std::string_view what) {
    const ExecStatusType status = PQresultStatus(r);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Status::Ok();
    const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    sqlstate_ = state != nullptr ? state : "";
    return error(what, r != nullptr ? PQresultErrorMessage(r) : PQerrorMessage(conn_));
  }

  // Notices and warnings go nowhere (a library does not write to stderr; errors come back as
  // statuses), except a FATAL one between queries: the server ending this session (a
  // terminated backend, a shutdown). The socket's end may arrive only later, and until then
  // the connection looks fine, so the session is counted as over at once: notifications may
  // have been missed, and the cache must not be trusted a moment longer.
  void listen_for_fatal() {
    PQsetNoticeReceiver(
        conn_,
        [](void* self, const PGresult* notice) {
          const char* severity = PQresultErrorField(notice, PG_DIAG_SEVERITY_NONLOCALIZED);
          if (severity != nullptr && (std::string_view(severity) == "FATAL" || std::string_view(severity) == "PANIC")) {
            static_cast<LibpqConnection*>(self)->ended_ = true;
          }
        },
        this);
  }

  PGconn* conn_ = nullptr;
  bool ended_ = false;
  std::set<std::string, std::less<>> prepared_;
};

}  // namespace

Result<std::unique_ptr<Store>> open_postgres_store(std::string_view url, const StoreOptions& options) {
  auto connection = std::make_unique<LibpqConnection>();
  if (Status s = connection->connect(url); !s.ok()) return s;
  return open_postgres_store(std::move(connection), options);
}

}  // namespace finfusion::registry
