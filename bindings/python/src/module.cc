// finfusion._core: the native core for Python. One register_<module>() per core module;
// the pure-Python package `finfusion` re-exports this with its Pythonic face.
#include "common.h"

PYBIND11_MODULE(_core, m) {
  m.doc() = "FinFusion Keys native core (private; import finfusion instead)";
  finfusion::python::register_status(m);
  finfusion::python::register_keys(m);
  finfusion::python::register_scopes(m);
  finfusion::python::register_hashing(m);
  finfusion::python::register_time(m);
  finfusion::python::register_lifecycle(m);
  finfusion::python::register_ratelimit(m);
  finfusion::python::register_signing(m);   // before the registry, which returns its keys
  finfusion::python::register_webhooks(m);
  finfusion::python::register_registry(m);
  finfusion::python::register_client(m);
}
