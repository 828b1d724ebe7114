#include "finfusion/usage.h"

#include "finfusion/key.h"
#include "internal/json.h"

namespace finfusion::usage {
namespace {

constexpr int kSubBits = 4;  // 16 buckets per power of two

int floor_log2(std::uint64_t v) {
  int n = 0;
  while (v >>= 1) ++n;
  return n;
}

// Nearest-rank percentile over the histogram, in microseconds.
std::int64_t percentile(const std::map<std::int32_t, std::uint64_t>& hist, std::uint64_t count, std::uint64_t num,
                        std::uint64_t den) {
  std::uint64_t rank = (count * num + den - 1) / den;  // ceil(count * q)
  if (rank == 0) rank = 1;
  std::uint64_t seen = 0;
  for (const auto& [index, n] : hist) {
    seen += n;
    if (seen >= rank) return bucket_value(index);
  }
  return hist.empty() ? 0 : bucket_value(hist.rbegin()->first);
}

internal::OrderedJson millis(std::int64_t micros) {
  return internal::OrderedJson(static_cast<double>(micros) / 1000.0);
}

}  // namespace

std::int32_t bucket_of(std::int64_t micros) noexcept {
  if (micros < (1 << kSubBits)) return static_cast<std::int32_t>(micros < 0 ? 0 : micros);
  auto v = static_cast<std::uint64_t>(micros);
  int e = floor_log2(v);
  auto sub = static_cast<std::int32_t>((v >> (e - kSubBits)) & ((1u << kSubBits) - 1));
  return static_cast<std::int32_t>((e - kSubBits + 1) << kSubBits) + sub;
}

std::int64_t bucket_value(std::int32_t index) noexcept {
  if (index < (1 << kSubBits)) return index;
  int e = (index >> kSubBits) + kSubBits - 1;
  std::int64_t sub = index & ((1 << kSubBits) - 1);
  std::int64_t low = (std::int64_t{1} << e) + (sub << (e - kSubBits));
  std::int64_t width = std::int64_t{1} << (e - kSubBits);
  return low + width / 2;  // the middle of the bucket
}

void Aggregate::add(std::string_view outcome, bool error, std::int64_t latency_micros) {
  add_many(outcome, error, 1);
  if (latency_micros >= 0) ++latency[bucket_of(latency_micros)];
}

void Aggregate::add_many(std::string_view outcome, bool error, std::uint64_t count) {
  requests += count;
  if (error) errors += count;
  auto it = outcomes.find(outcome);
  if (it == outcomes.end()) it = outcomes.emplace(std::string(outcome), 0).first;
  it->second += count;
}

void Aggregate::merge(const Aggregate& other) {
  requests += other.requests;
  errors += other.errors;
  for (const auto& [k, v] : other.outcomes) outcomes[k] += v;
  for (const auto& [k, v] : other.latency) latency[k] += v;
}

time::Millis interval_start(time::Millis instant) noexcept {
  return instant - ((instant % kIntervalMs) + kIntervalMs) % kIntervalMs;
}

bool is_usage_spike(std::uint64_t minute_requests, std::uint64_t hour_requests) noexcept {
  return minute_requests >= 20 && minute_requests * 60 >= 5 * hour_requests;
}

bool is_error_spike(std::uint64_t minute_errors, std::uint64_t minute_requests, std::uint64_t hour_errors) noexcept {
  return minute_errors >= 10 && minute_errors * 2 >= minute_requests && minute_errors * 60 >= 5 * hour_errors;
}

std::vector<Anomaly> detect(const std::vector<Aggregate>& history, time::Millis from, time::Millis to) {
  std::map<time::Millis, const Aggregate*> by_minute;
  for (const auto& a : history) by_minute[a.start] = &a;
  std::vector<Anomaly> out;
  for (auto it = by_minute.lower_bound(from); it != by_minute.end() && it->first < to; ++it) {
    std::uint64_t hour_requests = 0, hour_errors = 0;
    for (auto b = by_minute.lower_bound(it->first - kBaselineMs); b != it; ++b) {
      hour_requests += b->second->requests;
      hour_errors += b->second->errors;
    }
    const Aggregate& m = *it->second;
    if (is_usage_spike(m.requests, hour_requests)) out.push_back({"usage_spike", m.start, m.requests, hour_requests});
    if (is_error_spike(m.errors, m.requests, hour_errors)) out.push_back({"error_spike", m.start, m.errors, hour_errors});
  }
  return out;
}

Result<Query> parse_query(std::string_view json) {
  auto doc = internal::parse_json(json, "usage query", 4096, 4);
  if (!doc.ok()) return doc.status();
  internal::ObjectReader r(*doc, "");
  r.reject_unknown({"keyId", "timeframe", "metrics"});
  Query q;
  auto key_id = r.string("keyId", keys::kMaxKeyIdLength + 8);
  if (r.ok() && !key_id) r.fail("keyId", "is required");
  if (!r.ok()) return r.status();
  auto parsed = keys::parse_id(*key_id);
  if (!parsed.ok()) return parsed.status();
  q.key_id = *key_id;
  const internal::Json* tf = r.find("timeframe");
  if (!tf) return Status(Code::kInvalidRequest, "timeframe: is required");
  internal::ObjectReader t(*tf, "timeframe");
  t.reject_unknown({"start", "end"});
  auto start = t.string("start", time::kMaxTimestampText);
  auto end = t.string("end", time::kMaxTimestampText);
  if (t.ok() && !start) t.fail("start", "is required");
  if (t.ok() && !end) t.fail("end", "is required");
  if (!t.ok()) return t.status();
  auto s = time::parse_timestamp(*start);
  if (!s.ok()) return Status(Code::kInvalidRequest, "timeframe.start: " + s.status().message());
  auto e = time::parse_until(*end);
  if (!e.ok()) return Status(Code::kInvalidRequest, "timeframe.end: " + e.status().message());
  if (*s >= *e) return Status(Code::kInvalidRequest, "timeframe: start must be before end");
  if (*e - *s > 400 * time::kDay) return Status(Code::kInvalidRequest, "timeframe: at most 400 days");
  q.start = *s;
  q.end = *e;
  if (const internal::Json* m = r.find("metrics")) {
    if (!m->is_array() || m->empty()) return Status(Code::kInvalidRequest, "metrics: a non-empty list");
    q.requests = q.errors = q.latency = false;
    for (const auto& item : *m) {
      std::string name = item.is_string() ? item.get<std::string>() : "";
      if (name == "requests") q.requests = true;
      else if (name == "errors") q.errors = true;
      else if (name == "latency") q.latency = true;
      else return Status(Code::kInvalidRequest, "metrics: use requests, errors or latency");
    }
  }
  return q;
}

std::string report(const Query& q, const std::vector<Aggregate>& aggregates) {
  Aggregate total;
  for (const auto& a : aggregates) {
    if (a.start >= q.start && a.start < q.end) total.merge(a);
  }
  internal::OrderedJson j = internal::OrderedJson::object();
  j["keyId"] = q.key_id;
  j["timeframe"] = {{"start", *time::format_timestamp(q.start)}, {"end", *time::format_timestamp(q.end)}};
  if (q.requests) {
    j["requests"] = total.requests;
    j["outcomes"] = total.outcomes;
  }
  if (q.errors) {
    j["errors"] = total.errors;
    // Rounded to 6 decimals on integers so that every language prints the same number.
    std::uint64_t ppm = total.requests ? (total.errors * 1000000 + total.requests / 2) / total.requests : 0;
    j["errorRate"] = static_cast<double>(ppm) / 1e6;
  }
  if (q.requests || q.errors) {
    internal::OrderedJson anomalies = internal::OrderedJson::array();
    for (const auto& a : detect(aggregates, q.start, q.end)) {
      if ((a.kind == "usage_spike" && !q.requests) || (a.kind == "error_spike" && !q.errors)) continue;
      anomalies.push_back({{"kind", a.kind}, {"at", *time::format_timestamp(a.at)}, {"observed", a.observed},
                           {"baseline", a.baseline}});
    }
    j["anomalies"] = anomalies;
  }
  if (q.latency) {
    std::uint64_t count = 0;
    for (const auto& [k, n] : total.latency) count += n;
    internal::OrderedJson l = {{"count", count}};
    if (count) {
      l["p50Ms"] = millis(percentile(total.latency, count, 50, 100));
      l["p95Ms"] = millis(percentile(total.latency, count, 95, 100));
      l["p99Ms"] = millis(percentile(total.latency, count, 99, 100));
      l["maxMs"] = millis(bucket_value(total.latency.rbegin()->first));
    } else {
      for (const char* field : {"p50Ms", "p95Ms", "p99Ms", "maxMs"}) l[field] = nullptr;
    }
    j["latency"] = l;
  }
  return j.dump();
}

}  // namespace finfusion::usage
