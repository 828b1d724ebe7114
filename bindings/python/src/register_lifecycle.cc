#include <pybind11/stl.h>

#include <string>

#include "common.h"
#include "finfusion/lifecycle.h"

namespace finfusion::python {

void register_lifecycle(py::module_& m) {
  py::class_<lifecycle::CreateRequest>(m, "CreateRequest", "A validated create request.")
      .def_readonly("name", &lifecycle::CreateRequest::name)
      .def_property_readonly("type", [](const lifecycle::CreateRequest& r) { return std::string(keys::type_name(r.type)); })
      .def_readonly("scopes", &lifecycle::CreateRequest::scopes)
      .def_readonly("expires_at_ms", &lifecycle::CreateRequest::expires_at)
      .def_readonly("service", &lifecycle::CreateRequest::service)
      .def_readonly("parent_key_id", &lifecycle::CreateRequest::parent_key_id)
      .def_readonly("owner", &lifecycle::CreateRequest::owner)
      .def_readonly("purpose", &lifecycle::CreateRequest::purpose)
      .def("to_json", &lifecycle::CreateRequest::to_json);

  m.def("lifecycle_parse_create_request",
        [](const StrArg& request, time::Millis now, const keys::TypeTable& table) {
          return unwrap(lifecycle::parse_create_request(Text(request, "request").view(), now, table));
        },
        py::arg("request"), py::arg("now_ms"), py::arg("table"));
}

}  // namespace finfusion::python
