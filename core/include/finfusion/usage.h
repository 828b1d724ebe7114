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
#include <functional>
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
  std::map<std::string, std::uint64_t, std::less<>> outcomes;  // code -> count
  std::map<std::int32_t, std::uint64_t> latency;  // histogram bucket -> count

  void add(std::string_view outcome, bool error, std::int64_t latency_micros /* <0: none */);
  // `count` requests with this outcome, no latency recorded.
  void add_many(std::string_view outcome, bool error, std::uint64_t count);
  void merge(const Aggregate& other);
};

// "Alerts for unusual API key usage patterns" (the seed): a minute is unusual for a key when
//   usage_spike  it has at least 20 requests and at least 5x the key's average minute over
//                the 60 minutes before it;
//   error_spike  it has at least 10 errors, at least half its requests failed, and at least
//                5x the key's average errors per minute over the 60 minutes before it.
// A development key presented in production is flagged by the registry as it happens.
struct Anomaly {
  std::string kind;           // "usage_spike", "error_spike"
  time::Millis at = 0;        // the minute's start
  std::uint64_t observed = 0; // requests (or errors) in that minute
  std::uint64_t baseline = 0; // the 60 minutes before it, in total
};

inline constexpr time::Millis kBaselineMs = 60 * time::kMinute;

// The start of the interval that holds `instant`.
time::Millis interval_start(time::Millis instant) noexcept;

// Whether one minute's counts are a spike against the previous hour's total.
bool is_usage_spike(std::uint64_t minute_requests, std::uint64_t hour_requests) noexcept;
bool is_error_spike(std::uint64_t minute_errors, std::uint64_t minute_requests, std::uint64_t hour_errors) noexcept;

// Unusual minutes in [from, to), judged against `history`, which must reach back
// kBaselineMs before `from`. Ordered by time.
std::vector<Anomaly> detect(const std::vector<Aggregate>& history, time::Millis from, time::Millis to);

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
//    "outcomes": {...}, "latency": {"count", "p50Ms", "p95Ms", "p99Ms", "maxMs"},
//    "anomalies": [{"kind", "at", "observed", "baseline"}]}
// `aggregates` may reach back kBaselineMs before the start, for the anomaly baselines.
std::string report(const Query& query, const std::vector<Aggregate>& aggregates);

}  // namespace finfusion::usage
