#include <pybind11/stl.h>

#include <optional>

#include "common.h"
#include "finfusion/ratelimit.h"

namespace finfusion::python {

void register_ratelimit(py::module_& m) {
  m.def("ratelimit_check",
        [](std::int64_t requests, time::Millis window_ms, std::optional<time::Millis> tat_ms,
           std::int64_t tat_frac, time::Millis now_ms, std::int64_t cost) {
          ratelimit::State state;
          if (tat_ms) state = {*tat_ms, tat_frac};
          auto d = unwrap(ratelimit::check({requests, window_ms}, state, now_ms, cost));
          return py::make_tuple(d.allowed, d.limit, d.remaining, d.retry_after, d.reset_after,
                                d.state.tat_ms, d.state.tat_frac);
        },
        py::arg("requests"), py::arg("window_ms"), py::arg("tat_ms"), py::arg("tat_frac"),
        py::arg("now_ms"), py::arg("cost"),
        "(allowed, limit, remaining, retry_after_ms, reset_after_ms, tat_ms, tat_frac); tat_ms None: a fresh key.");
}

}  // namespace finfusion::python
