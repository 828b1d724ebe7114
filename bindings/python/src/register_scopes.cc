#include <pybind11/stl.h>
#include <pybind11/typing.h>

#include <string>
#include <vector>

#include "common.h"
#include "finfusion/scope.h"

namespace finfusion::python {

void register_scopes(py::module_& m) {
  py::class_<scopes::ScopeSet>(m, "ScopeSet", "A canonical scope list: sorted, duplicates removed.")
      .def(py::init([](const std::vector<std::string>& texts) { return unwrap(scopes::parse(texts)); }),
           py::arg("scopes"))
      .def("to_list", &scopes::ScopeSet::to_strings)
      .def("__len__", &scopes::ScopeSet::size)
      .def("__iter__", [](const scopes::ScopeSet& s) -> py::typing::Iterator<py::str> {
        return py::iter(py::cast(s.to_strings()));
      })
      .def("__contains__", [](const scopes::ScopeSet& s, const std::string& text) {
        for (const auto& e : s.entries()) {
          if (e.text() == text) return true;
        }
        return false;
      })
      .def("__eq__", [](const scopes::ScopeSet& a, const py::object& b) -> py::object {
        if (!py::isinstance<scopes::ScopeSet>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
        return py::bool_(a.to_strings() == b.cast<const scopes::ScopeSet&>().to_strings());
      })
      .def("__hash__", [](const scopes::ScopeSet& s) { return py::hash(py::tuple(py::cast(s.to_strings()))); })
      .def("__repr__", [](const scopes::ScopeSet& s) {
        return "ScopeSet(" + std::string(py::repr(py::cast(s.to_strings()))) + ")";
      })
      .def(py::pickle([](const scopes::ScopeSet& s) { return s.to_strings(); },
                      [](const std::vector<std::string>& texts) { return unwrap(scopes::parse(texts)); }));

  m.def("scope_parse", [](const std::vector<std::string>& texts) { return unwrap(scopes::parse(texts)); },
        py::arg("scopes"));
  m.def("scope_allows", [](const scopes::ScopeSet& granted, const std::string& required) {
          return unwrap(scopes::allows(granted, required));
        }, py::arg("granted"), py::arg("required"));
  m.def("scope_allows_all", &scopes::allows_all, py::arg("granted"), py::arg("required"));
  m.def("scope_is_subset", &scopes::is_subset, py::arg("child"), py::arg("parent"));
  m.attr("SCOPE_MAX_ENTRIES") = scopes::kMaxScopes;
}

}  // namespace finfusion::python
