#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "common.h"
#include "finfusion/version.h"

namespace finfusion::python {

void register_status(py::module_& m) {
  std::vector<std::string> codes;
  for (Code c : all_codes()) codes.emplace_back(code_name(c));
  m.attr("CODES") = py::tuple(py::cast(codes));
  m.attr("_error_classes") = error_classes();
  m.attr("__version__") = std::string(version());
}

}  // namespace finfusion::python
