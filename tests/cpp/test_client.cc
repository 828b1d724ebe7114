#include <catch2/catch.hpp>
#include <string>

#include "finfusion/client.h"
#include "finfusion/key.h"

using namespace finfusion;

TEST_CASE("the seed's client configuration", "[client]") {
  std::string prod(keys::generate(keys::KeyType::kProduction)->reveal());
  std::string dev(keys::generate(keys::KeyType::kDevelopment)->reveal());
  auto c = client::configure(prod, "production", R"({"timeout": 30000, "retries": 3})");
  REQUIRE(c.ok());
  CHECK(c->key_id == prod.substr(0, 21));
  CHECK(c->timeout_ms == 30000);
  CHECK(c->retries == 3);
  CHECK(client::configure(dev, "sandbox", "{}")->retries == client::kDefaultRetries);
  CHECK(client::configure(dev, "development", "")->environment == keys::Environment::kSandbox);
  CHECK(client::configure(dev, "production", "{}").code() == Code::kEnvironmentMismatch);
  CHECK(client::configure(prod, "sandbox", "{}").code() == Code::kEnvironmentMismatch);
  CHECK(client::configure("", "production", "{}").code() == Code::kInvalidRequest);
  CHECK(client::configure(prod.substr(0, 70), "production", "{}").code() == Code::kMalformedKey);
  CHECK(client::configure("rest" + prod.substr(4), "production", "{}").code() == Code::kBadChecksum);
  CHECK(client::configure(prod, "staging", "{}").code() == Code::kInvalidRequest);
  for (const char* bad : {R"({"timeout": 0})", R"({"timeout": 600001})", R"({"timeout": "30s"})", R"({"retries": -1})",
                          R"({"retries": 11})", R"({"retry": 3})", "[]", R"({"timeout": 1.5})"}) {
    INFO(bad);
    auto r = client::configure(prod, "production", bad);
    CHECK(r.code() == Code::kInvalidRequest);
    CHECK(r.status().message().find(prod.substr(22, 12)) == std::string::npos);
  }
}
