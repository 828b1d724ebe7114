#include <pybind11/stl.h>
#include <datetime.h>
#include <structmember.h>
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

// ---- The verification hot path ----
// Registry.verify builds the facade's frozen Decision itself: the class has __slots__, and
// each field is stored straight into its slot (at the offset its member descriptor gives),
// without a __dict__ or a call into Python. It reads `now` from an aware UTC datetime without
// a Python call, and converts the context (required scopes, environment, service, actor,
// signer) only when it differs from the last call's objects. What it needs of the facade is
// handed over once at import (configure_verify).
enum DecisionField : std::size_t {
  kValid, kCode, kKeyId, kType, kEnvironment, kPermissions, kExpiresAt, kInGrace, kReplacedBy, kGraceUntil,
  kRateLimit, kDecisionFields
};
constexpr const char* kDecisionFieldNames[kDecisionFields] = {
    "valid", "code", "key_id", "type", "environment", "permissions", "expires_at", "in_grace", "replaced_by",
    "grace_until", "rate_limit"};
struct VerifyTypes {
  py::object decision, to_millis, from_millis, utc;
  Py_ssize_t offsets[kDecisionFields] = {};  // of each field's slot in a Decision
  std::vector<py::object> codes;  // code names as str, by code index
  py::object k_limit, k_remaining, k_retry_after;
  py::object state_name, empty_tuple, empty_str;  // "_verify" (interned), and verify's defaults
  // The VerifyState object the last call used, and its C++ value: the next call on the same
  // registry skips pybind11's two type lookups. Cleared by that VerifyState's destructor,
  // so that the address cannot come back as another object while it is remembered.
  PyObject* last_held = nullptr;
  struct VerifyState* last_state = nullptr;
};
VerifyTypes* verify_types = nullptr;  // set once, never freed (it outlives the interpreter's teardown)

// What one Registry's verifications carry from call to call.
struct VerifyState {
  explicit VerifyState(registry::Registry& r) : registry(&r) {}
  VerifyState(const VerifyState&) = delete;
  VerifyState& operator=(const VerifyState&) = delete;
  ~VerifyState() {
    if (verify_types != nullptr && verify_types->last_state == this) {
      verify_types->last_held = nullptr;
      verify_types->last_state = nullptr;
    }
  }
  registry::Registry* registry;  // kept alive by the state (py::keep_alive)
  registry::VerifyContext context;
  registry::Decision decision;  // reused: the core's hot path then allocates nothing
  bool primed = false;
  py::object required, environment, service, actor, signed_by;  // the objects the context came from
  std::vector<std::string> scopes;  // the last decision's, and their str objects
  std::vector<py::object> scope_objects;
  time::Millis expires_ms = 0, grace_ms = 0;
  py::object expires_at, grace_until;
  // The last str objects made for the decision's text fields, kept while the text repeats.
  KeptStr key_id_text, type_text, environment_text, replaced_by_text;
};

bool same_items(const py::object& kept, PyObject* given) {
  // `given` is a list or a tuple; `kept` the tuple of the items it had.
  const Py_ssize_t n = PySequence_Fast_GET_SIZE(given);
  if (PyTuple_GET_SIZE(kept.ptr()) != n) return false;
  PyObject** items = PySequence_Fast_ITEMS(given);
  for (Py_ssize_t i = 0; i < n; ++i) {
    if (PyTuple_GET_ITEM(kept.ptr(), i) != items[i]) return false;
  }
  return true;
}

std::string optional_text(py::handle value, const char* what) {
  return value.is_none() ? std::string() : std::string(Text(value, what).view());
}

void prime(VerifyState& s, py::handle required, py::handle environment, py::handle service, py::handle actor,
           py::handle signed_by) {
  if (s.primed && s.environment.is(environment) && s.service.is(service) && s.actor.is(actor) &&
      s.signed_by.is(signed_by) && same_items(s.required, required.ptr())) {
    return;
  }
  s.primed = false;
  std::vector<std::string> scopes;
  const Py_ssize_t n = PySequence_Fast_GET_SIZE(required.ptr());
  PyObject** items = PySequence_Fast_ITEMS(required.ptr());
  for (Py_ssize_t i = 0; i < n; ++i) scopes.emplace_back(Text(items[i], "each required scope").view());
  s.context.required = std::move(scopes);
  s.context.environment = optional_text(environment, "environment");
  s.context.service = optional_text(service, "service");
  s.context.actor = optional_text(actor, "actor");
  s.context.signed_by = optional_text(signed_by, "signed_by");
  s.required = py::reinterpret_steal<py::object>(PySequence_Tuple(required.ptr()));
  if (!s.required) throw py::error_already_set();
  s.environment = py::reinterpret_borrow<py::object>(environment);
  s.service = py::reinterpret_borrow<py::object>(service);
  s.actor = py::reinterpret_borrow<py::object>(actor);
  s.signed_by = py::reinterpret_borrow<py::object>(signed_by);
  s.primed = true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned month_from_march = m > 2 ? m - 3 : m + 9;
  const unsigned doy = (153 * month_from_march + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// `now` as epoch milliseconds: an int as it is, an aware datetime in UTC read directly, and
// anything else through the facade's to_millis (its checks and messages).
time::Millis now_of(py::handle now) {
  PyObject* p = now.ptr();
  if (PyLong_CheckExact(p)) return int_arg(now, "now");
#if PY_VERSION_HEX >= 0x030A0000
  if (PyDateTime_CheckExact(p) && PyDateTime_DATE_GET_TZINFO(p) == verify_types->utc.ptr()) {
    const std::int64_t days = days_from_civil(PyDateTime_GET_YEAR(p), static_cast<unsigned>(PyDateTime_GET_MONTH(p)),
                                              static_cast<unsigned>(PyDateTime_GET_DAY(p)));
    const std::int64_t seconds = days * 86400 + PyDateTime_DATE_GET_HOUR(p) * 3600 +
                                 PyDateTime_DATE_GET_MINUTE(p) * 60 + PyDateTime_DATE_GET_SECOND(p);
    return seconds * 1000 + PyDateTime_DATE_GET_MICROSECOND(p) / 1000;
  }
#endif
  return verify_types->to_millis(now).cast<time::Millis>();
}

// The datetime of `ms`, kept while the same instant comes back.
const py::object& instant_of(time::Millis ms, time::Millis& kept_ms, py::object& kept) {
  if (!kept || kept_ms != ms) {
    kept = verify_types->from_millis(ms);
    kept_ms = ms;
  }
  return kept;
}

void set_item(PyObject* dict, const py::object& key, py::object&& value) {
  if (!value || PyDict_SetItem(dict, key.ptr(), value.ptr()) != 0) throw py::error_already_set();
}

py::object decision_object(const registry::Decision& d, VerifyState& s) {
  const VerifyTypes& t = *verify_types;
  auto* cls = reinterpret_cast<PyTypeObject*>(t.decision.ptr());
  py::object obj = py::reinterpret_steal<py::object>(cls->tp_alloc(cls, 0));  // every slot empty
  if (!obj) throw py::error_already_set();
  // Gives the field its value (a new reference); `obj` releases whatever was set if a later
  // field fails.
  const auto set = [&](DecisionField field, py::object value) {
    *reinterpret_cast<PyObject**>(reinterpret_cast<char*>(obj.ptr()) + t.offsets[field]) = value.release().ptr();
  };
  if (d.scopes != s.scopes) {
    s.scopes = d.scopes;
    s.scope_objects.clear();
    for (const auto& scope : d.scopes) s.scope_objects.push_back(py::str(scope));
  }
  py::list permissions(s.scope_objects.size());
  for (std::size_t i = 0; i < s.scope_objects.size(); ++i) {
    PyList_SET_ITEM(permissions.ptr(), static_cast<Py_ssize_t>(i), s.scope_objects[i].inc_ref().ptr());
  }
  py::dict rate;
  set_item(rate.ptr(), t.k_limit, py::int_(d.rate_limit));
  set_item(rate.ptr(), t.k_remaining, py::int_(d.rate_remaining));
  set_item(rate.ptr(), t.k_retry_after, py::int_(d.retry_after));
  set(kValid, py::bool_(d.valid));
  set(kCode, t.codes[static_cast<std::size_t>(d.code)]);
  set(kKeyId, s.key_id_text.of(d.key_id));
  set(kType, s.type_text.of(d.type));
  set(kEnvironment, s.environment_text.of(d.environment));
  set(kPermissions, std::move(permissions));
  set(kExpiresAt, d.has_expiry() ? instant_of(d.expires_at, s.expires_ms, s.expires_at) : py::none());
  set(kInGrace, py::bool_(d.in_grace));
  set(kReplacedBy, s.replaced_by_text.of(d.replaced_by));
  set(kGraceUntil, d.has_grace() ? instant_of(d.grace_until, s.grace_ms, s.grace_until) : py::none());
  set(kRateLimit, std::move(rate));
  return obj;
}

// Registry.verify(self, key, *, now, required=(), environment=None, service=None, cost=1,
// actor=None, latency_ms=None, signed_by=""): the facade's method itself, a method descriptor
// configure_verify puts on the Registry class, so that no Python def runs on the call made on
// every request (and Python's method call makes no bound method for it). Its arguments are
// bound as that def's were. `self` is the facade's Registry; its _verify, the VerifyState.
PyObject* registry_verify(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  static const Parameters* parameters = new Parameters(
      "verify", {"key", "now", "required", "environment", "service", "cost", "actor", "latency_ms", "signed_by"}, 1);
  VerifyTypes& t = *verify_types;  // set before the method exists
  PyObject* a[9];
  parameters->bind(args, nargs, kwnames, a);
  const py::object held = py::reinterpret_steal<py::object>(PyObject_GetAttr(self, t.state_name.ptr()));
  if (!held) throw py::error_already_set();
  if (held.ptr() != t.last_held) {
    t.last_state = &instance_arg<VerifyState>(held, "_verify", "VerifyState");
    t.last_held = held.ptr();
  }
  VerifyState& state = *t.last_state;
  PyObject* key = parameters->required(a, 0);
  const time::Millis at = now_of(py::handle(parameters->required(a, 1)));
  const py::object required = a[2] == nullptr ? t.empty_tuple : sequence_arg(a[2]);
  std::int64_t units = 1;
  if (a[5] != nullptr) {
    if (PyBool_Check(a[5])) throw py::type_error("cost must be int, not bool");
    units = int_arg(py::handle(a[5]), "cost");
  }
  double latency = -1.0;
  if (a[7] != nullptr && a[7] != Py_None) {
    latency = PyFloat_AsDouble(a[7]);
    if (latency == -1.0 && PyErr_Occurred()) throw py::error_already_set();
  }
  prime(state, required, or_default(a[3], Py_None), or_default(a[4], Py_None), or_default(a[6], Py_None),
        or_default(a[8], t.empty_str.ptr()));
  state.context.cost = units;
  state.context.latency_ms = latency;
  if (Status s = state.registry->verify(Text(key, "key").view(), state.context, at, state.decision); !s.ok()) {
    raise(s);
  }
  return decision_object(state.decision, state).release().ptr();
}

PyMethodDef registry_verify_def = {
    "verify", keywords_entry<registry_verify>(), METH_FASTCALL | METH_KEYWORDS,
    "verify($self, key, *, now, required=(), environment=None, service=None, cost=1, actor=None, "
    "latency_ms=None, signed_by='')\n--\n\n"
    "Verifies a presented key for a request needing ``required`` scopes.\n"
    "``latency_ms`` (the request's measured latency) feeds :meth:`get_usage`.\n"
    "``signed_by`` is the ``signer`` of the request's verified RFC 9421 signature: key types\n"
    "whose policy requires signed requests are valid only when it is the key's own id."};

}  // namespace

void register_registry(py::module_& m) {
  PyDateTime_IMPORT;

  m.def("configure_verify", [](py::object decision, py::object to_millis, py::object from_millis,
                               py::object registry) {
        if (!PyType_Check(decision.ptr()) || !PyType_Check(registry.ptr())) {
          throw py::type_error("decision and registry must be classes");
        }
        auto* t = verify_types != nullptr ? verify_types : new VerifyTypes();
        t->decision = std::move(decision);
        t->to_millis = std::move(to_millis);
        t->from_millis = std::move(from_millis);
        t->utc = py::module_::import("datetime").attr("timezone").attr("utc");
        t->codes.clear();
        for (Code c : all_codes()) t->codes.push_back(py::str(std::string(code_name(c))));  // indexed by value
        for (std::size_t field = 0; field < kDecisionFields; ++field) {
          py::object member = t->decision.attr(kDecisionFieldNames[field]);
          if (!Py_IS_TYPE(member.ptr(), &PyMemberDescr_Type)) {
            throw py::type_error(std::string("decision has no slot named ") + kDecisionFieldNames[field]);
          }
          const PyMemberDef* def = reinterpret_cast<PyMemberDescrObject*>(member.ptr())->d_member;
          if (def->type != T_OBJECT_EX) throw py::type_error("decision's slots must hold objects");
          t->offsets[field] = def->offset;
        }
        for (auto [slot, name] : {std::pair{&t->k_limit, "limit"}, {&t->k_remaining, "remaining"},
                                  {&t->k_retry_after, "retryAfterMs"}}) {
          *slot = py::reinterpret_steal<py::object>(PyUnicode_InternFromString(name));
        }
        t->state_name = py::reinterpret_steal<py::object>(PyUnicode_InternFromString("_verify"));
        t->empty_tuple = py::tuple();
        t->empty_str = py::str("");
        verify_types = t;
        py::object method = py::reinterpret_steal<py::object>(
            PyDescr_NewMethod(reinterpret_cast<PyTypeObject*>(registry.ptr()), &registry_verify_def));
        if (!method || PyObject_SetAttrString(registry.ptr(), "verify", method.ptr()) != 0) {
          throw py::error_already_set();
        }
      }, py::arg("decision"), py::arg("to_millis"), py::arg("from_millis"), py::arg("registry"),
      "Hands the hot path what it builds decisions with, and gives ``registry`` (the facade's\n"
      "Registry class) its verify method (finfusion.registry does both, at import).");
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
  py::class_<VerifyState>(m, "VerifyState", "What one registry's verifications carry from call to call.")
      .def(py::init<registry::Registry&>(), py::arg("registry"), py::keep_alive<1, 2>());
}

}  // namespace finfusion::python
