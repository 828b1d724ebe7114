// finfusion/usage.h - usage metrics: per-key, per-minute aggregates that merge exactly.
//
// Each verification adds one request (an error unless it was valid) and, when the caller
// reports it, the request's latency. Latencies go into a log-linear histogram of whole
// microseconds (16 buckets per power of two, so a percentile is within 1/16 of the true
// value); all arithmetic is on integers, so every language computes the same figures.
//
//   auto report = registry.get_usage(R"({"keyId": "prod_...", "timeframe": {"start": "2024-01-01",
//                                        "end": "2024-01-31"}, "metrics": ["requests", "errors", "latency"]})");
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "finfusion/status.h"
#include "finfusion/time.h"

namespace finfusion::usage {

inline constexpr time::Millis kIntervalMs = time::kMinute;

// Bucket index of a latency in microseconds, and the value a bucket stands for.
std::int32_t bucket_of(std::int64_t micros) noexcept;
std::int64_t bucket_value(std::int32_t index) noexcept;

// One key's activity in one interval. Merging two adds them exactly.
struct Aggregate {
  time::Millis start = 0;                         // interval start (multiple of kIntervalMs)
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
  std::map<std::string, std::uint64_t> outcomes;  // code -> count
  std::map<std::int32_t, std::uint64_t> latency;  // histogram bucket -> count

  void add(std::string_view outcome, bool error, std::int64_t latency_micros /* <0: none */);
  void merge(const Aggregate& other);
};

// The seed's getUsage query: {"keyId", "timeframe": {"start", "end"}, "metrics": [...]}.
// "start" is an instant or a date (its start); "end" an instant or a date (through that
// whole day). "metrics" any of "requests", "errors", "latency" (default all three).
struct Query {
  std::string key_id;
  time::Millis start = 0;
  time::Millis end = 0;  // exclusive
  bool requests = true, errors = true, latency = true;
};

// Errors: invalid_request naming the field (shape, unknown metric, start not before end,
// a timeframe over 400 days), malformed_key / unknown_prefix in keyId.
Result<Query> parse_query(std::string_view json);

// Sums the aggregates whose interval starts inside [query.start, query.end) and reports
// what the query asks for, as canonical JSON:
//   {"keyId", "timeframe": {"start", "end"}, "requests", "errors", "errorRate",
//    "outcomes": {...}, "latency": {"count", "p50Ms", "p95Ms", "p99Ms", "maxMs"}}
std::string report(const Query& query, const std::vector<Aggregate>& aggregates);

}  // namespace finfusion::usage
