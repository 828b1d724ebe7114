#include <catch2/catch.hpp>
#include <string>

#include "finfusion/lifecycle.h"

using namespace finfusion;
using lifecycle::parse_create_request;

namespace {
const time::Millis kNow = *time::parse_timestamp("2025-06-01T12:00:00Z");
const keys::TypeTable kTable = keys::TypeTable::Defaults();

Result<lifecycle::CreateRequest> create(const std::string& json) {
  return parse_create_request(json, kNow, kTable);
}

void expect_field_error(const std::string& json, const std::string& field) {
  auto r = create(json);
  INFO(json);
  REQUIRE_FALSE(r.ok());
  CHECK(r.code() == Code::kInvalidRequest);
  CHECK_THAT(r.status().message(), Catch::StartsWith(field + ": ") || Catch::StartsWith("\"" + field + "\": "));
}
}  // namespace

TEST_CASE("the seed's create request", "[lifecycle]") {
  auto r = create(R"({"name": "Production API Key", "type": "production",
                     "permissions": ["payments", "kyc", "reporting"], "expiration": "2025-12-31"})");
  REQUIRE(r.ok());
  CHECK(r->name == "Production API Key");
  CHECK(r->type == keys::KeyType::kProduction);
  CHECK(r->scopes.to_strings() == std::vector<std::string>{"kyc", "payments", "reporting"});
  CHECK(*time::format_timestamp(r->expires_at) == "2026-01-01T00:00:00.000Z");
  CHECK(r->to_json() ==
        R"({"name":"Production API Key","type":"production","permissions":["kyc","payments","reporting"],"expiresAt":"2026-01-01T00:00:00.000Z"})");
  // The canonical form parses to the same request.
  auto again = create(r->to_json());
  REQUIRE(again.ok());
  CHECK(again->to_json() == r->to_json());
}

TEST_CASE("defaults and restricted keys", "[lifecycle]") {
  auto r = create(R"({"name": "ci", "type": "development", "permissions": []})");
  REQUIRE(r.ok());
  CHECK(r->expires_at == kNow + kTable.get(keys::KeyType::kDevelopment).max_lifetime);
  auto rest = create(R"({"name": "ledger sync", "type": "restricted", "permissions": ["payments:read"],
                        "service": "ledger-sync", "parentKeyId": "prod_7kNsV0dGlOW9eHuP", "owner": "team-payments",
                        "purpose": "nightly reconciliation", "expiresAt": "2025-09-01T00:00:00+02:00"})");
  REQUIRE(rest.ok());
  CHECK(rest->service == "ledger-sync");
  CHECK(rest->parent_key_id == "prod_7kNsV0dGlOW9eHuP");
  CHECK(*time::format_timestamp(rest->expires_at) == "2025-08-31T22:00:00.000Z");
}

TEST_CASE("field-level errors", "[lifecycle]") {
  const std::string ok_tail = R"("type": "production", "permissions": ["payments"])";
  expect_field_error(R"({"type": "production", "permissions": []})", "name");
  expect_field_error(R"({"name": "", )" + ok_tail + "}", "name");
  expect_field_error(R"({"name": " x", )" + ok_tail + "}", "name");
  expect_field_error(R"({"name": "a\u0007b", )" + ok_tail + "}", "name");
  expect_field_error(R"({"name": ")" + std::string(129, 'n') + R"(", )" + ok_tail + "}", "name");
  expect_field_error(R"({"name": 5, )" + ok_tail + "}", "name");
  expect_field_error(R"({"name": "x", "type": "staging", "permissions": []})", "type");
  expect_field_error(R"({"name": "x", "permissions": []})", "type");
  expect_field_error(R"({"name": "x", "type": "production"})", "permissions");
  expect_field_error(R"({"name": "x", "type": "production", "permissions": "payments"})", "permissions");
  expect_field_error(R"({"name": "x", "type": "production", "permissions": ["Payments"]})", "permissions");
  expect_field_error(R"({"name": "x", "type": "production", "permissions": [1]})", "permissions");
  expect_field_error(R"({"name": "x", )" + ok_tail + R"(, "expiration": "2025-05-31"})", "expiration");
  expect_field_error(R"({"name": "x", )" + ok_tail + R"(, "expiration": "2030-01-01"})", "expiration");
  expect_field_error(R"({"name": "x", )" + ok_tail + R"(, "expiration": "2025-13-01"})", "expiration");
  expect_field_error(R"({"name": "x", )" + ok_tail + R"(, "expiration": "2025-12-31", "expiresAt": "2025-12-31"})", "expiresAt");
  expect_field_error(R"({"name": "x", )" + ok_tail + R"(, "service": "ledger"})", "service");
  expect_field_error(R"({"name": "x", )" + ok_tail + R"(, "parentKeyId": "prod_7kNsV0dGlOW9eHuP"})", "parentKeyId");
  expect_field_error(R"({"name": "x", )" + ok_tail + R"(, "colour": "red"})", "colour");
  expect_field_error(R"({"name": "x", )" + ok_tail + R"(, "owner": "a\nb"})", "owner");
  const std::string rest = R"({"name": "x", "type": "restricted", "permissions": ["payments"])";
  expect_field_error(rest + R"(, "parentKeyId": "prod_7kNsV0dGlOW9eHuP"})", "service");
  expect_field_error(rest + R"(, "service": "svc"})", "parentKeyId");
  expect_field_error(rest + R"(, "service": "Svc", "parentKeyId": "prod_7kNsV0dGlOW9eHuP"})", "service");
  expect_field_error(rest + R"(, "service": "svc", "parentKeyId": "prod_short"})", "parentKeyId");
  expect_field_error(R"({"name": "x", "type": "restricted", "permissions": ["*"], "service": "s", "parentKeyId": "prod_7kNsV0dGlOW9eHuP"})",
                     "permissions");
  std::string many = R"({"name": "x", "type": "restricted", "service": "s", "parentKeyId": "prod_7kNsV0dGlOW9eHuP", "permissions": [)";
  for (int i = 0; i < 17; ++i) many += (i ? ",\"s" : "\"s") + std::to_string(i) + "\"";
  expect_field_error(many + "]}", "permissions");
}

TEST_CASE("request-level errors", "[lifecycle]") {
  for (const char* bad : {"", "[]", "null", "{", R"({"name": "a", "name": "b"})", "{\"name\": \"\xff\"}"}) {
    INFO(bad);
    CHECK(create(bad).code() == Code::kInvalidRequest);
  }
  CHECK_THAT(create(R"({"name": "a", "name": "b"})").status().message(), Catch::Contains("duplicate key"));
  CHECK_THAT(create(R"({"name": {"a": {"b": {"c": {}}}}})").status().message(), Catch::Contains("nested deeper"));
  CHECK_THAT(create(std::string(17 * 1024, ' ')).status().message(), Catch::Contains("longer than"));
  // Text limits count bytes of UTF-8, and say so: 64 two-byte characters fit, 65 do not.
  std::string name;
  for (int i = 0; i < 64; ++i) name += "\xc3\xa9";
  CHECK(create("{\"name\": \"" + name + "\", \"type\": \"production\", \"permissions\": [\"payments\"]}").ok());
  CHECK_THAT(create("{\"name\": \"" + name + "\xc3\xa9\", \"type\": \"production\", \"permissions\": [\"payments\"]}").status().message(),
             Catch::Contains("longer than 128 bytes of UTF-8"));
}
