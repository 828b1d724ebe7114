// The stores behind the registry: the in-memory store, SQLite and PostgreSQL pass the same
// suite (the same operations give the same records, decisions, events and usage), and the
// persistent ones add persistence, schema versions, all-or-nothing transactions, concurrent
// writers in several processes, crash safety and caches that other writers' commits empty.
//
// PostgreSQL runs against the server in FINFUSION_TEST_POSTGRES (scripts/with-postgres.sh
// starts a throwaway one; make test always does); each test gets a database of its own.
#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "finfusion/registry.h"
#include "finfusion/store.h"
#include "fixtures.h"

using namespace finfusion;
using registry::Registry;

namespace {

const time::Millis kNow = *time::parse_timestamp("2026-01-01T00:00:00Z");

// A fresh directory for one test's files, removed afterwards.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char pattern[] = "/tmp/finfusion-store-XXXXXX";
    path = mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

// A fresh, empty location for a registry of a persistent kind: a file for "sqlite", a new
// database for "postgresql" ("" when no server was given and none is required).
std::string fresh(const std::string& kind, const TempDir& dir) {
  if (kind == "sqlite") return "sqlite:" + dir.file("keys.db");
  const char* server = std::getenv("FINFUSION_TEST_POSTGRES");
  if (server == nullptr || *server == '\0') {
    const char* required = std::getenv("FINFUSION_REQUIRE_POSTGRES");
    if (required != nullptr && std::string(required) == "1") FAIL("FINFUSION_TEST_POSTGRES is not set");
    WARN("PostgreSQL tests skipped: FINFUSION_TEST_POSTGRES is not set (make test sets it)");
    return "";
  }
  static int counter = 0;
  const std::string name = "finfusion_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
  PGconn* admin = PQconnectdb(server);
  REQUIRE(PQstatus(admin) == CONNECTION_OK);
  PGresult* r = PQexec(admin, ("CREATE DATABASE " + name).c_str());
  const bool made = PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  PQfinish(admin);
  REQUIRE(made);
  std::string url(server);
  return url.substr(0, url.rfind('/') + 1) + name;
}

// Runs SQL on a registry's PostgreSQL database; true when it succeeded.
bool postgres_exec(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  PGresult* r = PQexec(c, sql.c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
  PQclear(r);
  PQfinish(c);
  return ok;
}

std::unique_ptr<registry::Store> open(const std::string& url) {
  auto s = registry::open_store(url);
  REQUIRE(s.ok());
  return std::move(*s);
}

Registry make(std::unique_ptr<registry::Store> store, const std::string& seed = "store") {
  Registry reg(testing::fixed_hasher(), keys::TypeTable::Defaults(), std::move(store), keys::deterministic_random(seed));
  reg.set_master_keys(testing::fixed_masters());
  return reg;
}

// Everything a registry shows about its keys, as canonical JSON text.
std::string snapshot(Registry& reg, time::Millis now) {
  std::string out;
  const std::vector<registry::KeyRecord> records = *reg.list();
  const std::vector<audit::Event> events = *reg.logs({"", {}, 1000});
  for (const auto& r : records) out += r.to_json() + "\n" + reg.status(r.id, now)->to_json() + "\n";
  for (audit::Event e : events) {
    e.writer.clear();  // PostgreSQL names its chains; the events and hashes are the same
    out += e.to_json() + "\n";
  }
  const std::vector<registry::Notification> outbox = *reg.notifications({});
  for (const auto& n : outbox) out += n.to_json() + "\n";
  for (const auto& r : records) {
    out += *reg.get_usage(R"({"keyId": ")" + r.id + R"(", "timeframe": {"start": "2025-12-31", "end": "2026-01-02"}})");
  }
  return out;
}

// The same story against any store: create, verify (valid and refused), rotate, revoke,
// restricted child, emergency revocation.
void story(Registry& reg) {
  auto parent = reg.create(R"({"name": "Production API Key", "type": "production",
                               "permissions": ["payments", "kyc"], "owner": "team-payments"})",
                           kNow, "admin:alice");
  REQUIRE(parent.ok());
  std::string key(parent->key.reveal());
  registry::VerifyContext ctx;
  ctx.required = {"payments:charge"};
  ctx.latency_ms = 12.5;
  for (int i = 0; i < 5; ++i) REQUIRE(reg.verify(key, ctx, kNow + i * 1000)->valid);
  ctx.required = {"reporting"};
  CHECK(reg.verify(key, ctx, kNow + 6000)->code == Code::kInsufficientScope);
  auto child = reg.create(R"({"name": "ledger", "type": "restricted", "service": "ledger", "permissions": ["payments"],
                              "parentKeyId": ")" + parent->record.id + "\"}",
                          kNow + 7000, "admin:alice");
  REQUIRE(child.ok());
  auto rotated = reg.rotate(parent->record.id, time::kHour, {"security@example.com"}, false, kNow + 8000, "admin:bob");
  REQUIRE(rotated.ok());
  CHECK(reg.rotate(parent->record.id, time::kHour, {}, false, kNow + 9000, "admin:bob").code() == Code::kConflict);
  ctx.required = {};
  CHECK(reg.verify(key, ctx, kNow + 10000)->in_grace);
  REQUIRE(reg.revoke(rotated->current.id, "leaked", kNow + 11000, "admin:carol").ok());
  CHECK(reg.verify(std::string(rotated->key.reveal()), ctx, kNow + 12000)->code == Code::kRevoked);
  auto dev = reg.create(R"({"name": "dev", "type": "development", "permissions": ["payments"]})", kNow, "admin");
  REQUIRE(dev.ok());
  REQUIRE(reg.emergency_revoke(dev->record.id, "laptop stolen", true, kNow + 13000, "admin:alice").ok());
  REQUIRE(reg.issue_signing_secret(child->record.id, signing::Algorithm::kHmacSha256, kNow + 14000, "admin").ok());
  REQUIRE(reg.issue_webhook_secret("ep_orders", kNow + 15000, "admin").ok());
}

}  // namespace

TEST_CASE("store URLs", "[store]") {
  CHECK(registry::open_store("memory:").ok());
  CHECK(registry::open_store("mysql://x").code() == Code::kInvalidRequest);
  CHECK(registry::open_store("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2").code() ==
        Code::kStorageUnavailable);
  CHECK(registry::open_store("sqlite:").code() == Code::kInvalidRequest);
  CHECK(registry::open_store("sqlite:/nonexistent-dir/x/y.db").code() == Code::kStorageUnavailable);
  TempDir dir;
  std::FILE* f = std::fopen(dir.file("junk.db").c_str(), "w");
  std::fputs("this is not a database, just text long enough to have a header page............", f);
  std::fclose(f);
  CHECK(registry::open_store("sqlite:" + dir.file("junk.db")).code() == Code::kStorageUnavailable);
}

// The kinds every persistent-store test runs against.
#define PERSISTENT_KIND()                                               \
  const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql"); \
  INFO(kind);                                                           \
  TempDir dir;                                                          \
  const std::string url = fresh(kind, dir);                             \
  if (url.empty()) return

TEST_CASE("memory, SQLite and PostgreSQL give the same records, decisions, events and usage", "[store]") {
  PERSISTENT_KIND();
  Registry in_memory = make(open("memory:"));
  Registry on_disk = make(open(url));
  story(in_memory);
  story(on_disk);
  const time::Millis later = kNow + 20000;
  CHECK(snapshot(on_disk, later) == snapshot(in_memory, later));
  CHECK(on_disk.verify_chain()->ok);
  CHECK(on_disk.verify_chain()->checked == in_memory.verify_chain()->checked);
  CHECK(*on_disk.policy_report(later) == *in_memory.policy_report(later));
}

// Verifications that log one, two or no more than one event in turn (the registry reuses a
// verification's events in place from one to the next, trimming what it did not use): each
// store's log holds exactly the events each verification made, in order.
TEST_CASE("every store logs exactly each verification's events as their number changes", "[store]") {
  PERSISTENT_KIND();
  for (const std::string& where : {std::string("memory:"), url}) {
    INFO(where);
    Registry reg = make(open(where));
    auto a = reg.create(R"({"name": "a", "type": "production", "permissions": []})", kNow, "admin");
    auto b = reg.create(R"({"name": "b", "type": "production", "permissions": [],
                            "expiration": "2026-01-01T00:00:10Z"})", kNow, "admin");
    REQUIRE((a.ok() && b.ok()));
    const std::string key_a(a->key.reveal()), key_b(b->key.reveal());
    const std::string unknown(keys::generate(keys::KeyType::kProduction)->reveal());
    const std::string unknown_id(keys::inspect(unknown).id);
    const std::string& ia = a->record.id;
    const std::string& ib = b->record.id;
    registry::VerifyContext ctx;
    using Row = std::tuple<std::string, std::string, std::string, std::string>;  // type, key id, actor, outcome
    std::vector<Row> expected;
    const time::Millis t = kNow + 20000;  // b has expired
    auto verify = [&](const std::string& key, Code code, std::vector<Row> rows) {
      auto d = reg.verify(key, ctx, t);
      REQUIRE(d.ok());
      CHECK(d->code == code);
      expected.insert(expected.end(), rows.begin(), rows.end());
    };
    const std::string valid(code_name(Code::kValid)), expired(code_name(Code::kExpired));
    verify(key_a, Code::kValid, {{"key.accessed", ia, "key:" + ia, valid}});
    verify(key_b, Code::kExpired,
           {{"key.verification_failed", ib, "key:" + ib, expired}, {"key.expired", ib, "system", expired}});
    verify(key_a, Code::kValid, {{"key.accessed", ia, "key:" + ia, valid}});
    verify(unknown, Code::kNotFound,
           {{"key.verification_failed", unknown_id, "system", std::string(code_name(Code::kNotFound))}});
    verify(key_b, Code::kExpired, {{"key.verification_failed", ib, "key:" + ib, expired}});
    verify("not a key", Code::kMalformedKey,
           {{"key.verification_failed", "", "system", std::string(code_name(Code::kMalformedKey))}});
    ctx.actor = "service:ledger";
    verify(key_a, Code::kValid, {{"key.accessed", ia, "service:ledger", valid}});
    REQUIRE(reg.flush().ok());
    auto logged = reg.logs({"", {}, 100});
    REQUIRE(logged.ok());
    std::vector<Row> got;
    for (const audit::Event& e : *logged) {
      if (e.type != "key.created") got.emplace_back(e.type, e.key_id, e.actor, e.outcome);
    }
    CHECK(got == expected);
    CHECK(reg.verify_chain()->ok);
  }
}

TEST_CASE("every store flags the same usage and error spikes", "[store][anomaly]") {
  PERSISTENT_KIND();
  // A quiet hour (one request every two minutes), then a burst with errors, flushing now and
  // then so that the counts come partly from the store and partly from what is held back.
  auto run = [](Registry& reg) {
    auto c = reg.create(R"({"name": "k", "type": "production", "permissions": ["payments"]})", kNow, "admin");
    const std::string key(c->key.reveal());
    registry::VerifyContext ctx;
    for (int i = 0; i < 30; ++i) REQUIRE(reg.verify(key, ctx, kNow + i * 2 * time::kMinute)->valid);
    const time::Millis burst = kNow + 61 * time::kMinute;
    for (int i = 0; i < 120; ++i) {
      ctx.required = {i >= 60 ? "admin" : "payments"};  // the second half refused
      REQUIRE(reg.verify(key, ctx, burst + i * 100).ok());
      if (i % 10 == 9) REQUIRE(reg.flush().ok());
    }
    std::vector<std::string> flagged;
    const std::vector<audit::Event> anomalies = *reg.logs({c->record.id, {"key.anomaly"}, 100});
    for (const auto& e : anomalies) flagged.push_back(e.details + "@" + std::to_string(e.at));
    return flagged;
  };
  Registry in_memory = make(open("memory:"));
  Registry persistent = make(open(url));
  const std::vector<std::string> expected = run(in_memory);
  CHECK(expected.size() == 2);  // one usage spike, one error spike
  CHECK(run(persistent) == expected);
}

TEST_CASE("every store counts accesses the same when they go back in time and are read between", "[store][usage]") {
  PERSISTENT_KIND();
  // The in-memory store counts a key's current minute apart and folds it in on reading or
  // when another minute comes: accesses that return to earlier minutes (after the anomaly
  // check has summed them), latencies given or not, and reports read mid-minute must count
  // exactly what the SQL stores count.
  auto run = [](Registry& reg) {
    auto c = reg.create(R"({"name": "k", "type": "development", "permissions": ["payments"]})", kNow, "admin");
    REQUIRE(c.ok());
    const std::string key(c->key.reveal());
    // The whole day, and stretches of 7 minutes (so that the reports tell the minutes apart).
    auto report = [&](time::Millis start, time::Millis end) {
      return *reg.get_usage(R"({"keyId": ")" + c->record.id + R"(", "timeframe": {"start": ")" +
                            *time::format_timestamp(start) + R"(", "end": ")" + *time::format_timestamp(end) + "\"}}");
    };
    std::vector<std::string> seen;
    auto read = [&] {
      seen.push_back(report(kNow - time::kDay, kNow + time::kDay));
      for (time::Millis t = kNow - 70 * time::kMinute; t < kNow + 130 * time::kMinute; t += 7 * time::kMinute) {
        seen.push_back(report(t, t + 7 * time::kMinute));
      }
    };
    std::uint32_t state = 7;
    auto next = [&state] { return state = state * 1664525u + 1013904223u; };  // the same for every store
    registry::VerifyContext ctx;
    for (int i = 0; i < 600; ++i) {
      ctx.required = {next() % 4 == 0 ? "admin" : "payments"};
      ctx.latency_ms = next() % 3 == 0 ? -1 : static_cast<double>(next() % 5000) / 10.0;
      time::Millis at = kNow + (i < 480 ? i * 15 * time::kSecond : 120 * time::kMinute + (i - 480) * 200);
      if (next() % 8 == 0) at -= static_cast<time::Millis>(1 + next() % 70) * time::kMinute;
      REQUIRE(reg.verify(key, ctx, at).ok());
      if (i % 97 == 0) read();
    }
    read();
    const std::vector<audit::Event> anomalies = *reg.logs({c->record.id, {"key.anomaly"}, 100});
    for (const auto& e : anomalies) seen.push_back(e.details + "@" + std::to_string(e.at));
    return seen;
  };
  Registry in_memory = make(open("memory:"));
  Registry persistent = make(open(url));
  const std::vector<std::string> expected = run(in_memory);
  CHECK(expected.back().find("spike") != std::string::npos);  // the burst at the end was flagged
  CHECK(run(persistent) == expected);
}

TEST_CASE("every store's usage window and intervals agree after each access", "[store][usage]") {
  PERSISTENT_KIND();
  // At the store's own interface, one access at a time: the in-memory store keeps a key's
  // current minute apart (folded in on reading, or when an access falls in another minute),
  // and caches the hour's sums for the anomaly check. Whatever order the minutes come in, both
  // must answer exactly what the SQL store answers, before and after every access.
  auto memory = registry::make_memory_store();
  auto sql = open(url);
  auto text = [](const std::vector<usage::Aggregate>& aggregates) {
    std::string out;
    for (const auto& a : aggregates) {
      out += std::to_string(a.start) + ":" + std::to_string(a.requests) + "/" + std::to_string(a.errors);
      for (const auto& [name, n] : a.outcomes) out += " " + name + "=" + std::to_string(n);
      for (const auto& [bucket, n] : a.latency) out += " b" + std::to_string(bucket) + "=" + std::to_string(n);
      out += "\n";
    }
    return out;
  };
  auto window = [](registry::Store& store, const std::string& key, time::Millis minute) {
    const registry::Store::UsageWindow w = *store.usage_window(key, minute);
    return std::to_string(w.minute_requests) + " " + std::to_string(w.minute_errors) + " " +
           std::to_string(w.hour_requests) + " " + std::to_string(w.hour_errors);
  };
  const std::vector<Code> outcomes = {Code::kValid, Code::kValid, Code::kValid, Code::kInsufficientScope,
                                      Code::kRateLimited, Code::kExpired};
  registry::Plan keys;  // the keys themselves first, as an import writes them
  for (int i = 0; i < 3; ++i) {
    registry::KeyRecord r;
    r.id = "rest_" + std::to_string(i);
    r.name = r.id;
    r.type = keys::KeyType::kRestricted;
    r.created_at = kNow;
    r.stored_hash = "ffk$1$hs256$p1$" + std::string(43, 'A');
    keys.records.push_back(r);
  }
  registry::Plan keys_twin = keys;
  REQUIRE(memory->apply(keys).ok());
  REQUIRE(sql->apply(keys_twin).ok());
  std::uint32_t state = 11;
  auto next = [&state] { return (state = state * 1664525u + 1013904223u) >> 8; };
  time::Millis at = kNow;
  for (int i = 0; i < 1500; ++i) {
    const std::string key = "rest_" + std::to_string(next() % 3);
    // Mostly forward a few seconds; now and then back into the hour the window sums.
    at += next() % 8 == 0 ? -static_cast<time::Millis>(next() % 90) * time::kMinute
                          : static_cast<time::Millis>(next() % 20) * time::kSecond;
    const time::Millis minute = usage::interval_start(at);
    // As a verification does: the window first (its own minute, or now and then another).
    const time::Millis asked = next() % 5 == 0 ? minute - static_cast<time::Millis>(next() % 3) * time::kMinute : minute;
    INFO("access " << i << " of " << key << " at " << at);
    REQUIRE(window(*memory, key, asked) == window(*sql, key, asked));
    registry::Plan plan;
    registry::Access access;
    access.key_id = key;
    access.at = at;
    access.outcome = outcomes[next() % outcomes.size()];
    access.latency_micros = next() % 3 == 0 ? -1 : static_cast<std::int64_t>(next() % 400000);
    plan.accesses.push_back(access);
    if (i % 250 == 0) {  // an imported aggregate for the same minute
      usage::Aggregate imported;
      imported.start = minute;
      imported.add("valid", false, 1200);
      imported.add_many("expired", true, 2);
      plan.aggregates.push_back({key, imported});
    }
    registry::Plan twin = plan;
    REQUIRE(memory->apply(plan).ok());
    REQUIRE(sql->apply(twin).ok());
    REQUIRE(window(*memory, key, minute) == window(*sql, key, minute));
    if (i % 50 == 0) {
      REQUIRE(text(*memory->usage(key, at - 3 * time::kHour, at + time::kHour)) ==
              text(*sql->usage(key, at - 3 * time::kHour, at + time::kHour)));
    }
  }
  for (const std::string key : {"rest_0", "rest_1", "rest_2"}) {
    CHECK(text(*memory->usage(key, kNow - time::kDay, kNow + time::kDay)) ==
          text(*sql->usage(key, kNow - time::kDay, kNow + time::kDay)));
  }
}

TEST_CASE("persistent stores keep everything across reopening", "[store]") {
  PERSISTENT_KIND();
  std::string before;
  std::string key;
  {
    Registry reg = make(open(url));
    story(reg);
    auto extra = reg.create(R"({"name": "later", "type": "production", "permissions": ["kyc"]})", kNow, "admin");
    key = std::string(extra->key.reveal());
    before = snapshot(reg, kNow + 20000);
  }
  Registry again = make(open(url), "another seed");
  CHECK(snapshot(again, kNow + 20000) == before);
  CHECK(again.verify_chain()->ok);
  // The reopened registry verifies keys made before, and the chain grows on.
  registry::VerifyContext ctx;
  CHECK(again.verify(key, ctx, kNow + 21000)->valid);
  CHECK(again.verify_chain()->ok);
}

TEST_CASE("persistent stores: a failed operation writes nothing", "[store]") {
  PERSISTENT_KIND();
  auto store = open(url);
  registry::KeyRecord r;
  r.id = "prod_AAAAAAAAAAAAAAAA";
  r.name = "x";
  r.type = keys::KeyType::kProduction;
  r.created_at = kNow;
  r.expires_at = kNow + time::kDay;
  r.stored_hash = "ffk$1$b2b256$p1$" + std::string(43, 'A');
  auto body = [&]() -> Status {
    registry::Plan plan;
    plan.records.push_back(r);
    audit::Event e;
    e.type = "key.created";
    e.key_id = r.id;
    e.outcome = "valid";
    e.details = "{}";
    plan.events.push_back(e);
    if (Status s = store->apply(plan); !s.ok()) return s;
    return Status(Code::kConflict, "changed my mind");
  };
  CHECK(store->transaction(body).code() == Code::kConflict);
  CHECK_FALSE(store->get(r.id)->has_value());
  CHECK(store->events("")->empty());
}

TEST_CASE("SQLite: schema versions", "[store]") {
  TempDir dir;
  const std::string path = dir.file("keys.db");
  { open("sqlite:" + path); }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &q, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(q) == SQLITE_ROW);
  CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(q, 0))) == std::to_string(registry::kSqliteSchemaVersion));
  sqlite3_finalize(q);
  REQUIRE(sqlite3_exec(db, "UPDATE meta SET value = '99' WHERE key = 'schema_version'", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  CHECK(registry::open_store("sqlite:" + path).code() == Code::kPreconditionFailed);
}

TEST_CASE("SQLite: a version 1 file is migrated to version 3 (sealed secrets, the outbox)", "[store]") {
  TempDir dir;
  const std::string path = dir.file("keys.db");
  std::string key;
  {
    Registry reg = make(open("sqlite:" + path));
    key = std::string(reg.create(R"({"name": "k", "type": "production", "permissions": ["payments"]})", kNow, "admin")
                          ->key.reveal());
  }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db,
                       "DROP TABLE secrets; DROP TABLE notifications; "
                       "UPDATE meta SET value = '1' WHERE key = 'schema_version'",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  Registry reg = make(open("sqlite:" + path));
  registry::VerifyContext ctx;
  CHECK(reg.verify(key, ctx, kNow)->valid);
  REQUIRE(reg.issue_webhook_secret("ep_1", kNow, "admin").ok());
  CHECK(reg.webhook_secret("ep_1").ok());
  REQUIRE(reg.rotate(reg.list()->front().id, time::kHour, {"ops@example.com"}, false, kNow, "admin").ok());
  CHECK(reg.notifications({})->size() == 1);
}

TEST_CASE("persistent stores keep sealed secrets, and a master key rotates under live readers", "[store][vault]") {
  PERSISTENT_KIND();
  Registry writer = make(open(url));
  auto parent = writer.create(R"({"name": "k", "type": "production", "permissions": ["payments"]})", kNow, "admin");
  REQUIRE(parent.ok());
  auto issued = writer.issue_signing_secret(parent->record.id, signing::Algorithm::kEd25519, kNow, "admin");
  REQUIRE(issued.ok());
  auto hook = writer.issue_webhook_secret("ep_orders", kNow, "admin");
  REQUIRE(hook.ok());
  // Another instance (another connection) reads them, knowing only m1.
  Registry reader = make(open(url), "reader");
  CHECK(reader.signing_key(parent->record.id)->public_key() == issued->public_key());
  CHECK(reader.webhook_secret("ep_orders")->reveal() == hook->reveal());
  // The writer moves to m2 (keeping m1) and re-seals; the reader, given both, reads on.
  writer.set_master_keys(testing::fixed_masters(true));
  reader.set_master_keys(testing::fixed_masters(true));
  CHECK(*writer.reencrypt_secrets(kNow + 1000, "admin") == 2);
  CHECK(*writer.reencrypt_secrets(kNow + 2000, "admin") == 0);
  CHECK(reader.webhook_secret("ep_orders")->reveal() == hook->reveal());
  // m1 retired: what it sealed is gone, so nothing needs it any more.
  std::vector<std::pair<std::string, SecretBytes>> only_m2;
  only_m2.emplace_back("m2", SecretBytes::FromView(std::string(32, '\x22')));
  reader.set_master_keys(*vault::MasterKeys::Create(std::move(only_m2), "m2"));
  CHECK(reader.signing_key(parent->record.id)->public_key() == issued->public_key());
  const std::vector<registry::StoredSecret> stored = *open(url)->secrets();
  REQUIRE(stored.size() == 2);
  for (const auto& s : stored) CHECK(*vault::MasterKeys::master_of(s.sealed) == "m2");
  const std::vector<audit::Event> log = *reader.logs({"", {"secret.issued", "secret.reencrypted"}, 100});
  REQUIRE(log.size() == 3);
  CHECK(log[2].details == R"({"count":2,"master":"m2"})");
  CHECK(reader.verify_chain()->ok);
}

TEST_CASE("PostgreSQL: schema versions", "[store][postgresql]") {
  TempDir dir;
  const std::string url = fresh("postgresql", dir);
  if (url.empty()) return;
  { open(url); }
  { open(url); }  // a second open finds the schema and migrates nothing
  REQUIRE(postgres_exec(url, "UPDATE meta SET value = '99' WHERE key = 'schema_version'"));
  CHECK(registry::open_store(url).code() == Code::kPreconditionFailed);
}

TEST_CASE("PostgreSQL: each instance appends to its own chain, and every chain is checked", "[store][postgresql]") {
  TempDir dir;
  const std::string url = fresh("postgresql", dir);
  if (url.empty()) return;
  registry::StoreOptions a_options, b_options;
  a_options.writer = "host-a";
  b_options.writer = "host-b";
  Registry a = make(std::move(*registry::open_store(url, a_options)), "a");
  Registry b = make(std::move(*registry::open_store(url, b_options)), "b");
  auto one = a.create(R"({"name": "one", "type": "production", "permissions": ["payments"]})", kNow, "admin:a");
  auto two = b.create(R"({"name": "two", "type": "production", "permissions": ["payments"]})", kNow, "admin:b");
  REQUIRE(one.ok());
  REQUIRE(two.ok());
  REQUIRE(a.rotate(two->record.id, time::kHour, {}, false, kNow + 1, "admin:a").ok());
  REQUIRE(b.revoke(one->record.id, "done", kNow + 2, "admin:b").ok());
  auto events = a.logs({"", {}, 100});
  REQUIRE(events->size() == 5);
  std::vector<std::string> writers;
  for (const auto& e : *events) writers.push_back(e.writer);
  CHECK(writers == std::vector<std::string>{"host-a", "host-b", "host-a", "host-a", "host-b"});
  CHECK(events->at(2).seq == 2);  // seq counts within a writer's chain
  CHECK(events->at(0).to_json().find(R"("writer":"host-a")") != std::string::npos);
  auto report = b.verify_chain();
  CHECK(report->ok);
  CHECK(report->chains == 2);
  CHECK(report->checked == 5);

  // An edited event breaks its writer's chain, and the report names the writer.
  REQUIRE(postgres_exec(url, "UPDATE events SET actor = 'admin:mallory' WHERE writer = 'host-b' AND seq = 2"));
  report = a.verify_chain();
  CHECK_FALSE(report->ok);
  CHECK(report->writer == "host-b");
  CHECK(report->first_bad == 2);
  REQUIRE(postgres_exec(url, "UPDATE events SET actor = 'admin:b' WHERE writer = 'host-b' AND seq = 2"));
  REQUIRE(a.verify_chain()->ok);

  // Events deleted from the end of a chain are found too: the writer's head says where it ends.
  REQUIRE(postgres_exec(url, "DELETE FROM events WHERE writer = 'host-a' AND seq = 3"));
  report = b.verify_chain();
  CHECK_FALSE(report->ok);
  CHECK(report->writer == "host-a");
  CHECK(report->first_bad == 3);
}

TEST_CASE("PostgreSQL: a creation under a parent and the parent's emergency revocation never both win",
          "[store][postgresql][concurrency]") {
  TempDir dir;
  const std::string url = fresh("postgresql", dir);
  if (url.empty()) return;
  std::vector<std::string> parents;
  {
    Registry reg = make(open(url));
    for (int i = 0; i < 20; ++i) {
      parents.push_back(
          reg.create(R"({"name": "p", "type": "production", "permissions": ["payments"]})", kNow, "admin")->record.id);
    }
  }
  // One process makes a restricted child under each parent while the other emergency-revokes
  // each parent: whichever commits second sees the first (SERIALIZABLE), so no active child
  // is left under a revoked parent.
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    Registry reg = make(open(url), "child");
    for (const std::string& id : parents) {
      auto c = reg.create(R"({"name": "c", "type": "restricted", "service": "s", "permissions": ["payments"],
                              "parentKeyId": ")" + id + "\"}", kNow + 1, "admin:child");
      if (!c.ok() && c.code() != Code::kPreconditionFailed) _exit(2);
    }
    _exit(0);
  }
  {
    Registry reg = make(open(url), "parent");
    for (const std::string& id : parents) REQUIRE(reg.emergency_revoke(id, "compromised", false, kNow + 1, "admin").ok());
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  Registry reg = make(open(url));
  const std::vector<registry::KeyRecord> all = *reg.list();
  for (const auto& r : all) {
    if (!r.parent_id.empty()) CHECK(r.status == registry::KeyStatus::kRevoked);
  }
  CHECK(reg.verify_chain()->ok);
}

TEST_CASE("PostgreSQL: a lost connection is opened again, with an empty cache", "[store][postgresql]") {
  TempDir dir;
  const std::string url = fresh("postgresql", dir);
  if (url.empty()) return;
  Registry reg = make(open(url));
  auto created = reg.create(R"({"name": "k", "type": "production", "permissions": ["payments"]})", kNow, "admin");
  REQUIRE(created.ok());
  const std::string key(created->key.reveal());
  registry::VerifyContext ctx;
  REQUIRE(reg.verify(key, ctx, kNow + 1)->valid);  // cached now
  // Another client revokes the key and cuts this instance's connection, so the notification
  // never reaches it: the store must not trust its cache after reconnecting.
  const std::string name = url.substr(url.rfind('/') + 1);
  REQUIRE(postgres_exec(url, "UPDATE keys SET status = 'revoked' WHERE id = '" + created->record.id + "'"));
  REQUIRE(postgres_exec(url, "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = '" + name +
                                 "' AND pid <> pg_backend_pid()"));
  Result<registry::Decision> after = reg.verify(key, ctx, kNow + 2);
  if (!after.ok()) after = reg.verify(key, ctx, kNow + 3);  // the operation that found it cut may fail once
  REQUIRE(after.ok());
  CHECK(after->code == Code::kRevoked);
}

TEST_CASE("persistent stores: two processes rotating the same keys make exactly one successor per rotation",
          "[store][concurrency]") {
  PERSISTENT_KIND();
  std::vector<std::string> ids;
  {
    Registry reg = make(open(url));
    for (int i = 0; i < 4; ++i) {
      auto c = reg.create(R"({"name": "k", "type": "production", "permissions": ["payments"]})", kNow, "admin");
      REQUIRE(c.ok());
      ids.push_back(c->record.id);
    }
  }
  constexpr int kRounds = 50;
  // Each process, in each round, rotates the head of every chain it knows of; a rotation
  // that loses the race gets conflict. Exit code: the number of successful rotations.
  auto worker = [&](const std::string& seed) -> int {
    Registry reg = make(open(url), seed);
    int rotated = 0;
    for (int round = 0; round < kRounds; ++round) {
      for (std::string& id : ids) {
        auto head = reg.get(id);
        if (!head.ok()) return 255;
        while (!head->replaced_by.empty()) head = reg.get(head->replaced_by);
        auto r = reg.rotate(head->id, 0, {}, false, kNow + round, "worker:" + seed);
        if (r.ok()) {
          ++rotated;
        } else if (r.code() != Code::kConflict) {
          return 254;
        }
        id = head->id;
      }
    }
    return rotated;
  };
  std::vector<pid_t> children;
  for (const char* seed : {"a", "b"}) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) _exit(worker(seed));
    children.push_back(pid);
  }
  int total = 0;
  for (pid_t pid : children) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) < 254);
    total += WEXITSTATUS(status);
  }
  Registry reg = make(open(url));
  auto all = reg.list();
  REQUIRE(all.ok());
  // Every successful rotation made one key; each chain is a line: one successor per key.
  CHECK(static_cast<int>(all->size()) == 4 + total);
  std::map<std::string, int> successors;
  for (const auto& r : *all) {
    if (!r.replaces.empty()) ++successors[r.replaces];
  }
  for (const auto& [id, n] : successors) CHECK(n == 1);
  for (const auto& r : *all) {
    if (!r.replaced_by.empty()) CHECK(reg.get(r.replaced_by)->replaces == r.id);
  }
  auto chain = reg.verify_chain();
  CHECK(chain->ok);
  // Every creation wrote one event and every rotation two; nothing was lost.
  CHECK(chain->checked == static_cast<std::uint64_t>(4 + 2 * total));
  CHECK(total >= kRounds * 4 / 2);
}

TEST_CASE("persistent stores: a process killed in the middle of rotations leaves a consistent store",
          "[store][crash]") {
  PERSISTENT_KIND();
  std::string first;
  {
    Registry reg = make(open(url));
    first = reg.create(R"({"name": "k", "type": "production", "permissions": ["payments"]})", kNow, "admin")->record.id;
  }
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    Registry reg = make(open(url), "child");
    std::string head = first;
    for (int i = 0;; ++i) {
      auto r = reg.rotate(head, 0, {}, false, kNow + i, "child");
      if (!r.ok()) _exit(1);
      head = r->current.id;
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(WIFSIGNALED(status));

  Registry reg = make(open(url));
  auto all = reg.list();
  REQUIRE(all.ok());
  CHECK(all->size() > 1);
  // One line from the first key: every replaced key's successor exists and points back, and
  // exactly one key (the head) is not replaced.
  int heads = 0;
  for (const auto& r : *all) {
    if (r.replaced_by.empty()) {
      ++heads;
    } else {
      auto next = reg.get(r.replaced_by);
      REQUIRE(next.ok());
      CHECK(next->replaces == r.id);
    }
  }
  CHECK(heads == 1);
  auto chain = reg.verify_chain();
  CHECK(chain->ok);
  CHECK(chain->checked == 1 + 2 * (all->size() - 1));  // no rotation half-written
  // And the store goes on working.
  auto more = reg.create(R"({"name": "after", "type": "production", "permissions": ["kyc"]})", kNow, "admin");
  CHECK(more.ok());
}

TEST_CASE("encrypted export and import move a whole registry between stores", "[store][export]") {
  TempDir dir;
  Registry source = make(open("memory:"));
  story(source);
  auto extra = source.create(R"({"name": "kept", "type": "production", "permissions": ["kyc"]})", kNow, "admin");
  REQUIRE(extra.ok());
  const SecretBytes master = SecretBytes::FromView(std::string(32, '\x2a'));
  auto text = source.export_encrypted(master, kNow + 20000);
  REQUIRE(text.ok());
  CHECK(text->rfind("ffx1.", 0) == 0);
  // Nothing readable inside: no stored hash, no key id in the clear.
  CHECK(text->find(extra->record.id) == std::string::npos);
  CHECK(text->find("ffk$") == std::string::npos);
  // Two exports of the same registry differ (a fresh nonce each time).
  CHECK(*source.export_encrypted(master, kNow + 20000) != *text);

  const std::string expected = snapshot(source, kNow + 20000);
  std::vector<std::string> targets = {"memory:", "sqlite:" + dir.file("restored.db")};
  if (std::string pg = fresh("postgresql", dir); !pg.empty()) targets.push_back(pg);
  for (const std::string& url : targets) {
    INFO(url);
    Registry target = make(open(url), "target");
    REQUIRE(target.import_encrypted(*text, master).ok());
    CHECK(snapshot(target, kNow + 20000) == expected);  // records, states, events with hashes, usage
    CHECK(target.verify_chain()->ok);
    registry::VerifyContext ctx;
    CHECK(target.verify(std::string(extra->key.reveal()), ctx, kNow + 21000)->valid);  // stored hashes came along
    CHECK(target.import_encrypted(*text, master).code() == Code::kPreconditionFailed);  // not empty any more
  }

  Registry empty = make(open("memory:"));
  const SecretBytes wrong = SecretBytes::FromView(std::string(32, '\x2b'));
  CHECK(empty.import_encrypted(*text, wrong).code() == Code::kInvalidRequest);
  std::string altered = *text;
  altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';
  CHECK(empty.import_encrypted(altered, master).code() == Code::kInvalidRequest);
  CHECK(empty.import_encrypted("ffx1.", master).code() == Code::kInvalidRequest);
  CHECK(empty.import_encrypted("not an export", master).code() == Code::kInvalidRequest);
  CHECK(empty.import_encrypted(*text, SecretBytes::FromView("short")).code() == Code::kInvalidRequest);
  CHECK(empty.export_encrypted(SecretBytes::FromView("short"), kNow).code() == Code::kInvalidRequest);
  CHECK(empty.list()->empty());  // nothing half-loaded
  auto status = empty.import_encrypted(*text, wrong);
  CHECK(status.message().find("wrong key") != std::string::npos);
}

TEST_CASE("persistent stores hold verifications back and write them in order", "[store][buffer]") {
  PERSISTENT_KIND();
  auto table = keys::TypeTable::Create(R"({"production": {"rate_limit": {"requests": 3, "window": "1s"}}})");
  REQUIRE(table.ok());
  registry::StoreOptions options;
  options.flush_every = 1000;
  options.flush_interval_ms = 60000;
  Registry reg(testing::fixed_hasher(), *table, std::move(*registry::open_store(url, options)),
               keys::deterministic_random("buffer"));
  auto created = reg.create(R"({"name": "k", "type": "production", "permissions": ["payments"]})", kNow, "admin");
  REQUIRE(created.ok());
  const std::string key(created->key.reveal());
  registry::VerifyContext ctx;
  auto reader = [&]() { return make(open(url), "reader"); };

  // Held back: another connection sees only the creation; this registry sees everything,
  // including the rate limiter's state (the fourth request in the second is refused).
  for (int i = 0; i < 3; ++i) CHECK(reg.verify(key, ctx, kNow + 100 + i)->valid);
  CHECK(reg.verify(key, ctx, kNow + 200)->code == Code::kRateLimited);
  {
    auto other = open(url);
    CHECK(other->events("")->size() == 1);
    CHECK(other->get(created->record.id)->value().last_used_at == 0);
  }
  CHECK(reg.get(created->record.id)->last_used_at == kNow + 102);

  // A lifecycle write goes after them, in the same transaction.
  REQUIRE(reg.revoke(created->record.id, "done", kNow + 300, "admin").ok());
  {
    Registry r = reader();
    auto events = r.logs({"", {}, 1000});
    REQUIRE(events->size() == 6);
    std::vector<std::string> types;
    for (const auto& e : *events) types.push_back(e.type);
    CHECK(types == std::vector<std::string>{"key.created", "key.accessed", "key.accessed", "key.accessed",
                                            "key.rate_limited", "key.revoked"});
    CHECK(r.verify_chain()->ok);
  }

  // flush() and closing write the rest.
  CHECK(reg.verify(key, ctx, kNow + 400)->code == Code::kRevoked);
  CHECK(reader().logs({"", {}, 1000})->size() == 6);
  REQUIRE(reg.flush().ok());
  CHECK(reader().logs({"", {}, 1000})->size() == 7);
}

TEST_CASE("persistent stores flush held verifications on size and on time", "[store][buffer]") {
  PERSISTENT_KIND();
  registry::StoreOptions options;
  options.flush_every = 10;  // five verifications: five accesses and five events
  options.flush_interval_ms = 60000;
  Registry reg = make(std::move(*registry::open_store(url, options)));
  auto created = reg.create(R"({"name": "k", "type": "production", "permissions": ["payments"]})", kNow, "admin");
  const std::string key(created->key.reveal());
  registry::VerifyContext ctx;
  for (int i = 0; i < 4; ++i) REQUIRE(reg.verify(key, ctx, kNow + i)->valid);
  CHECK(open(url)->events("")->size() == 1);
  REQUIRE(reg.verify(key, ctx, kNow + 4)->valid);
  CHECK(open(url)->events("")->size() == 6);

  options.flush_every = 1000;
  options.flush_interval_ms = 0;  // every verification is already old enough
  Registry timed = make(std::move(*registry::open_store(url, options)), "timed");
  REQUIRE(timed.verify(key, ctx, kNow + 10)->valid);
  CHECK(open(url)->events("")->size() == 7);
}

TEST_CASE("persistent stores: a process killed while verifying loses at most its held-back accesses",
          "[store][crash][buffer]") {
  PERSISTENT_KIND();
  std::string key, id;
  {
    Registry reg = make(open(url));
    auto c = reg.create(R"({"name": "k", "type": "production", "permissions": ["payments"]})", kNow, "admin");
    key = std::string(c->key.reveal());
    id = c->record.id;
  }
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    registry::StoreOptions options;
    options.flush_every = 100;
    auto table = keys::TypeTable::Create(R"({"production": {"rate_limit": {"requests": 1000000000, "window": "1s"}}})");
    Registry reg(testing::fixed_hasher(), *table, std::move(*registry::open_store(url, options)));
    registry::VerifyContext ctx;
    for (int i = 0;; ++i) {
      if (!reg.verify(key, ctx, kNow + i)->valid) _exit(1);
      if (i == 500) {
        if (!reg.revoke(id, "mid-run", kNow + i, "child").ok()) _exit(2);
      }
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  Registry reg = make(open(url));
  CHECK(reg.verify_chain()->ok);
  // The revocation is there (a lifecycle event is written in its own transaction), after the
  // 501 verifications before it (held back, then written first in its transaction), whatever
  // was held back when the process died.
  auto revoked = reg.logs({id, {"key.revoked"}, 10});
  REQUIRE(revoked->size() == 1);
  auto accessed = reg.logs({id, {"key.accessed"}, 1000});
  REQUIRE(accessed->size() == 501);
  CHECK(accessed->back().seq < revoked->front().seq);
}

TEST_CASE("persistent stores: a record cached by one connection is dropped when another commits",
          "[store][cache]") {
  PERSISTENT_KIND();
  Registry first = make(open(url), "first");
  auto created = first.create(R"({"name": "k", "type": "production", "permissions": ["payments"]})", kNow, "admin");
  REQUIRE(created.ok());
  const std::string key(created->key.reveal());
  registry::VerifyContext ctx;
  REQUIRE(first.verify(key, ctx, kNow + 1)->valid);  // cached now
  Registry second = make(open(url), "second");
  REQUIRE(second.revoke(created->record.id, "leaked", kNow + 2, "admin:other-host").ok());
  // SQLite: at once (its data_version changed with the commit). PostgreSQL: as soon as the
  // NOTIFY sent at commit reaches this connection (well under a millisecond on one host), with
  // no cache lifetime; a verification in between still sees the old record.
  const auto committed = std::chrono::steady_clock::now();
  Code code = first.verify(key, ctx, kNow + 3)->code;
  while (kind == "postgresql" && code != Code::kRevoked && std::chrono::steady_clock::now() - committed < std::chrono::seconds(2)) {
    std::this_thread::sleep_for(std::chrono::microseconds(100));
    code = first.verify(key, ctx, kNow + 3)->code;
  }
  CHECK(code == Code::kRevoked);
  CHECK(first.get(created->record.id)->status == registry::KeyStatus::kRevoked);
}

// ---- The outbox ----

// The kinds the outbox tests run against: every store.
// The outbox's notifications of one kind, newest first.
std::vector<registry::Notification> of_kind(Registry& reg, std::string_view kind) {
  std::vector<registry::Notification> out, all = *reg.notifications({"", "", 0, 1000});
  for (auto& n : all) {
    if (n.kind == kind) out.push_back(std::move(n));
  }
  return out;
}

#define ANY_KIND()                                                                        \
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite", "postgresql"); \
  INFO(kind);                                                                             \
  TempDir dir;                                                                            \
  const std::string url = kind == "memory" ? std::string("memory:") : fresh(kind, dir);  \
  if (url.empty()) return

TEST_CASE("the outbox: notices, warnings and alerts are queued once per cause", "[store][outbox]") {
  ANY_KIND();
  Registry reg = make(open(url));
  REQUIRE(reg.set_alert_recipients({"ops@example.com"}).ok());
  CHECK(reg.set_alert_recipients({"not an address"}).code() == Code::kInvalidRequest);
  auto owned = reg.create(R"({"name": "Payments", "type": "production", "permissions": ["payments"],
                              "owner": "alice@example.com", "expiration": "2026-03-01"})",
                          kNow, "admin");
  REQUIRE(owned.ok());
  // A rotation with notifyEmails queues its notice in the rotation's own transaction.
  auto rotated = reg.rotate(owned->record.id, 48 * time::kHour, {"dev@example.com", "sec@example.com"}, false,
                            kNow + 1000, "admin:bob");
  REQUIRE(rotated.ok());
  std::vector<registry::Notification> all = *reg.notifications({});
  REQUIRE(all.size() == 1);
  const registry::Notification& notice = all[0];
  CHECK(notice.kind == "key.rotated");
  CHECK(notice.key_id == owned->record.id);
  CHECK(notice.recipients == std::vector<std::string>{"dev@example.com", "sec@example.com"});
  CHECK(notice.subject == "FinFusion Keys: API key \"Payments\" was rotated");
  CHECK(notice.body.find(rotated->current.id) != std::string::npos);
  CHECK(notice.body.find("2026-01-03T00:00:01.000Z") != std::string::npos);  // the grace period's end
  CHECK(notice.body.find(std::string(rotated->key.reveal())) == std::string::npos);  // never the secret
  CHECK(notice.status == "pending");
  CHECK(notice.due_at == kNow + 1000);
  // Without notifyEmails, no notice.
  auto plain = reg.create(R"({"name": "quiet", "type": "production", "permissions": ["payments"]})", kNow, "admin");
  REQUIRE(reg.rotate(plain->record.id, 0, {}, false, kNow + 2000, "admin").ok());
  CHECK(reg.notifications({})->size() == 1);

  // Warnings: the successor expires on 2026-03-01 and its rotation is due 90 days after it was
  // made; both come within the 14-day lead time by mid-February. Each is queued once.
  const time::Millis feb = *time::parse_timestamp("2026-02-20T00:00:00Z");
  CHECK(*reg.queue_warnings(kNow + 3000) == 0);  // nothing due yet
  CHECK(*reg.queue_warnings(feb) == 1);          // the expiry (the rotation is due in April)
  CHECK(*reg.queue_warnings(feb + time::kDay) == 0);
  const std::vector<registry::Notification> warned = of_kind(reg, "key.expiring");
  REQUIRE(warned.size() == 1);
  CHECK(warned[0].recipients == std::vector<std::string>{"alice@example.com", "ops@example.com"});
  CHECK(warned[0].subject == "FinFusion Keys: API key \"Payments\" expires at 2026-03-02T00:00:00.000Z");
  CHECK(warned[0].id == "key.expiring:" + rotated->current.id + ":" + std::to_string(rotated->current.expires_at));
  // The unowned key warns the alert recipients only, once its rotation comes due.
  const time::Millis april = *time::parse_timestamp("2026-03-25T00:00:00Z");
  CHECK(*reg.queue_warnings(april) == 1);
  const std::vector<registry::Notification> due = of_kind(reg, "key.rotation_due");
  REQUIRE(due.size() == 1);
  CHECK(due[0].recipients == std::vector<std::string>{"ops@example.com"});
  CHECK(due[0].key_id != owned->record.id);
  CHECK(reg.notifications({})->size() == 3);

  // Anomaly and rate-limit alerts: a key used in a burst, twice in one hour. The burst is a
  // usage spike (one alert, as one key.anomaly event) and runs into the limit (one alert
  // per key and hour, however often the key is at its limit).
  auto busy = reg.create(R"({"name": "busy", "type": "development", "permissions": ["payments"]})", kNow, "admin");
  registry::VerifyContext ctx;
  const std::string busy_key(busy->key.reveal());
  for (int i = 0; i < 30; ++i) REQUIRE(reg.verify(busy_key, ctx, april + 5000).ok());
  for (int i = 0; i < 30; ++i) REQUIRE(reg.verify(busy_key, ctx, april + 6000).ok());
  REQUIRE(reg.flush().ok());
  const std::vector<registry::Notification> limited = of_kind(reg, "key.rate_limit");
  REQUIRE(limited.size() == 1);
  CHECK(limited[0].body.find("0 of its 10 requests left") != std::string::npos);
  CHECK(limited[0].recipients == std::vector<std::string>{"ops@example.com"});
  // The burst is a usage spike, and its refusals an error spike: an alert for each event.
  const std::vector<registry::Notification> unusual = of_kind(reg, "key.anomaly");
  REQUIRE(unusual.size() == 2);
  CHECK(reg.logs({busy->record.id, {"key.anomaly"}, 10})->size() == 2);
  CHECK(unusual[0].subject == "FinFusion Keys: unusual use of API key \"busy\"");
  std::string bodies = unusual[0].body + unusual[1].body;
  CHECK(bodies.find("showed a usage spike: 20 in the minute against 0 in the hour before") != std::string::npos);
  CHECK(bodies.find("showed an error spike: ") != std::string::npos);
  // The next hour, the next alert.
  for (int i = 0; i < 30; ++i) REQUIRE(reg.verify(busy_key, ctx, april + time::kHour + 5000).ok());
  CHECK(of_kind(reg, "key.rate_limit").size() == 2);

  CHECK(reg.notifications({"", "bogus", 0, 10}).code() == Code::kInvalidRequest);
  CHECK(reg.notifications({"", "", 0, 0}).code() == Code::kInvalidRequest);
}

TEST_CASE("the outbox: claims, leases, backoff and giving up", "[store][outbox]") {
  ANY_KIND();
  Registry reg = make(open(url));
  auto c = reg.create(R"({"name": "k", "type": "production", "permissions": ["payments"]})", kNow, "admin");
  REQUIRE(reg.rotate(c->record.id, time::kHour, {"ops@example.com"}, false, kNow, "admin").ok());
  const time::Millis lease = 5 * time::kMinute;
  CHECK(reg.claim_notifications("", 10, lease, kNow).code() == Code::kInvalidRequest);
  CHECK(reg.claim_notifications("a", 0, lease, kNow).code() == Code::kInvalidRequest);
  CHECK(reg.claim_notifications("a", 10, 10, kNow).code() == Code::kInvalidDuration);

  std::vector<registry::Notification> got = *reg.claim_notifications("mailer-a", 10, lease, kNow);
  REQUIRE(got.size() == 1);
  const std::string id = got[0].id;
  CHECK(got[0].claimed_by == "mailer-a");
  CHECK(got[0].lease_until == kNow + lease);
  CHECK(reg.claim_notifications("mailer-b", 10, lease, kNow + 1000)->empty());  // leased to a
  // a's lease ends (a crashed mid-send): b takes it over, and a can no longer settle it.
  got = *reg.claim_notifications("mailer-b", 10, lease, kNow + lease);
  REQUIRE(got.size() == 1);
  CHECK(reg.settle_notification(id, "mailer-a", true, "", kNow + lease).code() == Code::kConflict);
  CHECK(reg.settle_notification("key.rotated:nope:1", "mailer-b", true, "", kNow).code() == Code::kNotFound);

  // A failed delivery is due again after the backoff, with its (cleaned) reason kept.
  time::Millis now = kNow + lease + 1000;
  auto failed = reg.settle_notification(id, "mailer-b", false, "421 try later\r\nX-Injected: yes", now);
  REQUIRE(failed.ok());
  CHECK(failed->status == "pending");
  CHECK(failed->attempts == 1);
  CHECK(failed->due_at == now + 30 * time::kSecond);
  CHECK(failed->last_error == "421 try later  X-Injected: yes");
  CHECK(failed->claimed_by.empty());
  CHECK(reg.claim_notifications("mailer-b", 10, lease, now + 29 * time::kSecond)->empty());
  CHECK(registry::delivery_backoff(2) == time::kMinute);
  CHECK(registry::delivery_backoff(8) == time::kHour);
  CHECK(registry::delivery_backoff(11) == time::kHour);

  // Delivered: sent once, and settled once.
  now += 30 * time::kSecond;
  REQUIRE(reg.claim_notifications("mailer-b", 10, lease, now)->size() == 1);
  auto sent = reg.settle_notification(id, "mailer-b", true, "", now + 10);
  REQUIRE(sent.ok());
  CHECK(sent->status == "sent");
  CHECK(sent->sent_at == now + 10);
  CHECK(sent->attempts == 2);
  CHECK(sent->last_error.empty());
  CHECK(reg.settle_notification(id, "mailer-b", true, "", now + 20).code() == Code::kConflict);
  CHECK(reg.claim_notifications("mailer-b", 10, lease, now + time::kDay)->empty());
  CHECK(reg.notifications({"", "sent", 0, 10})->size() == 1);

  // A notification that never gets through is given up after kMaxDeliveryAttempts.
  auto other = reg.create(R"({"name": "k2", "type": "production", "permissions": ["payments"]})", kNow, "admin");
  REQUIRE(reg.rotate(other->record.id, time::kHour, {"ops@example.com"}, false, now, "admin").ok());
  registry::Notification last;
  for (std::int64_t attempt = 1; attempt <= registry::kMaxDeliveryAttempts; ++attempt) {
    now += time::kDay;
    auto batch = reg.claim_notifications("mailer-a", 10, lease, now);
    REQUIRE(batch->size() == 1);
    last = *reg.settle_notification(batch->front().id, "mailer-a", false, "connection refused", now);
  }
  CHECK(last.status == "failed");
  CHECK(last.attempts == registry::kMaxDeliveryAttempts);
  CHECK(reg.claim_notifications("mailer-a", 10, lease, now + time::kWeek)->empty());
  CHECK(reg.notifications({"", "failed", 0, 10})->size() == 1);
}

TEST_CASE("the outbox: two processes claiming at once deliver each notification once", "[store][outbox][concurrency]") {
  PERSISTENT_KIND();
  constexpr int kNotices = 60;
  {
    Registry reg = make(open(url));
    for (int i = 0; i < kNotices; ++i) {
      auto c = reg.create(R"({"name": "k", "type": "production", "permissions": ["payments"]})", kNow, "admin");
      REQUIRE(reg.rotate(c->record.id, time::kHour, {"ops@example.com"}, false, kNow + i, "admin").ok());
    }
  }
  // Each process claims three at a time and settles what it got as sent, writing the ids it
  // delivered to its own file. Exit code: 0, or 1 on any error.
  auto worker = [&](const std::string& name) -> int {
    Registry reg = make(open(url), name);
    std::FILE* out = std::fopen(dir.file(name + ".txt").c_str(), "w");
    for (;;) {
      auto batch = reg.claim_notifications(name, 3, time::kMinute, kNow + time::kHour);
      if (!batch.ok()) return 1;
      if (batch->empty()) break;
      for (const auto& n : *batch) {
        if (!reg.settle_notification(n.id, name, true, "", kNow + time::kHour).ok()) return 1;
        std::fprintf(out, "%s\n", n.id.c_str());
      }
    }
    std::fclose(out);
    return 0;
  };
  std::vector<pid_t> children;
  for (const char* name : {"mailer-a", "mailer-b"}) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) _exit(worker(name));
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
  }
  std::map<std::string, int> delivered;
  for (const char* name : {"mailer-a", "mailer-b"}) {
    std::FILE* in = std::fopen(dir.file(std::string(name) + ".txt").c_str(), "r");
    REQUIRE(in != nullptr);
    char line[256];
    while (std::fgets(line, sizeof line, in) != nullptr) ++delivered[std::string(line)];
    std::fclose(in);
  }
  CHECK(delivered.size() == static_cast<std::size_t>(kNotices));
  for (const auto& [id, times] : delivered) CHECK(times == 1);
  Registry reg = make(open(url));
  CHECK(reg.notifications({"", "sent", 0, 1000})->size() == static_cast<std::size_t>(kNotices));
}

// The in-memory store keeps records compact (internal/compact_records.h): every field must
// come back as written, through get, list and the read path verification uses.
TEST_CASE("memory store: every field of a record comes back, replaced whole, with shared scope sets",
          "[store][memory]") {
  auto store = registry::make_memory_store();
  auto record = [](const std::string& id, std::vector<std::string> permissions) {
    registry::KeyRecord r;
    r.id = id;
    r.name = "payments backend é";
    r.type = keys::KeyType::kRestricted;
    r.scopes = *scopes::parse(permissions);
    r.service = "ledger";
    r.parent_id = "prod_parent";
    r.owner = "alice@example.com";
    r.purpose = std::string(300, 'p');  // a length that takes two varint bytes
    r.created_at = kNow;
    r.expires_at = kNow + 1000;
    r.status = registry::KeyStatus::kRevoked;
    r.revoked_at = kNow + 5;
    r.revoke_reason = "leaked";
    r.version = 7;
    r.replaces = "prod_old";
    r.replaced_by = "";
    r.grace_until = kNow + 9;
    r.stored_hash = "ffk$1$hs256$p1$" + std::string(43, 'A');
    r.rate.tat_ms = kNow + 11;
    r.rate.tat_frac = 3;
    r.last_used_at = kNow + 12;
    r.expiry_logged = true;
    return r;
  };
  auto same = [](const registry::KeyRecord& a, const registry::KeyRecord& b) {
    CHECK(a.to_json() == b.to_json());
    CHECK(a.stored_hash == b.stored_hash);
    CHECK(a.rate.tat_ms == b.rate.tat_ms);
    CHECK(a.rate.tat_frac == b.rate.tat_frac);
    CHECK(a.expiry_logged == b.expiry_logged);
    CHECK(a.scopes.to_strings() == b.scopes.to_strings());
  };
  registry::Plan plan;
  const std::vector<std::string> permissions = {"payments:charge", "!payments:refund", "kyc:*"};
  for (int i = 0; i < 5000; ++i) plan.records.push_back(record("rest_" + std::to_string(i), permissions));
  plan.records.push_back(record("rest_other", {"reporting"}));
  REQUIRE(store->apply(plan).ok());

  const registry::KeyRecord expected = record("rest_42", permissions);
  same(**store->get("rest_42"), expected);
  const registry::KeyRecord* seen = nullptr;
  registry::KeyRecord read;
  auto visit = [&](const registry::KeyRecord* r) {
    seen = r;
    if (r != nullptr) read = *r;
  };
  REQUIRE(store->read("rest_42", visit).ok());
  REQUIRE(seen != nullptr);
  same(read, expected);
  REQUIRE(store->read("rest_nope", visit).ok());
  CHECK(seen == nullptr);
  CHECK(!store->get("rest_nope")->has_value());
  auto all = *store->list();
  REQUIRE(all.size() == 5001);
  CHECK(std::is_sorted(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.id < b.id; }));
  // Records with the same permissions share one scope set; others have their own.
  CHECK(all[0].scopes.shares(all[1].scopes));
  CHECK(!all[0].scopes.shares(all.back().scopes));
  CHECK(all.back().scopes.to_strings() == std::vector<std::string>{"reporting"});

  // A record written again replaces the old one whole, also after a read of it.
  registry::Plan again;
  registry::KeyRecord changed = record("rest_42", {"reporting"});
  changed.name = "renamed";
  changed.revoke_reason.clear();
  changed.status = registry::KeyStatus::kActive;
  again.records.push_back(changed);
  REQUIRE(store->apply(again).ok());
  same(**store->get("rest_42"), changed);
  REQUIRE(store->read("rest_42", visit).ok());
  REQUIRE(seen != nullptr);
  same(read, changed);
  CHECK(store->list()->size() == 5001);
}

// Records live in size classes carved from shared chunks, each class with a free list of the
// records replaced: rewriting records at other sizes, small and beyond the largest class,
// must leave every record whole.
TEST_CASE("memory store: records rewritten at every size stay whole", "[store][memory]") {
  auto store = registry::make_memory_store();
  constexpr int kRecords = 3000;
  auto record = [](int i, int round) {
    registry::KeyRecord r;
    r.id = "rest_" + std::to_string(i);
    r.name = "key " + std::to_string(i) + " round " + std::to_string(round);
    r.type = keys::KeyType::kRestricted;
    r.scopes = *scopes::parse({"payments:charge"});
    r.created_at = kNow;
    r.version = round;
    // 0 to 6,000 bytes: every 16-byte class, and blocks larger than the largest
    const auto length = static_cast<std::size_t>((i * 37 + round * 1009) % 6001);
    r.purpose = std::string(length, static_cast<char>('a' + (i + round) % 26));
    r.stored_hash = "ffk$1$hs256$p1$" + std::string(43, static_cast<char>('A' + round));
    return r;
  };
  for (int round = 0; round < 4; ++round) {
    registry::Plan plan;
    for (int i = 0; i < kRecords; ++i) {
      if (round == 0 || i % (round + 1) != 0) plan.records.push_back(record(i, round));
    }
    REQUIRE(store->apply(plan).ok());
    for (int i = 0; i < kRecords; ++i) {
      int written = round;
      while (written > 0 && i % (written + 1) == 0) --written;  // the last round that wrote it
      const registry::KeyRecord expected = record(i, written);
      auto got = store->get(expected.id);
      REQUIRE(got.ok());
      REQUIRE(got->has_value());
      INFO("record " << i << " round " << round);
      CHECK((*got)->name == expected.name);
      CHECK((*got)->purpose == expected.purpose);
      CHECK((*got)->stored_hash == expected.stored_hash);
      CHECK((*got)->version == expected.version);
    }
  }
  CHECK(store->list()->size() == static_cast<std::size_t>(kRecords));
}
