// The core for JavaScript through embind. Nothing but conversion: every call returns a plain
// result object, {ok: true, value} or {ok: false, code, message}; the JS facade
// (bindings/node/src/api.js) turns failures into FinFusionError. The core never throws, and
// this layer does not either, so the build needs no C++ exception support. The plain exports
// on the per-request paths, which bypass embind, are in exports.cc.
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/val.h>

#include <sodium.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exports.h"
#include "finfusion/client.h"
#include "finfusion/hash.h"
#include "finfusion/key.h"
#include "finfusion/key_type.h"
#include "finfusion/lifecycle.h"
#include "finfusion/ratelimit.h"
#include "finfusion/registry.h"
#include "finfusion/scope.h"
#include "finfusion/secret.h"
#include "finfusion/signing.h"
#include "finfusion/status.h"
#include "finfusion/store.h"
#include "finfusion/time.h"
#include "finfusion/vault.h"
#include "finfusion/version.h"
#include "finfusion/webhooks.h"

using emscripten::val;
namespace ff = finfusion;

namespace {

val ok(val value) {
  val r = val::object();
  r.set("ok", true);
  r.set("value", std::move(value));
  return r;
}

val fail(const ff::Status& s) {
  val r = val::object();
  r.set("ok", false);
  r.set("code", std::string(s.code_name()));
  r.set("message", s.message());
  return r;
}

// A call that returns nothing: {ok: true, value: null} or its failure.
val status_result(const ff::Status& s) { return s.ok() ? ok(val::null()) : fail(s); }

template <typename T, typename F>
val result(ff::Result<T>&& r, F&& convert) {
  return r.ok() ? ok(convert(*r)) : fail(r.status());
}

template <typename T>
val result(ff::Result<T>&& r) {
  return result(std::move(r), [](const T& v) { return val(v); });
}

// A JS Uint8Array copied into wiping storage (the staging copy is wiped too).
ff::SecretBytes bytes_from(const val& array) {
  auto n = array["length"].as<std::size_t>();
  ff::SecretBytes out(n);
  if (n) {
    val view(emscripten::typed_memory_view(n, out.data()));
    view.call<void>("set", array);
  }
  return out;
}

val strings_to_array(const std::vector<std::string>& items) {
  val a = val::array();
  for (const auto& s : items) a.call<void>("push", s);
  return a;
}

// Text from JavaScript: a string (well-formed UTF-16, converted by embind), or a Uint8Array
// holding the facade's WTF-8 encoding of a string with lone surrogates, which keeps them as
// the invalid UTF-8 the core refuses, exactly as Python's surrogatepass does.
std::string text_arg(const val& v) {
  if (v.isString()) return v.as<std::string>();
  auto n = v["length"].as<std::size_t>();
  std::string out(n, '\0');
  if (n) val(emscripten::typed_memory_view(n, reinterpret_cast<std::uint8_t*>(out.data()))).call<void>("set", v);
  return out;
}

std::vector<std::string> strings_from(const val& array) {
  std::vector<std::string> out;
  auto n = array["length"].as<std::size_t>();
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(text_arg(array[i]));
  return out;
}

val parsed_key(const ff::keys::ParsedKey& k) {
  val o = val::object();
  o.set("id", k.id);
  o.set("type", std::string(ff::keys::type_name(k.type)));
  o.set("environment", std::string(ff::keys::environment_name(k.environment)));
  o.set("formatVersion", k.format_version);
  return o;
}

// A secret as a JavaScript string, decoded from the secret's own storage (which wipes
// itself). Through a std::string, a copy would be left in freed memory twice: the string's
// own buffer and the one embind hands it to JavaScript in.
val secret_text(std::string_view secret) {
  static const val decoder = val::global("TextDecoder").new_();
  return decoder.call<val>(
      "decode", val(emscripten::typed_memory_view(secret.size(), reinterpret_cast<const std::uint8_t*>(secret.data()))));
}

val api_key(const ff::keys::ApiKey& k) {
  val o = val::object();
  o.set("id", k.id());
  o.set("type", std::string(ff::keys::type_name(k.type())));
  o.set("environment", std::string(ff::keys::environment_name(k.environment())));
  o.set("key", secret_text(k.reveal()));
  return o;
}

// ---- status ----
val codes() {
  std::vector<std::string> names;
  for (ff::Code c : ff::all_codes()) names.emplace_back(ff::code_name(c));
  return strings_to_array(names);
}
std::string version() { return std::string(ff::version()); }

// ---- keys ----
val key_generate(const val& type_js) {
  const std::string type = text_arg(type_js);
  auto t = ff::keys::type_from_name(type);
  if (!t.ok()) return fail(t.status());
  return result(ff::keys::generate(*t), api_key);
}
val key_generate_from_entropy(const val& type_js, const val& entropy) {
  const std::string type = text_arg(type_js);
  auto t = ff::keys::type_from_name(type);
  if (!t.ok()) return fail(t.status());
  ff::SecretBytes bytes = bytes_from(entropy);
  return result(ff::keys::generate_from_entropy(*t, bytes.view()), api_key);
}
val key_parse(const val& key_js) {
  const std::string key = text_arg(key_js);
  return result(ff::keys::parse(key), parsed_key);
}
val key_parse_id(const val& id_js) {
  const std::string id = text_arg(id_js);
  return result(ff::keys::parse_id(id), parsed_key);
}
val key_mask(const val& key_js) {
  const std::string key = text_arg(key_js);
  return result(ff::keys::mask(key));
}
val key_type_info(const val& name_js) {
  const std::string name = text_arg(name_js);
  auto t = ff::keys::type_from_name(name);
  if (!t.ok()) return fail(t.status());
  val o = val::object();
  o.set("name", name);
  o.set("prefix", std::string(ff::keys::type_prefix(*t)));
  o.set("environment", std::string(ff::keys::environment_name(ff::keys::type_environment(*t))));
  return ok(o);
}
val key_types() {
  std::vector<std::string> names;
  for (auto t : ff::keys::kAllTypes) names.emplace_back(ff::keys::type_name(t));
  return strings_to_array(names);
}
std::string key_scanner_pattern() { return std::string(ff::keys::scanner_pattern()); }

// The whole table: canonical JSON plus every policy (durations in ms, as doubles: exact).
val type_table(const val& overrides_json_js) {
  const std::string overrides_json = text_arg(overrides_json_js);
  auto table = ff::keys::TypeTable::Create(overrides_json);
  if (!table.ok()) return fail(table.status());
  val policies = val::object();
  for (auto t : ff::keys::kAllTypes) {
    const auto& p = table->get(t);
    val o = val::object();
    o.set("type", std::string(ff::keys::type_name(p.type)));
    o.set("environment", std::string(ff::keys::environment_name(p.environment)));
    o.set("maxLifetimeMs", static_cast<double>(p.max_lifetime));
    o.set("rotationPeriodMs", static_cast<double>(p.rotation_period));
    o.set("rotationWarningMs", static_cast<double>(p.rotation_warning));
    o.set("rateLimitRequests", static_cast<double>(p.rate_limit.requests));
    o.set("rateLimitWindowMs", static_cast<double>(p.rate_limit.window));
    o.set("maxScopes", static_cast<double>(p.max_scopes));
    o.set("requiresService", p.requires_service);
    o.set("allowsGlobalWildcard", p.allows_global_wildcard);
    o.set("requiresSignedRequests", p.requires_signed_requests);
    policies.set(std::string(ff::keys::type_name(t)), o);
  }
  val v = val::object();
  v.set("json", table->to_json());
  v.set("policies", policies);
  return ok(v);
}

// ---- scopes (sets cross as canonical string arrays) ----
val scope_parse(const val& list) {
  return result(ff::scopes::parse(strings_from(list)),
                [](const ff::scopes::ScopeSet& s) { return strings_to_array(s.to_strings()); });
}
val scope_allows(const val& granted, const val& required_js) {
  const std::string required = text_arg(required_js);
  auto g = ff::scopes::parse(strings_from(granted));
  if (!g.ok()) return fail(g.status());
  return result(ff::scopes::allows(*g, required));
}
// Parses two lists, then applies `op` to the two sets.
template <typename Op>
val with_two_sets(const val& a, const val& b, Op op) {
  auto first = ff::scopes::parse(strings_from(a));
  if (!first.ok()) return fail(first.status());
  auto second = ff::scopes::parse(strings_from(b));
  if (!second.ok()) return fail(second.status());
  return ok(val(op(*first, *second)));
}
val scope_allows_all(const val& granted, const val& required) {
  return with_two_sets(granted, required, ff::scopes::allows_all);
}
val scope_is_subset(const val& child, const val& parent) {
  return with_two_sets(child, parent, ff::scopes::is_subset);
}

// ---- hashing ----
// ids: string[]; peppers: Uint8Array[] of the same length.
val hasher_create(const val& ids, const val& peppers, const val& current_js, const val& algorithm_js) {
  const std::string current = text_arg(current_js);
  const std::string algorithm = text_arg(algorithm_js);
  std::vector<std::pair<std::string, ff::SecretBytes>> list;
  auto n = ids["length"].as<std::size_t>();
  for (std::size_t i = 0; i < n; ++i) {
    list.emplace_back(text_arg(ids[i]), bytes_from(peppers[i]));
  }
  return result(ff::hashing::Hasher::Create(std::move(list), current, algorithm),
                [](const ff::hashing::Hasher& h) { return val(h); });
}
val hasher_needs_rehash(const ff::hashing::Hasher& h, const val& stored_js) {
  const std::string stored = text_arg(stored_js);
  return result(h.needs_rehash(stored));
}
std::string hasher_current(const ff::hashing::Hasher& h) { return h.current_pepper_id(); }
std::string hasher_algorithm(const ff::hashing::Hasher& h) { return std::string(h.algorithm()); }
val hash_parse_stored(const val& stored_js) {
  const std::string stored = text_arg(stored_js);
  return result(ff::hashing::parse_stored(stored), [](const ff::hashing::StoredHash& s) {
    val o = val::object();
    o.set("algorithm", s.algorithm);
    o.set("pepperId", s.pepper_id);
    return o;
  });
}
val random_secret(std::size_t size) {
  return result(ff::random_secret(size), [](const ff::SecretBytes& s) {
    val out = val::global("Uint8Array").new_(s.size());
    out.call<void>("set", val(emscripten::typed_memory_view(s.size(), s.data())));
    return out;
  });
}

// ---- time (milliseconds cross as doubles: every instant and duration here is below 2^53) ----
val as_number(ff::time::Millis ms) { return val(static_cast<double>(ms)); }
val time_parse_duration(const val& s_js) {
  const std::string s = text_arg(s_js);
  return result(ff::time::parse_duration(s), as_number);
}
val time_format_duration(double ms) {
  return result(ff::time::format_duration(static_cast<ff::time::Millis>(ms)));
}
val time_parse_timestamp(const val& s_js) {
  const std::string s = text_arg(s_js);
  return result(ff::time::parse_timestamp(s), as_number);
}
val time_parse_until(const val& s_js) {
  const std::string s = text_arg(s_js);
  return result(ff::time::parse_until(s), as_number);
}
val time_format_timestamp(double ms) {
  return result(ff::time::format_timestamp(static_cast<ff::time::Millis>(ms)));
}

// ---- lifecycle ----
// The table crosses as its canonical JSON (TypeTable.toString() in the facade).
val lifecycle_parse_create_request(const val& request_js, double now_ms, const val& table_json_js) {
  const std::string request = text_arg(request_js);
  const std::string table_json = text_arg(table_json_js);
  auto table = ff::keys::TypeTable::Create(table_json);
  if (!table.ok()) return fail(table.status());
  return result(ff::lifecycle::parse_create_request(request, static_cast<ff::time::Millis>(now_ms), *table),
                [](const ff::lifecycle::CreateRequest& r) {
                  val o = val::object();
                  o.set("json", r.to_json());
                  o.set("expiresAtMs", static_cast<double>(r.expires_at));
                  return o;
                });
}

// ---- rate limits (tat_ms null: a fresh key) ----
val ratelimit_check(double requests, double window_ms, const val& tat_ms, double tat_frac, double now_ms,
                    double cost) {
  ff::ratelimit::State state;
  if (!tat_ms.isNull() && !tat_ms.isUndefined()) {
    state = {static_cast<ff::time::Millis>(tat_ms.as<double>()), static_cast<std::int64_t>(tat_frac)};
  }
  return result(ff::ratelimit::check({static_cast<std::int64_t>(requests), static_cast<ff::time::Millis>(window_ms)},
                                     state, static_cast<ff::time::Millis>(now_ms), static_cast<std::int64_t>(cost)),
                [](const ff::ratelimit::Decision& d) {
                  val o = val::object();
                  o.set("allowed", d.allowed);
                  o.set("limit", static_cast<double>(d.limit));
                  o.set("remaining", static_cast<double>(d.remaining));
                  o.set("retryAfterMs", static_cast<double>(d.retry_after));
                  o.set("resetAfterMs", static_cast<double>(d.reset_after));
                  val st = val::object();
                  st.set("tatMs", static_cast<double>(d.state.tat_ms));
                  st.set("tatFrac", static_cast<double>(d.state.tat_frac));
                  o.set("state", st);
                  return o;
                });
}

// ---- registry (records, decisions and events cross as the core's canonical JSON) ----
val json_list(const std::vector<std::string>& items) { return strings_to_array(items); }

// A PostgreSQL connection over the facade's bridge (PostgresBridge in bindings/node/src/api.js):
// `pg` in a worker thread, answering synchronously. Bridge calls return a value and never
// throw: {columns, cells} or {error, sqlstate}.
class BridgeConnection final : public ff::registry::PostgresConnection {
 public:
  explicit BridgeConnection(val bridge) : bridge_(std::move(bridge)) {}

  ff::Result<Table> run(const char* name, const std::string& sql, const std::vector<std::string>& params) override {
    val r = bridge_.call<val>("query", std::string(name), sql, strings_to_array(params));
    if (ff::Status s = check(r, name); !s.ok()) return s;
    Table t;
    t.columns = r["columns"].as<int>();
    t.cells = emscripten::vecFromJSArray<std::string>(r["cells"]);
    t.rows = t.columns == 0 ? 0 : static_cast<int>(t.cells.size()) / t.columns;
    return t;
  }
  ff::Status exec(const std::string& sql) override {
    return check(bridge_.call<val>("query", std::string(), sql, val::array()), "exec");
  }
  bool notifications(ff::registry::FunctionRef<void(std::string_view)> each) override {
    val ids = bridge_.call<val>("notifications");
    if (ids.isNull()) return false;
    const auto n = ids["length"].as<unsigned>();
    for (unsigned i = 0; i < n; ++i) each(ids[i].as<std::string>());
    return true;
  }
  bool connected() override { return bridge_.call<bool>("connected"); }
  ff::Status reconnect() override { return check(bridge_.call<val>("reconnect"), "reconnect"); }
  void sleep(std::chrono::microseconds how_long) override {
    bridge_.call<void>("sleep", static_cast<double>(how_long.count()));
  }

 private:
  ff::Status check(const val& r, std::string_view what) {
    val error = r["error"];
    if (error.isUndefined() || error.isNull()) {
      sqlstate_.clear();
      return ff::Status::Ok();
    }
    val state = r["sqlstate"];
    sqlstate_ = state.isString() ? state.as<std::string>() : "";
    return ff::Status(ff::Code::kStorageUnavailable, "postgresql: " + std::string(what) + ": " + error.as<std::string>());
  }

  val bridge_;
};

// `store` is a store URL for the core to open ("memory:"), unless `bridge` is given: then the
// PostgreSQL store over it, writing as `writer`.
val registry_new(const ff::hashing::Hasher& hasher, const val& table_json_js, const val& seed_js, const val& store_js,
                 const val& bridge, const val& writer_js) {
  const std::string table_json = text_arg(table_json_js);
  auto table = ff::keys::TypeTable::Create(table_json);
  if (!table.ok()) return fail(table.status());
  std::optional<ff::keys::RandomSource> random;
  if (!seed_js.isNull() && !seed_js.isUndefined()) random = ff::keys::deterministic_random(text_arg(seed_js));
  ff::registry::StoreOptions options;
  options.writer = text_arg(writer_js);
  auto store = bridge.isNull() ? ff::registry::open_store(text_arg(store_js), options)
                               : ff::registry::open_postgres_store(std::make_unique<BridgeConnection>(bridge), options);
  if (!store.ok()) return fail(store.status());
  return ok(val(ff::registry::Registry(hasher, *table, std::move(*store), random)));
}
val registry_create(ff::registry::Registry& r, const val& request_js, double now, const val& actor_js) {
  const std::string request = text_arg(request_js);
  return result(r.create(request, static_cast<ff::time::Millis>(now), text_arg(actor_js)), [](const ff::registry::Created& c) {
    val o = val::object();
    o.set("key", api_key(c.key));
    o.set("record", c.record.to_json());
    return o;
  });
}
val registry_verify(ff::registry::Registry& r, const val& key_js, const val& required, const val& environment,
                    const val& service, double cost, const val& actor, double latency_ms, const val& signed_by,
                    double now) {
  const std::string key = text_arg(key_js);
  ff::registry::VerifyContext ctx{strings_from(required), text_arg(environment), text_arg(service),
                                  static_cast<std::int64_t>(cost), text_arg(actor), latency_ms, text_arg(signed_by)};
  return result(r.verify(key, ctx, static_cast<ff::time::Millis>(now)),
                [](const ff::registry::Decision& d) { return val(d.to_json()); });
}

// ---- the verification hot path: ff_fast_verify (exports.cc) verifies into a FastVerify ----
using finfusion_wasm::FastVerify;

val fast_new(ff::registry::Registry& r) { return val(FastVerify(&r)); }
double address_of(const void* p) { return static_cast<double>(reinterpret_cast<std::uintptr_t>(p)); }
double fast_address(FastVerify& f) { return address_of(&f); }
double fast_key_buffer(FastVerify& f) { return address_of(f.key); }
double fast_result(FastVerify& f) { return address_of(&f.result); }
std::string fast_error(FastVerify& f) { return f.error; }
void fast_context(FastVerify& f, const val& required, const val& environment, const val& service, const val& actor,
                  const val& signed_by) {
  ff::registry::VerifyContext& c = f.context;
  c.required = strings_from(required);
  c.environment = text_arg(environment);
  c.service = text_arg(service);
  c.actor = text_arg(actor);
  c.signed_by = text_arg(signed_by);
}

val registry_status(ff::registry::Registry& r, const val& id, double now) {
  return result(r.status(text_arg(id), static_cast<ff::time::Millis>(now)),
                [](const ff::registry::KeyState& s) { return val(s.to_json()); });
}
val rotated_value(const ff::registry::Rotated& rot) {
  val o = val::object();
  o.set("key", api_key(rot.key));
  o.set("previous", rot.previous.to_json());
  o.set("current", rot.current.to_json());
  return o;
}
val registry_rotate(ff::registry::Registry& r, const val& id, double grace, const val& emails, bool force, double now,
                    const val& actor) {
  return result(r.rotate(text_arg(id), static_cast<ff::time::Millis>(grace), strings_from(emails), force,
                         static_cast<ff::time::Millis>(now), text_arg(actor)),
                rotated_value);
}
val registry_rotate_due(ff::registry::Registry& r, double grace, const val& emails, double now, const val& actor) {
  return result(r.rotate_due(static_cast<ff::time::Millis>(grace), strings_from(emails), static_cast<ff::time::Millis>(now),
                             text_arg(actor)),
                [](const std::vector<ff::registry::Rotated>& made) {
                  val list = val::array();
                  for (const auto& rot : made) list.call<void>("push", rotated_value(rot));
                  return list;
                });
}
val registry_revoke(ff::registry::Registry& r, const val& id, const val& reason, double now, const val& actor) {
  return result(r.revoke(text_arg(id), text_arg(reason), static_cast<ff::time::Millis>(now), text_arg(actor)),
                [](const ff::registry::KeyRecord& k) { return val(k.to_json()); });
}
val registry_get(ff::registry::Registry& r, const val& id) {
  return result(r.get(text_arg(id)), [](const ff::registry::KeyRecord& k) { return val(k.to_json()); });
}
// Records, events or notifications as an array of their canonical JSON texts.
template <class T>
val to_json_list(const std::vector<T>& values) {
  std::vector<std::string> out;
  out.reserve(values.size());
  for (const auto& v : values) out.push_back(v.to_json());
  return json_list(out);
}
val registry_list(ff::registry::Registry& r) {
  return result(r.list(), [](const std::vector<ff::registry::KeyRecord>& all) { return to_json_list(all); });
}
val registry_logs(ff::registry::Registry& r, const val& key_id, const val& types, double limit) {
  return result(r.logs({text_arg(key_id), strings_from(types), static_cast<std::size_t>(limit)}),
                [](const std::vector<ff::audit::Event>& events) { return to_json_list(events); });
}
val registry_set_alert_recipients(ff::registry::Registry& r, const val& recipients) {
  return status_result(r.set_alert_recipients(strings_from(recipients)));
}
val registry_queue_warnings(ff::registry::Registry& r, double now) {
  return result(r.queue_warnings(static_cast<ff::time::Millis>(now)),
                [](std::size_t n) { return val(static_cast<double>(n)); });
}
val registry_claim_notifications(ff::registry::Registry& r, const val& worker, double limit, double lease, double now) {
  return result(r.claim_notifications(text_arg(worker), static_cast<std::size_t>(limit),
                                      static_cast<ff::time::Millis>(lease), static_cast<ff::time::Millis>(now)),
                [](const std::vector<ff::registry::Notification>& all) { return to_json_list(all); });
}
val registry_settle_notification(ff::registry::Registry& r, const val& id, const val& worker, bool delivered,
                                 const val& error, double now) {
  return result(r.settle_notification(text_arg(id), text_arg(worker), delivered, text_arg(error),
                                      static_cast<ff::time::Millis>(now)),
                [](const ff::registry::Notification& n) { return val(n.to_json()); });
}
val registry_notifications(ff::registry::Registry& r, const val& id, const val& status, double limit) {
  return result(r.notifications({text_arg(id), text_arg(status), 0, static_cast<std::size_t>(limit)}),
                [](const std::vector<ff::registry::Notification>& all) { return to_json_list(all); });
}
val registry_emergency_revoke(ff::registry::Registry& r, const val& id, const val& reason, bool replace, double now,
                              const val& actor) {
  return result(r.emergency_revoke(text_arg(id), text_arg(reason), replace, static_cast<ff::time::Millis>(now),
                                   text_arg(actor)),
                [](const ff::registry::EmergencyRevocation& out) {
                  val revoked = val::array();
                  for (const auto& k : out.revoked) revoked.call<void>("push", k.to_json());
                  val replacements = val::array();
                  for (const auto& rep : out.replacements) {
                    val o = val::object();
                    o.set("previousId", rep.previous_id);
                    o.set("key", api_key(rep.key));
                    o.set("record", rep.record.to_json());
                    replacements.call<void>("push", o);
                  }
                  val o = val::object();
                  o.set("revoked", revoked);
                  o.set("replacements", replacements);
                  return o;
                });
}
val registry_policy_report(ff::registry::Registry& r, double now) {
  return result(r.policy_report(static_cast<ff::time::Millis>(now)), [](const std::string& json) { return val(json); });
}
val registry_get_usage(ff::registry::Registry& r, const val& query) {
  return result(r.get_usage(text_arg(query)), [](const std::string& json) { return val(json); });
}
val registry_verify_chain(ff::registry::Registry& r) {
  return result(r.verify_chain(), [](const ff::audit::ChainReport& c) {
    val o = val::object();
    o.set("ok", c.ok);
    o.set("fromSeq", static_cast<double>(c.from_seq));
    o.set("checked", static_cast<double>(c.checked));
    o.set("firstBad", static_cast<double>(c.first_bad));
    o.set("head", c.head);
    o.set("chains", static_cast<double>(c.chains));
    o.set("writer", c.writer);
    return o;
  });
}

val registry_flush(ff::registry::Registry& r) { return status_result(r.flush()); }
val registry_export(ff::registry::Registry& r, const val& key, double now) {
  return result(r.export_encrypted(bytes_from(key), static_cast<ff::time::Millis>(now)));
}
val registry_import(ff::registry::Registry& r, const val& text, const val& key) {
  return status_result(r.import_encrypted(text_arg(text), bytes_from(key)));
}

// ---- the seed's client configuration ----
val client_configure(const val& api_key, const val& environment, const val& options_json) {
  return result(ff::client::configure(text_arg(api_key), text_arg(environment), text_arg(options_json)),
                [](const ff::client::Config& c) {
                  val o = val::object();
                  o.set("keyId", c.key_id);
                  o.set("type", std::string(ff::keys::type_name(c.type)));
                  o.set("environment", std::string(ff::keys::environment_name(c.environment)));
                  o.set("timeoutMs", static_cast<double>(c.timeout_ms));
                  o.set("retries", static_cast<double>(c.retries));
                  return o;
                });
}

// ---- signing (RFC 9421) ----
namespace sg = ff::signing;

// A JS Uint8Array's bytes (not secret: bodies, messages, signatures, public keys).
std::string plain_bytes(const val& array) {
  auto n = array["length"].as<std::size_t>();
  std::string out(n, '\0');
  if (n) val(emscripten::typed_memory_view(n, reinterpret_cast<std::uint8_t*>(out.data()))).call<void>("set", array);
  return out;
}

val to_uint8(std::string_view bytes) {
  val out = val::global("Uint8Array").new_(bytes.size());
  if (!bytes.empty()) {
    out.call<void>("set", val(emscripten::typed_memory_view(bytes.size(), reinterpret_cast<const std::uint8_t*>(bytes.data()))));
  }
  return out;
}

val sg_key_hmac(const val& id, const val& secret) {
  return result(sg::SigningKey::Hmac(text_arg(id), bytes_from(secret)), [](const sg::SigningKey& k) { return val(k); });
}
val sg_key_ed25519(const val& id, const val& seed) {
  return result(sg::SigningKey::Ed25519(text_arg(id), bytes_from(seed)), [](const sg::SigningKey& k) { return val(k); });
}
val sg_key_generate(const val& id, const val& algorithm) {
  auto a = sg::algorithm_from_name(text_arg(algorithm));
  if (!a.ok()) return fail(a.status());
  return result(sg::SigningKey::Generate(text_arg(id), *a), [](const sg::SigningKey& k) { return val(k); });
}
std::string sg_key_id(const sg::SigningKey& k) { return k.key_id(); }
std::string sg_key_algorithm(const sg::SigningKey& k) { return std::string(sg::algorithm_name(k.algorithm())); }
val sg_key_public(const sg::SigningKey& k) { return to_uint8(k.public_key()); }
val sg_key_secret(const sg::SigningKey& k) { return to_uint8(k.secret().view()); }
sg::VerifyingKey sg_key_verifying(const sg::SigningKey& k) { return k.verifying_key(); }
val sg_key_sign(const sg::SigningKey& k, const val& message) { return to_uint8(k.sign(plain_bytes(message))); }

val sg_vkey_hmac(const val& id, const val& secret) {
  return result(sg::VerifyingKey::Hmac(text_arg(id), bytes_from(secret)), [](const sg::VerifyingKey& k) { return val(k); });
}
val sg_vkey_ed25519(const val& id, const val& public_key) {
  return result(sg::VerifyingKey::Ed25519(text_arg(id), plain_bytes(public_key)),
                [](const sg::VerifyingKey& k) { return val(k); });
}
std::string sg_vkey_id(const sg::VerifyingKey& k) { return k.key_id(); }
std::string sg_vkey_algorithm(const sg::VerifyingKey& k) { return std::string(sg::algorithm_name(k.algorithm())); }
bool sg_vkey_verify(const sg::VerifyingKey& k, const val& message, const val& signature) {
  return k.verify(plain_bytes(message), plain_bytes(signature));
}

void sg_ring_add(sg::KeyRing& r, const sg::VerifyingKey& k) { r.add(k); }
double sg_ring_size(const sg::KeyRing& r) { return static_cast<double>(r.size()); }
bool sg_ring_contains(const sg::KeyRing& r, const val& id) { return r.contains(text_arg(id)); }
double sg_nonces_size(const sg::NonceCache& c) { return static_cast<double>(c.size()); }
double sg_nonces_max(const sg::NonceCache& c) { return static_cast<double>(c.max_entries()); }
template <class T>
double sg_address(const T& object) { return address_of(&object); }

val sg_content_digest(const val& body, const val& algorithm) {
  auto a = sg::digest_from_name(text_arg(algorithm));
  if (!a.ok()) return fail(a.status());
  return ok(val(sg::content_digest(plain_bytes(body), *a)));
}
val sg_verify_content_digest(const val& field, const val& body) {
  ff::Status s = sg::verify_content_digest(text_arg(field), plain_bytes(body));
  if (s.code() == ff::Code::kSignatureInvalid) return ok(val(false));
  if (!s.ok()) return fail(s);
  return ok(val(true));
}

// ---- webhooks (Standard Webhooks) ----
namespace wh = ff::webhooks;

val wh_secret(ff::Result<wh::Secret>&& r) { return result(std::move(r), [](const wh::Secret& s) { return val(s); }); }
val wh_secret_parse(const val& textv) { return wh_secret(wh::Secret::Parse(text_arg(textv))); }
val wh_secret_from_bytes(const val& raw) { return wh_secret(wh::Secret::FromBytes(bytes_from(raw))); }
val wh_secret_generate() { return wh_secret(wh::Secret::Generate()); }
val wh_secret_reveal(const wh::Secret& s) {
  std::string text = s.reveal();
  val out = secret_text(text);
  sodium_memzero(text.data(), text.size());
  return out;
}

val wh_sign(const wh::Secret& secret, const val& id, double timestamp, const val& payload) {
  return result(wh::sign(secret, text_arg(id), static_cast<std::int64_t>(timestamp), plain_bytes(payload)));
}

// ---- the registry's sealed secrets ----
val registry_set_master_keys(ff::registry::Registry& r, const val& ids, const val& keys, const val& current) {
  std::vector<std::pair<std::string, ff::SecretBytes>> list;
  auto n = ids["length"].as<std::size_t>();
  for (std::size_t i = 0; i < n; ++i) list.emplace_back(text_arg(ids[i]), bytes_from(keys[i]));
  auto masters = ff::vault::MasterKeys::Create(std::move(list), text_arg(current));
  if (!masters.ok()) return fail(masters.status());
  r.set_master_keys(std::move(*masters));
  return ok(val::null());
}
val registry_issue_signing_secret(ff::registry::Registry& r, const val& key_id, const val& algorithm, double now,
                                  const val& actor) {
  auto a = sg::algorithm_from_name(text_arg(algorithm));
  if (!a.ok()) return fail(a.status());
  return result(r.issue_signing_secret(text_arg(key_id), *a, static_cast<ff::time::Millis>(now), text_arg(actor)),
                [](const sg::SigningKey& k) { return val(k); });
}
val registry_signing_key(ff::registry::Registry& r, const val& key_id) {
  return result(r.signing_key(text_arg(key_id)), [](const sg::SigningKey& k) { return val(k); });
}
val registry_issue_webhook_secret(ff::registry::Registry& r, const val& endpoint, double now, const val& actor) {
  return wh_secret(r.issue_webhook_secret(text_arg(endpoint), static_cast<ff::time::Millis>(now), text_arg(actor)));
}
val registry_webhook_secret(ff::registry::Registry& r, const val& endpoint) {
  return wh_secret(r.webhook_secret(text_arg(endpoint)));
}
val registry_reencrypt_secrets(ff::registry::Registry& r, double now, const val& actor) {
  return result(r.reencrypt_secrets(static_cast<ff::time::Millis>(now), text_arg(actor)),
                [](std::size_t n) { return val(static_cast<double>(n)); });
}

}  // namespace

EMSCRIPTEN_BINDINGS(finfusion) {
  using emscripten::function;
  function("codes", &codes);
  function("version", &version);
  function("key_generate", &key_generate);
  function("key_generate_from_entropy", &key_generate_from_entropy);
  function("key_parse", &key_parse);
  function("key_parse_id", &key_parse_id);
  function("key_mask", &key_mask);
  function("key_type_info", &key_type_info);
  function("key_types", &key_types);
  function("key_scanner_pattern", &key_scanner_pattern);
  function("type_table", &type_table);
  function("scope_parse", &scope_parse);
  function("scope_allows", &scope_allows);
  function("scope_allows_all", &scope_allows_all);
  function("scope_is_subset", &scope_is_subset);
  emscripten::class_<ff::hashing::Hasher>("Hasher")
      .function("address", &sg_address<ff::hashing::Hasher>)
      .function("needsRehash", &hasher_needs_rehash)
      .function("currentPepperId", &hasher_current)
      .function("algorithm", &hasher_algorithm);
  function("hasher_create", &hasher_create);
  function("hash_parse_stored", &hash_parse_stored);
  function("random_secret", &random_secret);
  function("time_parse_duration", &time_parse_duration);
  function("time_format_duration", &time_format_duration);
  function("time_parse_timestamp", &time_parse_timestamp);
  function("time_parse_until", &time_parse_until);
  function("time_format_timestamp", &time_format_timestamp);
  function("lifecycle_parse_create_request", &lifecycle_parse_create_request);
  function("ratelimit_check", &ratelimit_check);
  emscripten::class_<ff::registry::Registry>("Registry")
      .function("create", &registry_create)
      .function("verify", &registry_verify)
      .function("status", &registry_status)
      .function("rotate", &registry_rotate)
      .function("rotateDue", &registry_rotate_due)
      .function("revoke", &registry_revoke)
      .function("get", &registry_get)
      .function("list", &registry_list)
      .function("logs", &registry_logs)
      .function("getUsage", &registry_get_usage)
      .function("emergencyRevoke", &registry_emergency_revoke)
      .function("policyReport", &registry_policy_report)
      .function("verifyChain", &registry_verify_chain)
      .function("flush", &registry_flush)
      .function("exportEncrypted", &registry_export)
      .function("importEncrypted", &registry_import)
      .function("setMasterKeys", &registry_set_master_keys)
      .function("issueSigningSecret", &registry_issue_signing_secret)
      .function("signingKey", &registry_signing_key)
      .function("issueWebhookSecret", &registry_issue_webhook_secret)
      .function("webhookSecret", &registry_webhook_secret)
      .function("reencryptSecrets", &registry_reencrypt_secrets)
      .function("setAlertRecipients", &registry_set_alert_recipients)
      .function("queueWarnings", &registry_queue_warnings)
      .function("claimNotifications", &registry_claim_notifications)
      .function("settleNotification", &registry_settle_notification)
      .function("notifications", &registry_notifications);
  function("registry_new", &registry_new);
  function("fast_new", &fast_new);
  emscripten::class_<FastVerify>("FastVerify")
      .function("address", &fast_address)
      .function("keyBuffer", &fast_key_buffer)
      .function("result", &fast_result)
      .function("error", &fast_error)
      .function("setContext", &fast_context);
  function("client_configure", &client_configure);
  emscripten::class_<sg::SigningKey>("SigningKey")
      .function("keyId", &sg_key_id)
      .function("algorithm", &sg_key_algorithm)
      .function("publicKey", &sg_key_public)
      .function("revealSecret", &sg_key_secret)
      .function("verifyingKey", &sg_key_verifying)
      .function("sign", &sg_key_sign)
      .function("address", &sg_address<sg::SigningKey>);
  emscripten::class_<sg::VerifyingKey>("VerifyingKey")
      .function("keyId", &sg_vkey_id)
      .function("algorithm", &sg_vkey_algorithm)
      .function("verify", &sg_vkey_verify);
  emscripten::class_<sg::KeyRing>("KeyRing")
      .constructor<>()
      .function("add", &sg_ring_add)
      .function("size", &sg_ring_size)
      .function("contains", &sg_ring_contains)
      .function("address", &sg_address<sg::KeyRing>);
  emscripten::class_<sg::NonceCache>("NonceCache")
      .constructor<std::size_t>()
      .function("size", &sg_nonces_size)
      .function("maxEntries", &sg_nonces_max)
      .function("address", &sg_address<sg::NonceCache>);
  function("signing_key_hmac", &sg_key_hmac);
  function("signing_key_ed25519", &sg_key_ed25519);
  function("signing_key_generate", &sg_key_generate);
  function("verifying_key_hmac", &sg_vkey_hmac);
  function("verifying_key_ed25519", &sg_vkey_ed25519);
  function("signing_content_digest", &sg_content_digest);
  function("signing_verify_content_digest", &sg_verify_content_digest);
  emscripten::class_<wh::Secret>("WebhookSecret")
      .function("reveal", &wh_secret_reveal)
      .function("address", &sg_address<wh::Secret>);
  function("webhook_secret_parse", &wh_secret_parse);
  function("webhook_secret_from_bytes", &wh_secret_from_bytes);
  function("webhook_secret_generate", &wh_secret_generate);
  function("webhook_sign", &wh_sign);
}
