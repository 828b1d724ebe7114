#include <string>

#include "common.h"
#include "finfusion/time.h"

namespace finfusion::python {

void register_time(py::module_& m) {
  m.def("time_parse_duration", [](const StrArg& text) {
          return unwrap(time::parse_duration(Text(text, "duration").view()));
        }, py::arg("text"), "Milliseconds.");
  m.def("time_format_duration", [](time::Millis ms) { return unwrap(time::format_duration(ms)); },
        py::arg("ms"));
  m.def("time_parse_timestamp", [](const StrArg& text) {
          return unwrap(time::parse_timestamp(Text(text, "timestamp").view()));
        }, py::arg("text"), "Epoch milliseconds; a date alone is the start of that UTC day.");
  m.def("time_parse_until", [](const StrArg& text) {
          return unwrap(time::parse_until(Text(text, "timestamp").view()));
        }, py::arg("text"), "Epoch milliseconds; a date alone is the end of that UTC day (exclusive).");
  m.def("time_format_timestamp", [](time::Millis ms) { return unwrap(time::format_timestamp(ms)); },
        py::arg("ms"));
  m.def("time_add", [](time::Millis instant, time::Millis duration) {
          return unwrap(time::add(instant, duration));
        }, py::arg("instant"), py::arg("duration"));
  m.attr("TIME_MIN_INSTANT_MS") = time::kMinInstant;
  m.attr("TIME_MAX_INSTANT_MS") = time::kMaxInstant;
  m.attr("TIME_MAX_DURATION_MS") = time::kMaxDurationMs;
}

}  // namespace finfusion::python
