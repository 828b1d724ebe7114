#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "common.h"
#include "finfusion/webhooks.h"

namespace finfusion::python {
namespace {

std::vector<webhooks::Secret> secret_list(py::handle value) {
  std::vector<webhooks::Secret> out;
  if (!PyList_Check(value.ptr()) && !PyTuple_Check(value.ptr())) throw py::type_error("secrets must be a list of WebhookSecret");
  for (py::handle item : py::reinterpret_borrow<py::sequence>(value)) {
    if (!py::isinstance<webhooks::Secret>(item)) throw py::type_error("secrets must be a list of WebhookSecret");
    out.push_back(item.cast<const webhooks::Secret&>());
  }
  return out;
}

}  // namespace

void register_webhooks(py::module_& m) {
  py::class_<webhooks::Secret>(m, "WebhookSecret", "A Standard Webhooks signing secret (whsec_...). repr() hides it.")
      .def_static("parse", [](const StrArg& text) { return unwrap(webhooks::Secret::Parse(Text(text, "secret").view())); },
                  py::arg("text"))
      .def_static("from_bytes", [](const BytesArg& raw) { return unwrap(webhooks::Secret::FromBytes(secret_bytes(raw, "secret"))); },
                  py::arg("raw"))
      .def_static("generate", []() { return unwrap(webhooks::Secret::Generate()); })
      .def("reveal", &webhooks::Secret::reveal, "The whsec_ text: show it to the endpoint's owner once.")
      .def("__repr__", [](const webhooks::Secret&) { return std::string("WebhookSecret(whsec_...)"); })
      .def("__reduce__", [](py::handle) -> py::object { throw py::type_error("objects that hold secrets cannot be pickled"); });

  py::class_<webhooks::Verification>(m, "WebhookVerification", "The outcome of verifying a webhook signature.")
      .def_readonly("valid", &webhooks::Verification::valid)
      .def_property_readonly("code", [](const webhooks::Verification& v) { return std::string(code_name(v.code)); })
      .def_readonly("message", &webhooks::Verification::message)
      .def_readonly("msg_id", &webhooks::Verification::msg_id)
      .def_readonly("timestamp", &webhooks::Verification::timestamp)
      .def("__bool__", [](const webhooks::Verification& v) { return v.valid; })
      .def("__repr__", [](const webhooks::Verification& v) {
        return "WebhookVerification(valid=" + std::string(v.valid ? "True" : "False") + ", code='" +
               std::string(code_name(v.code)) + "', msg_id='" + v.msg_id + "')";
      });

  m.def("webhook_sign", [](const webhooks::Secret& secret, const StrArg& msg_id, std::int64_t timestamp, const BytesArg& payload) {
          ByteView p(payload, "payload");
          return unwrap(webhooks::sign(secret, Text(msg_id, "msg_id").view(), timestamp, p.view()));
        }, py::arg("secret"), py::arg("msg_id"), py::arg("timestamp"), py::arg("payload"));
  m.def("webhook_headers", [](py::object secrets, const StrArg& msg_id, std::int64_t timestamp, const BytesArg& payload) {
          ByteView p(payload, "payload");
          return unwrap(webhooks::headers(secret_list(secrets), Text(msg_id, "msg_id").view(), timestamp, p.view()));
        }, py::arg("secrets"), py::arg("msg_id"), py::arg("timestamp"), py::arg("payload"));
  m.def("webhook_verify",
        [](py::object secrets, const StrArg& msg_id, const StrArg& timestamp, const StrArg& signature, const BytesArg& payload,
           time::Millis now, std::int64_t tolerance) {
          ByteView p(payload, "payload");
          return webhooks::verify(secret_list(secrets), Text(msg_id, "webhook-id").view(), Text(timestamp, "webhook-timestamp").view(),
                                  Text(signature, "webhook-signature").view(), p.view(), now, tolerance);
        },
        py::arg("secrets"), py::arg("msg_id"), py::arg("timestamp"), py::arg("signature"), py::arg("payload"),
        py::arg("now_ms"), py::arg("tolerance"));
}

}  // namespace finfusion::python
