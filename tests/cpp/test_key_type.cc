#include <catch2/catch.hpp>
#include <string>

#include "finfusion/key_type.h"

using namespace finfusion::keys;
using finfusion::Code;
namespace t = finfusion::time;

TEST_CASE("the seed's three types", "[key_type]") {
  CHECK(type_prefix(KeyType::kDevelopment) == "dev");
  CHECK(type_prefix(KeyType::kProduction) == "prod");
  CHECK(type_prefix(KeyType::kRestricted) == "rest");
  CHECK(type_environment(KeyType::kDevelopment) == Environment::kSandbox);
  CHECK(type_environment(KeyType::kProduction) == Environment::kProduction);
  CHECK(type_environment(KeyType::kRestricted) == Environment::kProduction);
  CHECK(*type_from_name("production") == KeyType::kProduction);
  CHECK(type_from_name("Production").code() == Code::kInvalidRequest);
  CHECK(type_from_name("prod").code() == Code::kInvalidRequest);
  CHECK(*environment_from_name("sandbox") == Environment::kSandbox);
  CHECK(environment_from_name("staging").code() == Code::kInvalidRequest);
  CHECK(type_from_prefix("rest") == KeyType::kRestricted);
  CHECK_FALSE(type_from_prefix("REST").has_value());
}

TEST_CASE("default policies", "[key_type]") {
  TypeTable table = TypeTable::Defaults();
  const TypePolicy& dev = table.get(KeyType::kDevelopment);
  const TypePolicy& prod = table.get(KeyType::kProduction);
  const TypePolicy& rest = table.get(KeyType::kRestricted);
  for (const TypePolicy* p : {&dev, &prod, &rest}) {
    CHECK(p->rotation_period == 90 * t::kDay);  // the seed's recommendation
    CHECK(p->rotation_warning < p->rotation_period);
    CHECK(p->rotation_period <= p->max_lifetime);
  }
  // Development is limited harder than production.
  CHECK(dev.rate_limit.requests * prod.rate_limit.window <
        prod.rate_limit.requests * dev.rate_limit.window);
  CHECK(rest.requires_service);
  CHECK_FALSE(rest.allows_global_wildcard);
  CHECK_FALSE(prod.requires_service);
  CHECK(rest.max_scopes < prod.max_scopes);
}

TEST_CASE("a deployment overrides the table", "[key_type]") {
  auto table = TypeTable::Create(
      R"({"production": {"max_lifetime": "365d", "rate_limit": {"requests": 500, "window": "1s"}},
          "development": {"rotation_period": "30d", "rotation_warning": "7d"}})");
  REQUIRE(table.ok());
  CHECK(table->get(KeyType::kProduction).max_lifetime == 365 * t::kDay);
  CHECK(table->get(KeyType::kProduction).rate_limit.requests == 500);
  CHECK(table->get(KeyType::kProduction).rotation_period == 90 * t::kDay);
  CHECK(table->get(KeyType::kDevelopment).rotation_period == 30 * t::kDay);
  // The table round-trips through its JSON.
  auto again = TypeTable::Create(table->to_json());
  REQUIRE(again.ok());
  CHECK(again->to_json() == table->to_json());
  CHECK(TypeTable::Create("{}")->to_json() == TypeTable::Defaults().to_json());
}

TEST_CASE("bad overrides are field-level invalid_request", "[key_type]") {
  struct Bad {
    const char* json;
    const char* field;
  };
  for (Bad bad : {Bad{"[]", "request"},
                  Bad{"{\"staging\": {}}", "\"staging\""},
                  Bad{"{\"production\": {\"prefix\": \"p\"}}", "production.\"prefix\""},
                  Bad{"{\"production\": {\"max_lifetime\": 5}}", "production.max_lifetime"},
                  Bad{"{\"production\": {\"max_lifetime\": \"5 days\"}}", "production.max_lifetime"},
                  Bad{"{\"production\": {\"rate_limit\": {\"requests\": 0}}}", "production.rate_limit.requests"},
                  Bad{"{\"production\": {\"rate_limit\": {\"requests\": 1e30}}}", "production.rate_limit.requests"},
                  Bad{"{\"production\": {\"rate_limit\": {\"requests\": 18446744073709551616}}}", "production.rate_limit.requests"},
                  Bad{"{\"production\": {\"rate_limit\": {\"window\": \"0\"}}}", "production.rate_limit.window"},
                  Bad{"{\"production\": {\"rate_limit\": []}}", "production.rate_limit"},
                  Bad{"{\"production\": {\"rotation_period\": \"800d\"}}", "production.rotation_period"},
                  Bad{"{\"production\": {\"rotation_warning\": \"90d\"}}", "production.rotation_warning"},
                  Bad{"{\"production\": {\"max_scopes\": 0}}", "production.max_scopes"},
                  Bad{"{\"production\": {}, \"production\": {}}", "duplicate key"},
                  Bad{"{\"production\": {\"max_scopes\": 3", "not valid JSON"},
                  Bad{"{\"a\": \"\xff\"}", "not valid JSON"}}) {
    INFO(bad.json);
    auto r = TypeTable::Create(bad.json);
    REQUIRE_FALSE(r.ok());
    CHECK(r.code() == Code::kInvalidRequest);
    CHECK_THAT(r.status().message(), Catch::Contains(bad.field));
  }
  std::string deep(100, '[');
  CHECK_THAT(TypeTable::Create(deep).status().message(), Catch::Contains("nested deeper"));
  std::string huge(70000, ' ');
  CHECK_THAT(TypeTable::Create(huge).status().message(), Catch::Contains("longer than"));
}
