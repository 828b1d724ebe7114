#include <catch2/catch.hpp>
#include <string>

#include "finfusion/registry.h"
#include "fixtures.h"
#include "finfusion/usage.h"

using namespace finfusion;

TEST_CASE("histogram buckets are exact below 16 us and within 1/16 above", "[usage]") {
  for (std::int64_t v = 0; v < 16; ++v) CHECK(usage::bucket_value(usage::bucket_of(v)) == v);
  for (std::int64_t v : {16LL, 17LL, 100LL, 1000LL, 12345LL, 999999LL, 86400000000LL}) {
    std::int64_t rep = usage::bucket_value(usage::bucket_of(v));
    INFO(v << " -> " << rep);
    CHECK(rep * 16 >= v * 15);
    CHECK(rep * 16 <= v * 17);
  }
  // Buckets are ordered like the values.
  std::int32_t last = -1;
  for (std::int64_t v = 0; v < 200000; v += 7) {
    std::int32_t b = usage::bucket_of(v);
    CHECK(b >= last);
    last = b;
  }
}

TEST_CASE("percentiles against a known sample", "[usage]") {
  usage::Aggregate a;
  a.start = 0;
  // 1..100 ms: p50 = 50 ms, p95 = 95 ms, p99 = 99 ms (nearest rank), each within 1/16.
  for (int ms = 1; ms <= 100; ++ms) a.add("valid", false, ms * 1000);
  usage::Query q{"prod_0000000000000000", 0, usage::kIntervalMs, true, true, true};
  std::string r = usage::report(q, {a});
  auto value = [&](const char* field) {
    auto pos = r.find(std::string("\"") + field + "\":");
    return std::stod(r.substr(pos + std::string(field).size() + 3));
  };
  CHECK(value("p50Ms") == Approx(50).epsilon(1.0 / 16));
  CHECK(value("p95Ms") == Approx(95).epsilon(1.0 / 16));
  CHECK(value("p99Ms") == Approx(99).epsilon(1.0 / 16));
  CHECK(value("maxMs") == Approx(100).epsilon(1.0 / 16));
  CHECK(r.find("\"requests\":100") != std::string::npos);
  CHECK(r.find("\"errors\":0") != std::string::npos);
  // Merging two halves gives the same report as one aggregate.
  usage::Aggregate lo, hi;
  for (int ms = 1; ms <= 50; ++ms) lo.add("valid", false, ms * 1000);
  for (int ms = 51; ms <= 100; ++ms) hi.add("valid", false, ms * 1000);
  lo.merge(hi);
  CHECK(usage::report(q, {lo}) == r);
}

TEST_CASE("the seed's getUsage query", "[usage]") {
  auto q = usage::parse_query(R"({"keyId": "prod_7kNsV0dGlOW9eHuP", "timeframe": {"start": "2024-01-01", "end": "2024-01-31"},
                                  "metrics": ["requests", "errors", "latency"]})");
  REQUIRE(q.ok());
  CHECK(*time::format_timestamp(q->start) == "2024-01-01T00:00:00.000Z");
  CHECK(*time::format_timestamp(q->end) == "2024-02-01T00:00:00.000Z");  // through all of Jan 31
  for (const char* bad : {R"({"timeframe": {"start": "2024-01-01", "end": "2024-01-31"}})",
                          R"({"keyId": "prod_7kNsV0dGlOW9eHuP"})",
                          R"({"keyId": "prod_7kNsV0dGlOW9eHuP", "timeframe": {"start": "2024-02-01", "end": "2024-01-01"}})",
                          R"({"keyId": "prod_7kNsV0dGlOW9eHuP", "timeframe": {"start": "2023-01-01", "end": "2024-12-31"}})",
                          R"({"keyId": "prod_7kNsV0dGlOW9eHuP", "timeframe": {"start": "2024-01-01", "end": "2024-01-31"}, "metrics": ["cpu"]})",
                          R"({"keyId": "prod_7kNsV0dGlOW9eHuP", "timeframe": {"start": "x", "end": "2024-01-31"}})"}) {
    INFO(bad);
    CHECK(usage::parse_query(bad).code() == Code::kInvalidRequest);
  }
  CHECK(usage::parse_query(R"({"keyId": "prod_x", "timeframe": {"start": "2024-01-01", "end": "2024-01-31"}})").code() ==
        Code::kMalformedKey);
}

TEST_CASE("verifications feed getUsage", "[usage]") {
  registry::Registry reg(testing::fixed_hasher(), keys::TypeTable::Defaults());
  const time::Millis now = *time::parse_timestamp("2025-06-01T12:00:00Z");
  auto created = reg.create(R"({"name": "x", "type": "production", "permissions": ["payments"]})", now, "admin");
  std::string key(created->key.reveal());
  registry::VerifyContext ok;
  ok.latency_ms = 12.5;
  registry::VerifyContext bad = ok;
  bad.required = {"kyc"};
  for (int i = 0; i < 8; ++i) reg.verify(key, ok, now + i * 1000).value();
  for (int i = 0; i < 2; ++i) reg.verify(key, bad, now + 120000).value();
  std::string q = R"({"keyId": ")" + created->record.id +
                  R"(", "timeframe": {"start": "2025-06-01", "end": "2025-06-01"}})";
  auto r = reg.get_usage(q);
  REQUIRE(r.ok());
  CHECK(r->find("\"requests\":10") != std::string::npos);
  CHECK(r->find("\"errors\":2") != std::string::npos);
  CHECK(r->find("\"errorRate\":0.2") != std::string::npos);
  CHECK(r->find("\"insufficient_scope\":2") != std::string::npos);
  CHECK(r->find("\"count\":10") != std::string::npos);
  std::string later = R"({"keyId": ")" + created->record.id +
                      R"(", "timeframe": {"start": "2025-06-01T12:01:00Z", "end": "2025-06-01T13:00:00Z"}, "metrics": ["errors"]})";
  auto r2 = reg.get_usage(later);
  CHECK(r2->find("\"errors\":2") != std::string::npos);
  CHECK(r2->find("requests") == std::string::npos);
  CHECK(reg.get_usage(R"({"keyId": "prod_0000000000000000", "timeframe": {"start": "2025-06-01", "end": "2025-06-01"}})")
            .code() == Code::kNotFound);
}

TEST_CASE("anomalies: usage and error spikes against the key's own hour, a dev key in production", "[usage]") {
  registry::Registry reg(testing::fixed_hasher(), keys::TypeTable::Defaults());
  const time::Millis t0 = *time::parse_timestamp("2025-06-01T12:00:00Z");
  auto created = reg.create(R"({"name": "x", "type": "production", "permissions": ["payments"]})", t0, "admin");
  std::string key(created->key.reveal());
  registry::VerifyContext ok;
  registry::VerifyContext bad;
  bad.required = {"kyc"};
  // A quiet hour: one request a minute.
  for (int m = 0; m < 60; ++m) reg.verify(key, ok, t0 + m * time::kMinute).value();
  // Then 30 requests in one minute: flagged once, by the 20th.
  const time::Millis burst = t0 + 60 * time::kMinute;
  for (int i = 0; i < 30; ++i) reg.verify(key, ok, burst + i).value();
  auto spikes = reg.logs({created->record.id, {"key.anomaly"}, 100});
  REQUIRE(spikes->size() == 1);
  CHECK(spikes->front().details.find("\"kind\":\"usage_spike\"") != std::string::npos);
  CHECK(spikes->front().details.find("\"observed\":20") != std::string::npos);
  // 12 failures in the next minute: an error spike, flagged once.
  for (int i = 0; i < 12; ++i) reg.verify(key, bad, burst + time::kMinute + i).value();
  auto all = reg.logs({created->record.id, {"key.anomaly"}, 100});
  REQUIRE(all->size() == 2);
  CHECK(all->back().details.find("error_spike") != std::string::npos);
  // The usage report lists both minutes.
  auto r = reg.get_usage(R"({"keyId": ")" + created->record.id +
                         R"(", "timeframe": {"start": "2025-06-01", "end": "2025-06-01"}})");
  CHECK(r->find("\"kind\":\"usage_spike\",\"at\":\"2025-06-01T13:00:00.000Z\"") != std::string::npos);
  CHECK(r->find("\"kind\":\"error_spike\",\"at\":\"2025-06-01T13:01:00.000Z\"") != std::string::npos);
  // A development key presented in production.
  auto dev = reg.create(R"({"name": "d", "type": "development", "permissions": []})", t0, "admin");
  registry::VerifyContext prod;
  prod.environment = "production";
  CHECK(reg.verify(std::string(dev->key.reveal()), prod, t0)->code == Code::kEnvironmentMismatch);
  auto flagged = reg.logs({dev->record.id, {"key.anomaly"}, 10});
  REQUIRE(flagged->size() == 1);
  CHECK(flagged->front().details.find("development_key_in_production") != std::string::npos);
}
