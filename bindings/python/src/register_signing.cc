#include <pybind11/stl.h>

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common.h"
#include "finfusion/signing.h"

namespace finfusion::python {
namespace {

using signing::Algorithm;

// list[str] without pybind11's converter, whose mismatch message would print the call's
// arguments (headers may carry a key).
std::vector<std::string> str_list(py::handle value, const char* what) {
  std::vector<std::string> out;
  if (value.is_none()) return out;
  if (!PyList_Check(value.ptr()) && !PyTuple_Check(value.ptr())) {
    throw py::type_error(std::string(what) + " must be a list of str");
  }
  for (py::handle item : py::reinterpret_borrow<py::sequence>(value)) out.emplace_back(Text(item, what).view());
  return out;
}

// Whether `pair` is a (str, str) tuple.
bool is_text_pair(PyObject* pair) {
  return PyTuple_CheckExact(pair) && PyTuple_GET_SIZE(pair) == 2 && PyUnicode_CheckExact(PyTuple_GET_ITEM(pair, 0)) &&
         PyUnicode_CheckExact(PyTuple_GET_ITEM(pair, 1));
}

// Headers as the facade takes them. A dict of str to str and a list or tuple of (str, str)
// pairs, what nearly every caller passes, are read here; any other shape (bytes, several
// values for a name, other mappings and iterables) goes through finfusion.signing._pairs
// first, which has the rules and the errors. Either way, a list or tuple of (str, str).
py::object header_pairs(py::handle headers) {
  PyObject* h = headers.ptr();
  bool plain = true;
  if (PyDict_CheckExact(h)) {
    PyObject *name, *value;
    Py_ssize_t at = 0;
    while (plain && PyDict_Next(h, &at, &name, &value)) plain = PyUnicode_CheckExact(name) && PyUnicode_CheckExact(value);
    if (plain) return py::reinterpret_steal<py::object>(PyDict_Items(h));
  } else if (PyList_CheckExact(h) || PyTuple_CheckExact(h)) {
    auto seq = py::reinterpret_borrow<py::sequence>(headers);
    for (py::handle pair : seq) {
      if (!is_text_pair(pair.ptr())) {
        plain = false;
        break;
      }
    }
    if (plain) return seq;
  }
  return py::module_::import("finfusion.signing").attr("_pairs")(headers);
}

// A str argument's UTF-8, viewed in the str object itself when it is ASCII (what headers
// nearly always are: no reference or conversion; the caller's objects live through the
// call), else through a Text kept in `keep`.
std::string_view text_view(PyObject* value, const char* what, std::vector<Text>& keep) {
  if (PyUnicode_CheckExact(value) && PyUnicode_IS_ASCII(value)) {
    return std::string_view(static_cast<const char*>(PyUnicode_DATA(value)),
                            static_cast<std::size_t>(PyUnicode_GET_LENGTH(value)));
  }
  return keep.emplace_back(value, what).view();
}

// One message's text borrowed from Python for the call: method, target URI, status,
// headers (any shape header_pairs takes, None for none), body as bytes-like, str or None.
class MessageArg {
 public:
  MessageArg(py::handle method, py::handle uri, int status, py::handle headers, py::handle body)
      : headers_(headers.is_none() ? py::object(py::list()) : header_pairs(headers)) {
    message.method = text_view(method.ptr(), "method", texts_);
    message.target_uri = text_view(uri.ptr(), "url", texts_);
    message.status = status;
    auto seq = py::reinterpret_borrow<py::sequence>(headers_);
    message.headers.reserve(seq.size());
    for (py::handle pair : seq) {
      message.headers.push_back({text_view(PyTuple_GET_ITEM(pair.ptr(), 0), "header name", texts_),
                                 text_view(PyTuple_GET_ITEM(pair.ptr(), 1), "header value", texts_)});
    }
    if (PyUnicode_Check(body.ptr())) {
      Py_ssize_t size = 0;
      const char* data = PyUnicode_AsUTF8AndSize(body.ptr(), &size);  // strict, as str.encode("utf-8")
      if (data == nullptr) throw py::error_already_set();
      message.body = std::string_view(data, static_cast<std::size_t>(size));
    } else if (PyBytes_Check(body.ptr()) || PyByteArray_Check(body.ptr()) || PyMemoryView_Check(body.ptr())) {
      body_ = std::make_unique<ByteView>(body, "body");
      message.body = body_->view();
    } else if (!body.is_none()) {
      throw py::type_error("body must be bytes, str or None, not " + type_name(body));
    }
  }

  signing::Message message;

 private:
  py::object headers_;       // the pairs the views are into (when made here)
  std::vector<Text> texts_;  // the UTF-8 of non-ASCII texts
  std::unique_ptr<ByteView> body_;
};

// A response's request, given as (method, url, headers, body) or None.
std::unique_ptr<MessageArg> request_arg(py::handle request) {
  if (request.is_none()) return nullptr;
  if (!PyTuple_Check(request.ptr()) || PyTuple_Size(request.ptr()) != 4) {
    throw py::type_error("request must be (method, url, headers, body)");
  }
  auto t = py::reinterpret_borrow<py::tuple>(request);
  return std::make_unique<MessageArg>(t[0], t[1], 0, t[2], t[3]);
}

Algorithm algorithm_arg(py::handle name) { return unwrap(signing::algorithm_from_name(Text(name, "algorithm").view())); }

py::bytes to_bytes(std::string_view s) { return py::bytes(s.data(), s.size()); }

// A response's status (0 for a request). One out of int's range is passed as -1, which the
// core refuses like any status outside 100 to 999, never wrapped (it could read as 0, a
// request, or as another status).
int status_arg(py::handle value) {
  const std::int64_t status = int_arg(value, "status");
  return status < 0 || status > 0xFFFF ? -1 : static_cast<int>(status);
}

// The message (and a response's request) from a call's first six arguments: method, url,
// status, headers, body, request.
struct Call {
  explicit Call(PyObject* const* args)
      : msg(args[0], args[1], status_arg(args[2]), args[3], args[4]), req(request_arg(args[5])) {
    if (req) msg.message.request = &req->message;
  }
  MessageArg msg;
  std::unique_ptr<MessageArg> req;
};

// The headers that sign a message, from the 16 arguments (method, url, status, headers,
// body, request, key, label, components, expires_in, nonce, generate_nonce, tag, include_alg,
// digest, now_ms) sign_request and sign_response make of theirs.
PyObject* signing_sign(PyObject* const* args, Py_ssize_t nargs) {
  if (nargs != 16) throw std::logic_error("signing_sign takes 16 arguments");
  Call call(args);
  const auto& key = instance_arg<signing::SigningKey>(args[6], "key", "SigningKey");
  signing::SignOptions o;
  o.label = std::string(Text(args[7], "label").view());
  o.components = str_list(args[8], "components");
  if (args[9] != Py_None) o.expires_in_seconds = int_arg(args[9], "expires_in");
  o.nonce = std::string(Text(args[10], "nonce").view());
  o.generate_nonce = flag_arg(args[11]);
  o.tag = std::string(Text(args[12], "tag").view());
  o.include_alg = flag_arg(args[13]);
  o.digest = unwrap(signing::digest_from_name(Text(args[14], "digest").view()));
  signing::Signed signed_ = unwrap(signing::sign(call.msg.message, key, o, int_arg(args[15], "now_ms")));
  // The headers to add, as the facade returns them (through the C API: pybind11's item
  // accessors cost a temporary object each).
  py::object added = py::reinterpret_steal<py::object>(PyDict_New());
  if (!added) throw py::error_already_set();
  // The names are the same from one signing to the next (Content-Digest, Signature-Input,
  // Signature): their str objects are kept, by position.
  static auto* const names = new std::array<KeptStr, 3>();  // never freed: it outlives the interpreter's teardown
  for (std::size_t i = 0; i < signed_.headers.size(); ++i) {
    const auto& [name, value] = signed_.headers[i];
    const py::object field = i < names->size() ? (*names)[i].of(name) : py::str(name);
    const py::str text(value);
    if (PyDict_SetItem(added.ptr(), field.ptr(), text.ptr()) != 0) throw py::error_already_set();
  }
  return added.release().ptr();
}

// The Verification of a message's signature, from the 14 arguments (method, url, status,
// headers, body, request, keys, tolerance, require_nonce, required_components, label,
// require_content_digest, nonces, now_ms) verify_request and verify_response make of theirs.
PyObject* signing_verify(PyObject* const* args, Py_ssize_t nargs) {
  if (nargs != 14) throw std::logic_error("signing_verify takes 14 arguments");
  Call call(args);
  const auto& keys = instance_arg<signing::KeyRing>(args[6], "keys", "KeyRing");
  signing::VerifyPolicy p;
  p.tolerance_seconds = int_arg(args[7], "tolerance");
  p.require_nonce = flag_arg(args[8]);
  p.required_components = str_list(args[9], "required_components");
  p.label = std::string(Text(args[10], "label").view());
  p.require_content_digest = flag_arg(args[11]);
  signing::NonceCache* nonces =
      args[12] == Py_None ? nullptr : &instance_arg<signing::NonceCache>(args[12], "nonces", "NonceCache or None");
  signing::Verification v = signing::verify(call.msg.message, keys, p, nonces, int_arg(args[13], "now_ms"));
  return py::cast(std::move(v)).release().ptr();
}

// The public functions themselves (finfusion.signing binds its names to them): each binds its
// arguments as the def it replaces did and converts the common types here, handing the
// others to the module's helpers (_seconds, _now, _request, _ring), which have the rules and
// the errors. A def around them (until the seventh session) cost about 0.4 us a call.
struct Facade {
  PyObject* empty;  // ""
  PyObject* zero;
  PyObject* label;  // "sig1"
  PyObject* digest;  // "sha-256"
  PyObject* tolerance;  // 300
  PyObject* no_components;  // ()
};
const Facade& facade() {
  static const Facade* constants = [] {
    auto* f = new Facade{PyUnicode_FromString(""), PyLong_FromLong(0), PyUnicode_FromString("sig1"),
                         PyUnicode_FromString("sha-256"), PyLong_FromLong(300), PyTuple_New(0)};
    for (PyObject* o : {f->empty, f->zero, f->label, f->digest, f->tolerance, f->no_components}) {
      if (o == nullptr) throw py::error_already_set();
    }
    return f;  // kept for the process's life, as the module is
  }();
  return *constants;
}

// finfusion.signing's helper `name` applied to `args`.
template <typename... Args>
py::object helper(const char* name, Args&&... args) {
  return py::module_::import("finfusion.signing").attr(name)(std::forward<Args>(args)...);
}

// `now`: an int of milliseconds as given, None for the current time, else what _now makes
// of it (a datetime).
py::object now_arg(PyObject* now) {
  if (now != nullptr && PyLong_CheckExact(now)) return py::reinterpret_borrow<py::object>(now);
  if (now == nullptr || now == Py_None) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    return py::int_(static_cast<long long>(ms.count()));
  }
  return helper("_now", py::handle(now));
}

// A response's `request` mapping as signing_sign and signing_verify take it.
py::object request_tuple(PyObject* request) {
  if (request == nullptr || request == Py_None) return py::none();
  return helper("_request", py::handle(request));
}

// Seconds as given when an int, else _seconds' (a timedelta or a duration text; its errors).
py::object seconds_arg(PyObject* value, const char* what) {
  if (PyLong_CheckExact(value)) return py::reinterpret_borrow<py::object>(value);
  return helper("_seconds", py::handle(value), what);
}

// The head all four functions share, into call[0..7): the request's method and url (or
// the response's status), headers, body, the response's request (held in `request`), then the
// key or keys as given. Returns where the rest of the bound arguments begins.
template <bool kResponse>
PyObject* const* message_head(const Parameters& p, PyObject* const* a, PyObject** call, py::object& request) {
  const Facade& f = facade();
  const std::size_t at = kResponse ? 1 : 2;  // headers, body, the key(s), and for a response its request
  PyObject* first = p.required(a, 0);
  call[0] = kResponse ? f.empty : first;
  call[1] = kResponse ? f.empty : p.required(a, 1);
  call[2] = kResponse ? first : f.zero;
  call[3] = or_default(a[at], Py_None);
  call[4] = or_default(a[at + 1], Py_None);
  call[6] = p.required(a, at + 2);
  request = kResponse ? request_tuple(a[at + 3]) : py::none();
  call[5] = request.ptr();
  return a + (kResponse ? at + 4 : at + 3);
}

// sign_request(method, url, headers=None, body=None, *, key, label="sig1", components=None,
// expires_in=None, nonce=None, tag=None, include_alg=True, digest="sha-256", now=None) and
// sign_response(status, headers=None, body=None, *, key, request=None, ...the same).
template <bool kResponse>
PyObject* sign_message(PyObject*, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  static const Parameters* parameters =
      kResponse ? new Parameters("sign_response",
                                 {"status", "headers", "body", "key", "request", "label", "components", "expires_in",
                                  "nonce", "tag", "include_alg", "digest", "now"},
                                 3)
                : new Parameters("sign_request",
                                 {"method", "url", "headers", "body", "key", "label", "components", "expires_in",
                                  "nonce", "tag", "include_alg", "digest", "now"},
                                 4);
  PyObject* a[13];
  parameters->bind(args, nargs, kwnames, a);
  const Facade& f = facade();
  PyObject* call[16];
  py::object request;
  PyObject* const* rest = message_head<kResponse>(*parameters, a, call, request);  // label onwards
  const py::object listed = rest[1] == nullptr || rest[1] == Py_None ? py::none() : sequence_arg(rest[1]);
  const py::object expires = rest[2] == nullptr || rest[2] == Py_None ? py::none() : seconds_arg(rest[2], "expires_in");
  PyObject* nonce = or_default(rest[3], Py_None);
  PyObject* tag = or_default(rest[4], Py_None);
  const int tagged = PyObject_IsTrue(tag);
  if (tagged < 0) throw py::error_already_set();
  const py::object now = now_arg(rest[7]);
  call[7] = or_default(rest[0], f.label);
  call[8] = listed.ptr();
  call[9] = expires.ptr();
  call[10] = PyUnicode_Check(nonce) ? nonce : f.empty;
  call[11] = nonce == Py_True ? Py_True : Py_False;
  call[12] = tagged ? tag : f.empty;
  call[13] = or_default(rest[5], Py_True);
  call[14] = or_default(rest[6], f.digest);
  call[15] = now.ptr();
  return signing_sign(call, 16);
}

// verify_request(method, url, headers=None, body=None, *, keys, nonces=None, tolerance=300,
// require_nonce=False, required_components=(), label=None, require_content_digest=True,
// now=None) and verify_response(status, headers=None, body=None, *, keys, request=None,
// ...the same).
template <bool kResponse>
PyObject* verify_message(PyObject*, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  static const Parameters* parameters =
      kResponse ? new Parameters("verify_response",
                                 {"status", "headers", "body", "keys", "request", "nonces", "tolerance",
                                  "require_nonce", "required_components", "label", "require_content_digest", "now"},
                                 3)
                : new Parameters("verify_request",
                                 {"method", "url", "headers", "body", "keys", "nonces", "tolerance", "require_nonce",
                                  "required_components", "label", "require_content_digest", "now"},
                                 4);
  PyObject* a[12];
  parameters->bind(args, nargs, kwnames, a);
  const Facade& f = facade();
  PyObject* call[14];
  py::object request;
  PyObject* const* rest = message_head<kResponse>(*parameters, a, call, request);  // nonces onwards
  PyObject* keys = call[6];
  const py::object ring = py::type::handle_of<signing::KeyRing>().is(py::type::handle_of(py::handle(keys)))
                              ? py::reinterpret_borrow<py::object>(keys)
                              : helper("_ring", py::handle(keys));
  const py::object tolerance = seconds_arg(or_default(rest[1], f.tolerance), "tolerance");
  const py::object listed = sequence_arg(or_default(rest[3], f.no_components));
  PyObject* label = or_default(rest[4], Py_None);
  const int labelled = PyObject_IsTrue(label);
  if (labelled < 0) throw py::error_already_set();
  const py::object now = now_arg(rest[6]);
  call[6] = ring.ptr();
  call[7] = tolerance.ptr();
  call[8] = or_default(rest[2], Py_False);
  call[9] = listed.ptr();
  call[10] = labelled ? label : f.empty;
  call[11] = or_default(rest[5], Py_True);
  call[12] = or_default(rest[0], Py_None);
  call[13] = now.ptr();
  return signing_verify(call, 14);
}

// The four public signing functions, each the core's own (fastcall_keywords).
PyMethodDef signing_defs[] = {
    {"sign_request", keywords_entry<sign_message<false>>(), METH_FASTCALL | METH_KEYWORDS,
     "sign_request(method, url, headers=None, body=None, *, key, label='sig1', components=None, expires_in=None, "
     "nonce=None, tag=None, include_alg=True, digest='sha-256', now=None)\n--\n\n"
     "Signs a request; returns the headers to add (Content-Digest when the body has none\n"
     "yet, Signature-Input, Signature). ``components`` defaults to ``@method``,\n"
     "``@target-uri``, ``content-digest`` (with a body), ``content-type`` and ``authorization``\n"
     "(when present). ``nonce=True`` makes a fresh one. Raises InvalidRequestError for bad\n"
     "options or a covered component the request lacks."},
    {"sign_response", keywords_entry<sign_message<true>>(), METH_FASTCALL | METH_KEYWORDS,
     "sign_response(status, headers=None, body=None, *, key, request=None, label='sig1', components=None, "
     "expires_in=None, nonce=None, tag=None, include_alg=True, digest='sha-256', now=None)\n--\n\n"
     "Signs a response (``@status`` first by default). ``request`` is a mapping with\n"
     "``method``, ``url``, ``headers`` and ``body``, for components marked ``;req``."},
    {"verify_request", keywords_entry<verify_message<false>>(), METH_FASTCALL | METH_KEYWORDS,
     "verify_request(method, url, headers=None, body=None, *, keys, nonces=None, tolerance=300, "
     "require_nonce=False, required_components=(), label=None, require_content_digest=True, now=None)\n--\n\n"
     "Verifies a request's signature (the ``label`` given, or the first whose keyid\n"
     "``keys`` holds). Never raises for a bad signature: read ``.valid`` and ``.code``."},
    {"verify_response", keywords_entry<verify_message<true>>(), METH_FASTCALL | METH_KEYWORDS,
     "verify_response(status, headers=None, body=None, *, keys, request=None, nonces=None, tolerance=300, "
     "require_nonce=False, required_components=(), label=None, require_content_digest=True, now=None)\n--\n\n"
     "Verifies a response's signature; ``request`` as for :func:`sign_response`."},
};

}  // namespace

void register_signing(py::module_& m) {
  py::class_<signing::VerifyingKey>(m, "VerifyingKey",
                                    "A key that verifies RFC 9421 signatures: an HMAC secret or an Ed25519 public key.")
      .def_static("hmac", [](const StrArg& key_id, const BytesArg& secret) {
             return unwrap(signing::VerifyingKey::Hmac(std::string(Text(key_id, "key_id").view()), secret_bytes(secret, "secret")));
           }, py::arg("key_id"), py::arg("secret"))
      .def_static("ed25519", [](const StrArg& key_id, const BytesArg& public_key) {
             ByteView pk(public_key, "public_key");
             return unwrap(signing::VerifyingKey::Ed25519(std::string(Text(key_id, "key_id").view()), pk.view()));
           }, py::arg("key_id"), py::arg("public_key"))
      .def_property_readonly("key_id", &signing::VerifyingKey::key_id)
      .def_property_readonly("algorithm", [](const signing::VerifyingKey& k) { return std::string(signing::algorithm_name(k.algorithm())); })
      .def("verify", [](const signing::VerifyingKey& k, const BytesArg& message, const BytesArg& signature) {
             ByteView msg(message, "message"), sig(signature, "signature");
             return k.verify(msg.view(), sig.view());
           }, py::arg("message"), py::arg("signature"))
      .def("__repr__", [](const signing::VerifyingKey& k) {
        return "VerifyingKey(key_id='" + k.key_id() + "', algorithm='" + std::string(signing::algorithm_name(k.algorithm())) + "')";
      })
      .def("__reduce__", [](py::handle) -> py::object { throw py::type_error("objects that hold secrets cannot be pickled"); });

  py::class_<signing::SigningKey>(m, "SigningKey",
                                  "A key that signs: an HMAC-SHA256 secret or an Ed25519 private key. repr() hides it.")
      .def_static("hmac", [](const StrArg& key_id, const BytesArg& secret) {
             return unwrap(signing::SigningKey::Hmac(std::string(Text(key_id, "key_id").view()), secret_bytes(secret, "secret")));
           }, py::arg("key_id"), py::arg("secret"))
      .def_static("ed25519", [](const StrArg& key_id, const BytesArg& seed) {
             return unwrap(signing::SigningKey::Ed25519(std::string(Text(key_id, "key_id").view()), secret_bytes(seed, "seed")));
           }, py::arg("key_id"), py::arg("seed"))
      .def_static("generate", [](const StrArg& key_id, const StrArg& algorithm) {
             return unwrap(signing::SigningKey::Generate(std::string(Text(key_id, "key_id").view()), algorithm_arg(algorithm)));
           }, py::arg("key_id"), py::arg("algorithm"))
      .def_property_readonly("key_id", &signing::SigningKey::key_id)
      .def_property_readonly("algorithm", [](const signing::SigningKey& k) { return std::string(signing::algorithm_name(k.algorithm())); })
      .def_property_readonly("public_key", [](const signing::SigningKey& k) { return to_bytes(k.public_key()); })
      .def("reveal_secret", [](const signing::SigningKey& k) { return to_bytes(k.secret().view()); },
           "The HMAC secret or Ed25519 seed, for storage; keep it encrypted and out of logs.")
      .def("verifying_key", &signing::SigningKey::verifying_key)
      .def("sign", [](const signing::SigningKey& k, const BytesArg& message) {
             ByteView msg(message, "message");
             return to_bytes(k.sign(msg.view()));
           }, py::arg("message"))
      .def("__repr__", [](const signing::SigningKey& k) {
        return "SigningKey(key_id='" + k.key_id() + "', algorithm='" + std::string(signing::algorithm_name(k.algorithm())) + "')";
      })
      .def("__reduce__", [](py::handle) -> py::object { throw py::type_error("objects that hold secrets cannot be pickled"); });

  py::class_<signing::KeyRing>(m, "KeyRing", "The verifying keys a service trusts, found by keyid.")
      .def(py::init<>())
      .def("add", [](signing::KeyRing& r, const signing::VerifyingKey& k) { r.add(k); }, py::arg("key"))
      .def("__len__", &signing::KeyRing::size)
      .def("__contains__", [](const signing::KeyRing& r, const StrArg& id) { return r.contains(Text(id, "key_id").view()); })
      .def("__repr__", [](const signing::KeyRing& r) { return "KeyRing(" + std::to_string(r.size()) + " keys)"; });

  py::class_<signing::NonceCache>(m, "NonceCache", "Nonces seen recently, bounded; thread-safe.")
      .def(py::init<std::size_t>(), py::arg("max_entries") = 100000)
      .def("__len__", &signing::NonceCache::size)
      .def_property_readonly("max_entries", &signing::NonceCache::max_entries)
      .def("__repr__", [](const signing::NonceCache& c) {
        return "NonceCache(" + std::to_string(c.size()) + "/" + std::to_string(c.max_entries()) + ")";
      });

  py::class_<signing::Verification> verification(m, "Verification", "The outcome of verifying an RFC 9421 signature.");
  verification
      .def_property_readonly("code", [](const signing::Verification& v) { return std::string(code_name(v.code)); })
      .def_readonly("message", &signing::Verification::message)
      .def_readonly("label", &signing::Verification::label)
      .def_readonly("key_id", &signing::Verification::key_id)
      .def_readonly("alg", &signing::Verification::alg)
      .def_readonly("nonce", &signing::Verification::nonce)
      .def_readonly("tag", &signing::Verification::tag)
      .def_readonly("created", &signing::Verification::created)
      .def_readonly("expires", &signing::Verification::expires)
      .def_readonly("covered", &signing::Verification::covered)
      .def_readonly("signature_base", &signing::Verification::signature_base)
      .def_property_readonly("signer", [](const signing::Verification& v) { return std::string(v.signer()); },
                             "The keyid that signed the message when valid, else '' (registry verify's signed_by).")
      .def("to_json", &signing::Verification::to_json)
      .def("__bool__", [](const signing::Verification& v) { return v.valid; })
      .def("__repr__", [](const signing::Verification& v) {
        return "Verification(valid=" + std::string(v.valid ? "True" : "False") + ", code='" +
               std::string(code_name(v.code)) + "', key_id='" + v.key_id + "', label='" + v.label + "')";
      });
  // `valid`, read after every verification: a property whose getter is a plain CPython
  // function, where pybind11's property calls through its dispatcher (about 60 ns more). Its
  // docstring gives the stub generator the signature pybind11 would.
  static PyMethodDef valid_getter = {
      "valid",
      [](PyObject*, PyObject* self) -> PyObject* {
        return guarded([&] {
          return PyBool_FromLong(instance_arg<signing::Verification>(self, "self", "Verification").valid ? 1 : 0);
        });
      },
      METH_O, "valid(self: finfusion._core.Verification) -> bool\n"};
  const py::object getter = py::reinterpret_steal<py::object>(PyCFunction_New(&valid_getter, nullptr));
  if (!getter) throw py::error_already_set();
  verification.attr("valid") = py::reinterpret_borrow<py::object>(reinterpret_cast<PyObject*>(&PyProperty_Type))(
      getter, py::none(), py::none(), "Whether the signature verified (code is then 'valid').");

  for (PyMethodDef& def : signing_defs) add_fastcall(m, def);
  m.def("signing_content_digest", [](const BytesArg& body, const StrArg& algorithm) {
          ByteView b(body, "body");
          return signing::content_digest(b.view(), unwrap(signing::digest_from_name(Text(algorithm, "algorithm").view())));
        }, py::arg("body"), py::arg("algorithm"));
  m.def("signing_verify_content_digest", [](const StrArg& field, const BytesArg& body) {
          ByteView b(body, "body");
          Status s = signing::verify_content_digest(Text(field, "field").view(), b.view());
          if (s.code() == Code::kSignatureInvalid) return false;
          if (!s.ok()) raise(s);
          return true;
        }, py::arg("field"), py::arg("body"), "True when the digests match; False when one does not; raises for a malformed field.");
}

}  // namespace finfusion::python
