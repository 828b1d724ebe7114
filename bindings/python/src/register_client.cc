#include <string>

#include "common.h"
#include "finfusion/client.h"

namespace finfusion::python {

void register_client(py::module_& m) {
  m.def("client_configure",
        [](const StrArg& api_key, const std::string& environment, const std::string& options_json) {
          auto c = unwrap(client::configure(Text(api_key, "api_key").view(), environment, options_json));
          return py::make_tuple(c.key_id, std::string(keys::type_name(c.type)),
                                std::string(keys::environment_name(c.environment)), c.timeout_ms, c.retries);
        },
        py::arg("api_key"), py::arg("environment"), py::arg("options_json"),
        "(key_id, type, environment, timeout_ms, retries) of a checked client configuration.");
}

}  // namespace finfusion::python
