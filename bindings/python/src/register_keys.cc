#include <pybind11/stl.h>

#include <string>

#include "common.h"
#include "finfusion/key.h"
#include "finfusion/key_type.h"

namespace finfusion::python {
namespace {

keys::KeyType type_arg(const std::string& name) { return unwrap(keys::type_from_name(name)); }

std::string ms_text(time::Millis ms) { return unwrap(time::format_duration(ms)); }

[[noreturn]] void no_pickle(py::handle) {
  throw py::type_error("objects that hold secrets cannot be pickled");
}

}  // namespace

void register_keys(py::module_& m) {
  py::class_<keys::ApiKey>(m, "ApiKey", "A new key. repr() and str() never show it; reveal() does.")
      .def_property_readonly("id", &keys::ApiKey::id)
      .def_property_readonly("type", [](const keys::ApiKey& k) { return std::string(keys::type_name(k.type())); })
      .def_property_readonly("environment", [](const keys::ApiKey& k) {
        return std::string(keys::environment_name(k.environment()));
      })
      .def("reveal", [](const keys::ApiKey& k) { return std::string(k.reveal()); },
           "The full key text: show it to its owner once, never log it.")
      .def("__repr__", [](const keys::ApiKey& k) {
        return "ApiKey(id='" + k.id() + "', type='" + std::string(keys::type_name(k.type())) + "')";
      })
      .def("__reduce__", &no_pickle);

  py::class_<keys::ParsedKey>(m, "ParsedKey", "What a well-formed key says about itself.")
      .def_readonly("id", &keys::ParsedKey::id)
      .def_property_readonly("type", [](const keys::ParsedKey& k) { return std::string(keys::type_name(k.type)); })
      .def_property_readonly("environment", [](const keys::ParsedKey& k) {
        return std::string(keys::environment_name(k.environment));
      })
      .def_readonly("format_version", &keys::ParsedKey::format_version)
      .def("__repr__", [](const keys::ParsedKey& k) {
        return "ParsedKey(id='" + k.id + "', type='" + std::string(keys::type_name(k.type)) +
               "', environment='" + std::string(keys::environment_name(k.environment)) + "')";
      });

  m.def("key_generate", [](const std::string& type) { return unwrap(keys::generate(type_arg(type))); },
        py::arg("type"));
  m.def("key_generate_from_entropy", [](const std::string& type, const BytesArg& entropy) {
          SecretBytes bytes = secret_bytes(entropy, "entropy");
          return unwrap(keys::generate_from_entropy(type_arg(type), bytes.view()));
        }, py::arg("type"), py::arg("entropy"));
  m.def("key_check_format", [](const StrArg& key) {
          return std::string(code_name(keys::check_format(Text(key, "key").view())));
        }, py::arg("key"));
  m.def("key_parse", [](const StrArg& key) { return unwrap(keys::parse(Text(key, "key").view())); },
        py::arg("key"));
  m.def("key_parse_id", [](const StrArg& id) { return unwrap(keys::parse_id(Text(id, "key id").view())); },
        py::arg("id"));
  m.def("key_mask", [](const StrArg& key) { return unwrap(keys::mask(Text(key, "key").view())); },
        py::arg("key"));
  m.def("key_type_info", [](const std::string& name) {
          keys::KeyType t = type_arg(name);
          return py::make_tuple(std::string(keys::type_prefix(t)),
                                std::string(keys::environment_name(keys::type_environment(t))));
        }, py::arg("name"), "(prefix, environment) of a key type.");
  std::vector<std::string> types;
  for (keys::KeyType t : keys::kAllTypes) types.emplace_back(keys::type_name(t));
  m.attr("KEY_TYPES") = py::tuple(py::cast(types));
  m.attr("KEY_SCANNER_PATTERN") = std::string(keys::scanner_pattern());
  m.attr("KEY_MAX_LENGTH") = keys::kMaxKeyLength;

  py::class_<keys::TypePolicy>(m, "TypePolicy", "One key type's policy; durations in milliseconds.")
      .def_property_readonly("type", [](const keys::TypePolicy& p) { return std::string(keys::type_name(p.type)); })
      .def_property_readonly("environment", [](const keys::TypePolicy& p) {
        return std::string(keys::environment_name(p.environment));
      })
      .def_readonly("max_lifetime_ms", &keys::TypePolicy::max_lifetime)
      .def_readonly("rotation_period_ms", &keys::TypePolicy::rotation_period)
      .def_readonly("rotation_warning_ms", &keys::TypePolicy::rotation_warning)
      .def_property_readonly("rate_limit_requests", [](const keys::TypePolicy& p) { return p.rate_limit.requests; })
      .def_property_readonly("rate_limit_window_ms", [](const keys::TypePolicy& p) { return p.rate_limit.window; })
      .def_readonly("max_scopes", &keys::TypePolicy::max_scopes)
      .def_readonly("requires_service", &keys::TypePolicy::requires_service)
      .def_readonly("allows_global_wildcard", &keys::TypePolicy::allows_global_wildcard)
      .def_readonly("requires_signed_requests", &keys::TypePolicy::requires_signed_requests)
      .def("__repr__", [](const keys::TypePolicy& p) {
        return "TypePolicy(type='" + std::string(keys::type_name(p.type)) + "', max_lifetime='" +
               ms_text(p.max_lifetime) + "', rotation_period='" + ms_text(p.rotation_period) +
               "', rate_limit=" + std::to_string(p.rate_limit.requests) + "/" + ms_text(p.rate_limit.window) + ")";
      });

  py::class_<keys::TypeTable>(m, "TypeTable", "The key-type policy table.")
      .def_static("defaults", &keys::TypeTable::Defaults)
      .def_static("create", [](const std::string& overrides_json) {
        return unwrap(keys::TypeTable::Create(overrides_json));
      }, py::arg("overrides_json"))
      .def("get", [](const keys::TypeTable& t, const std::string& type) { return t.get(type_arg(type)); },
           py::arg("type"))
      .def("to_json", &keys::TypeTable::to_json);
}

}  // namespace finfusion::python
