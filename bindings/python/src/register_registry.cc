#include <pybind11/stl.h>
#include <pybind11/typing.h>

#include <optional>
#include <string>
#include <vector>

#include "common.h"
#include "finfusion/registry.h"
#include "finfusion/store.h"
#include "finfusion/vault.h"

namespace finfusion::python {
namespace {


// A rotation as (new key, previous record JSON, current record JSON).
auto rotated_tuple(registry::Rotated& rot) {
  return py::make_tuple(std::move(rot.key), rot.previous.to_json(), rot.current.to_json());
}

// Records, events or notifications as their canonical JSON texts.
template <class T>
std::vector<std::string> to_json_list(const std::vector<T>& values) {
  std::vector<std::string> out;
  out.reserve(values.size());
  for (const auto& v : values) out.push_back(v.to_json());
  return out;
}

}  // namespace

void register_registry(py::module_& m) {
  m.def("decision_json",
        [](bool valid, const std::string& code, std::string key_id, std::string type, std::string environment,
           std::vector<std::string> permissions, std::optional<time::Millis> expires_at, bool in_grace,
           std::string replaced_by, std::optional<time::Millis> grace_until, std::int64_t limit,
           std::int64_t remaining, time::Millis retry_after) {
          registry::Decision d;
          d.valid = valid;
          auto c = code_from_name(code);
          if (!c) throw py::value_error("not a FinFusion code");
          d.code = *c;
          d.key_id = std::move(key_id);
          d.type = std::move(type);
          d.environment = std::move(environment);
          d.scopes = std::move(permissions);
          d.expires_at = expires_at.value_or(0);
          d.in_grace = in_grace;
          d.replaced_by = std::move(replaced_by);
          d.grace_until = grace_until.value_or(0);
          d.rate_limit = limit;
          d.rate_remaining = remaining;
          d.retry_after = retry_after;
          return d.to_json();
        },
        py::arg("valid"), py::arg("code"), py::arg("key_id"), py::arg("type"), py::arg("environment"),
        py::arg("permissions"), py::arg("expires_at_ms"), py::arg("in_grace"), py::arg("replaced_by"),
        py::arg("grace_until_ms"), py::arg("limit"), py::arg("remaining"), py::arg("retry_after_ms"),
        "A decision's canonical JSON from its fields (what Registry.verify returns).");

  // Records, decisions and events cross as the core's canonical JSON; the facade
  // (finfusion.registry) turns them into typed Python values.
  py::class_<registry::Registry>(m, "Registry", "The key registry over a store (memory:, sqlite:PATH or postgresql://...).")
      .def(py::init([](const hashing::Hasher& hasher, const keys::TypeTable& table, std::optional<py::bytes> seed,
                       const StrArg& store) {
             std::optional<keys::RandomSource> random;
             if (seed) random = keys::deterministic_random(std::string(*seed));
             auto opened = unwrap(registry::open_store(Text(store, "store").view()));
             return registry::Registry(hasher, table, std::move(opened), random);
           }),
           py::arg("hasher"), py::arg("table"), py::arg("seed"), py::arg("store"))
      .def("create", [](registry::Registry& r, const StrArg& request, time::Millis now, const StrArg& actor) {
             auto c = unwrap(r.create(Text(request, "request").view(), now, Text(actor, "actor").view()));
             return py::make_tuple(std::move(c.key), c.record.to_json());
           }, py::arg("request"), py::arg("now_ms"), py::arg("actor"))
      .def("verify", [](registry::Registry& r, const StrArg& key, std::vector<std::string> required,
                        std::string environment, std::string service, std::int64_t cost, const StrArg& actor,
                        double latency_ms, const StrArg& signed_by, time::Millis now) {
             registry::VerifyContext ctx{std::move(required), std::move(environment), std::move(service), cost,
                                         std::string(Text(actor, "actor").view()), latency_ms,
                                         std::string(Text(signed_by, "signed_by").view())};
             // The hot path: the decision's fields, not its JSON (decision_json gives that on demand).
             const registry::Decision d = unwrap(r.verify(Text(key, "key").view(), ctx, now));
             return py::make_tuple(d.valid, code_name(d.code), d.key_id, d.type, d.environment, d.scopes,
                                   d.has_expiry() ? py::object(py::int_(d.expires_at)) : py::object(py::none()),
                                   d.in_grace, d.replaced_by,
                                   d.has_grace() ? py::object(py::int_(d.grace_until)) : py::object(py::none()),
                                   d.rate_limit, d.rate_remaining, d.retry_after);
           }, py::arg("key"), py::arg("required"), py::arg("environment"), py::arg("service"), py::arg("cost"),
           py::arg("actor"), py::arg("latency_ms"), py::arg("signed_by"), py::arg("now_ms"),
           "(valid, code, key_id, type, environment, permissions, expires_at_ms or None, in_grace, replaced_by, "
           "grace_until_ms or None, limit, remaining, retry_after_ms)")
      .def("get_usage", [](registry::Registry& r, const StrArg& query) {
             return unwrap(r.get_usage(Text(query, "query").view()));
           }, py::arg("query_json"))
      .def("status", [](registry::Registry& r, const StrArg& id, time::Millis now) {
             return unwrap(r.status(Text(id, "key id").view(), now)).to_json();
           }, py::arg("key_id"), py::arg("now_ms"))
      .def("rotate", [](registry::Registry& r, const StrArg& id, time::Millis grace,
                        const std::vector<std::string>& emails, bool force, time::Millis now, const StrArg& actor) {
             auto rot = unwrap(r.rotate(Text(id, "key id").view(), grace, emails, force, now,
                                        Text(actor, "actor").view()));
             return rotated_tuple(rot);
           }, py::arg("key_id"), py::arg("grace_ms"), py::arg("notify_emails"), py::arg("force"), py::arg("now_ms"),
           py::arg("actor"))
      .def("rotate_due", [](registry::Registry& r, time::Millis grace, const std::vector<std::string>& emails,
                            time::Millis now, const StrArg& actor) {
             py::typing::List<py::typing::Tuple<keys::ApiKey, py::str, py::str>> out;
             for (auto& rot : unwrap(r.rotate_due(grace, emails, now, Text(actor, "actor").view()))) {
               out.append(rotated_tuple(rot));
             }
             return out;
           }, py::arg("grace_ms"), py::arg("notify_emails"), py::arg("now_ms"), py::arg("actor"))
      .def("revoke", [](registry::Registry& r, const StrArg& id, const StrArg& reason, time::Millis now,
                        const StrArg& actor) {
             return unwrap(r.revoke(Text(id, "key id").view(), Text(reason, "reason").view(), now,
                                    Text(actor, "actor").view())).to_json();
           },
           py::arg("key_id"), py::arg("reason"), py::arg("now_ms"), py::arg("actor"))
      .def("get", [](registry::Registry& r, const StrArg& id) { return unwrap(r.get(Text(id, "key id").view())).to_json(); },
           py::arg("key_id"))
      .def("list", [](registry::Registry& r) { return to_json_list(unwrap(r.list())); })
      .def("logs", [](registry::Registry& r, const std::string& key_id, std::vector<std::string> types, std::size_t limit) {
             return to_json_list(unwrap(r.logs({key_id, std::move(types), limit})));
           }, py::arg("key_id"), py::arg("event_types"), py::arg("limit"))
      .def("set_alert_recipients", [](registry::Registry& r, std::vector<std::string> recipients) {
             Status s = r.set_alert_recipients(std::move(recipients));
             if (!s.ok()) raise(s);
           }, py::arg("recipients"))
      .def("queue_warnings", [](registry::Registry& r, time::Millis now) { return unwrap(r.queue_warnings(now)); },
           py::arg("now_ms"))
      .def("claim_notifications", [](registry::Registry& r, const StrArg& worker, std::size_t limit, time::Millis lease,
                                     time::Millis now) {
             return to_json_list(unwrap(r.claim_notifications(Text(worker, "worker").view(), limit, lease, now)));
           }, py::arg("worker"), py::arg("limit"), py::arg("lease_ms"), py::arg("now_ms"))
      .def("settle_notification", [](registry::Registry& r, const StrArg& id, const StrArg& worker, bool delivered,
                                     const StrArg& error, time::Millis now) {
             return unwrap(r.settle_notification(Text(id, "id").view(), Text(worker, "worker").view(), delivered,
                                                 Text(error, "error").view(), now)).to_json();
           }, py::arg("id"), py::arg("worker"), py::arg("delivered"), py::arg("error"), py::arg("now_ms"))
      .def("notifications", [](registry::Registry& r, const std::string& id, const std::string& status,
                               std::size_t limit) {
             return to_json_list(unwrap(r.notifications({id, status, 0, limit})));
           }, py::arg("id"), py::arg("status"), py::arg("limit"))
      .def("emergency_revoke", [](registry::Registry& r, const StrArg& id, const StrArg& reason, bool replace,
                                  time::Millis now, const StrArg& actor) {
             auto out = unwrap(r.emergency_revoke(Text(id, "key id").view(), Text(reason, "reason").view(), replace, now,
                                                  Text(actor, "actor").view()));
             py::list revoked, replacements;
             for (const auto& k : out.revoked) revoked.append(k.to_json());
             for (auto& rep : out.replacements) {
               replacements.append(py::make_tuple(rep.previous_id, std::move(rep.key), rep.record.to_json()));
             }
             return py::make_tuple(revoked, replacements);
           }, py::arg("key_id"), py::arg("reason"), py::arg("replace"), py::arg("now_ms"), py::arg("actor"))
      .def("policy_report", [](registry::Registry& r, time::Millis now) { return unwrap(r.policy_report(now)); },
           py::arg("now_ms"))
      .def("verify_chain", [](registry::Registry& r) { return unwrap(r.verify_chain()).to_json(); })
      .def("flush", [](registry::Registry& r) {
             Status s = r.flush();
             if (!s.ok()) raise(s);
           })
      .def("export_encrypted", [](registry::Registry& r, const BytesArg& key, time::Millis now) {
             return unwrap(r.export_encrypted(secret_bytes(key, "key"), now));
           }, py::arg("key"), py::arg("now_ms"))
      .def("import_encrypted", [](registry::Registry& r, const StrArg& text, const BytesArg& key) {
             Status s = r.import_encrypted(Text(text, "text").view(), secret_bytes(key, "key"));
             if (!s.ok()) raise(s);
           }, py::arg("text"), py::arg("key"))
      .def("set_master_keys", [](registry::Registry& r, const PepperMapArg& keys, const std::string& current) {
             if (!PyDict_Check(keys.ptr())) throw py::type_error("keys must be a dict of id -> bytes");
             std::vector<std::pair<std::string, SecretBytes>> list;
             for (auto item : py::reinterpret_borrow<py::dict>(keys)) {
               list.emplace_back(std::string(Text(item.first, "master key id").view()), secret_bytes(item.second, "master key"));
             }
             r.set_master_keys(unwrap(vault::MasterKeys::Create(std::move(list), current)));
           }, py::arg("keys"), py::arg("current"))
      .def("issue_signing_secret", [](registry::Registry& r, const StrArg& key_id, const StrArg& algorithm,
                                      time::Millis now, const StrArg& actor) {
             auto a = unwrap(signing::algorithm_from_name(Text(algorithm, "algorithm").view()));
             return unwrap(r.issue_signing_secret(Text(key_id, "key id").view(), a, now, Text(actor, "actor").view()));
           }, py::arg("key_id"), py::arg("algorithm"), py::arg("now_ms"), py::arg("actor"))
      .def("signing_key", [](registry::Registry& r, const StrArg& key_id) {
             return unwrap(r.signing_key(Text(key_id, "key id").view()));
           }, py::arg("key_id"))
      .def("issue_webhook_secret", [](registry::Registry& r, const StrArg& endpoint_id, time::Millis now,
                                      const StrArg& actor) {
             return unwrap(r.issue_webhook_secret(Text(endpoint_id, "endpoint id").view(), now, Text(actor, "actor").view()));
           }, py::arg("endpoint_id"), py::arg("now_ms"), py::arg("actor"))
      .def("webhook_secret", [](registry::Registry& r, const StrArg& endpoint_id) {
             return unwrap(r.webhook_secret(Text(endpoint_id, "endpoint id").view()));
           }, py::arg("endpoint_id"))
      .def("reencrypt_secrets", [](registry::Registry& r, time::Millis now, const StrArg& actor) {
             return unwrap(r.reencrypt_secrets(now, Text(actor, "actor").view()));
           }, py::arg("now_ms"), py::arg("actor"))
      .def("__reduce__", [](py::handle) -> py::object {
        throw py::type_error("objects that hold secrets cannot be pickled");
      });
}

}  // namespace finfusion::python
