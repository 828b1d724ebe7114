// Standard Webhooks: the specification's library vectors, positive and negative, and the
// checks around them (time window, rotation, malformed headers, secret parsing).
#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "finfusion/webhooks.h"
#include "fixtures.h"

namespace webhooks = finfusion::webhooks;
using finfusion::Code;

using finfusion::testing::load_external;

TEST_CASE("Standard Webhooks vectors: sign reproduces, verify accepts, negatives fail", "[webhooks][external]") {
  auto doc = load_external("standard_webhooks.json");
  std::map<std::string, nlohmann::json> by_name;
  for (const auto& c : doc.at("cases")) {
    INFO(c.at("name"));
    by_name[c.at("name")] = c;
    auto secret = webhooks::Secret::Parse(c.at("secret").get<std::string>());
    REQUIRE(secret.ok());
    CHECK(secret->bytes().size() == c.at("key_len").get<std::size_t>());
    CHECK(secret->reveal() == c.at("secret").get<std::string>());
    const std::int64_t ts = c.at("timestamp");
    auto sig = webhooks::sign(*secret, c.at("msg_id").get<std::string>(), ts, c.at("payload").get<std::string>());
    REQUIRE(sig.ok());
    CHECK(*sig == c.at("expected_signature").get<std::string>());
    const auto& h = c.at("headers");
    auto v = webhooks::verify({*secret}, h.at("webhook-id").get<std::string>(), h.at("webhook-timestamp").get<std::string>(),
                              h.at("webhook-signature").get<std::string>(), c.at("payload").get<std::string>(), ts * 1000);
    CHECK(v.code == Code::kValid);
    CHECK(v.valid);
  }
  for (const auto& n : doc.at("negative_cases")) {
    INFO(n.at("name"));
    const auto& c = by_name.at(n.at("base_case"));
    auto secret = webhooks::Secret::Parse(c.at("secret").get<std::string>());
    auto v = webhooks::verify({*secret}, c.at("msg_id").get<std::string>(), std::to_string(c.at("timestamp").get<std::int64_t>()),
                              n.at("signature").get<std::string>(), c.at("payload").get<std::string>(),
                              c.at("timestamp").get<std::int64_t>() * 1000);
    CHECK(v.code == Code::kSignatureInvalid);
  }
  // The common bug: the secret's text used as the key instead of its bytes.
  const auto& a = by_name.at("libraries-sign-function-works");
  auto secret = webhooks::Secret::Parse(a.at("secret").get<std::string>());
  auto v = webhooks::verify({*secret}, a.at("msg_id").get<std::string>(), std::to_string(a.at("timestamp").get<std::int64_t>()),
                            doc.at("common_bug").at("wrong_signature").get<std::string>(), a.at("payload").get<std::string>(),
                            a.at("timestamp").get<std::int64_t>() * 1000);
  CHECK(v.code == Code::kSignatureInvalid);
}

TEST_CASE("webhooks: rotation, several signatures, other versions, time window", "[webhooks]") {
  auto old_secret = *webhooks::Secret::Generate();
  auto new_secret = *webhooks::Secret::Generate();
  const std::int64_t ts = 1700000000;
  const finfusion::time::Millis now = ts * 1000;
  auto h = webhooks::headers({old_secret, new_secret}, "msg_1", ts, "{}");
  REQUIRE(h.ok());
  REQUIRE(h->size() == 3);
  CHECK((*h)[0] == std::make_pair(std::string("webhook-id"), std::string("msg_1")));
  CHECK((*h)[1].second == "1700000000");
  const std::string& sigs = (*h)[2].second;
  CHECK(sigs.find(' ') != std::string::npos);
  // A receiver holding only one of the two secrets accepts.
  CHECK(webhooks::verify({new_secret}, "msg_1", "1700000000", sigs, "{}", now).valid);
  CHECK(webhooks::verify({old_secret}, "msg_1", "1700000000", sigs, "{}", now).valid);
  auto stranger = *webhooks::Secret::Generate();
  CHECK(webhooks::verify({stranger}, "msg_1", "1700000000", sigs, "{}", now).code == Code::kSignatureInvalid);
  // Unknown versions are ignored around the valid entry.
  std::string one = *webhooks::sign(new_secret, "msg_1", ts, "{}");
  CHECK(webhooks::verify({new_secret}, "msg_1", "1700000000", "v2,abc v1a,xyz= " + one + " v1,!!", "{}", now).valid);
  CHECK(webhooks::verify({new_secret}, "msg_1", "1700000000", "v1a," + one.substr(3), "{}", now).code ==
        Code::kSignatureInvalid);
  // Payload, id and timestamp are all covered.
  CHECK(webhooks::verify({new_secret}, "msg_1", "1700000000", one, "{ }", now).code == Code::kSignatureInvalid);
  CHECK(webhooks::verify({new_secret}, "msg_2", "1700000000", one, "{}", now).code == Code::kSignatureInvalid);
  CHECK(webhooks::verify({new_secret}, "msg_1", "1700000001", one, "{}", now).code == Code::kSignatureInvalid);
  // Time window: 300 s either way by default, configurable.
  CHECK(webhooks::verify({new_secret}, "msg_1", "1700000000", one, "{}", now + 300000).valid);
  CHECK(webhooks::verify({new_secret}, "msg_1", "1700000000", one, "{}", now + 301000).code == Code::kSignatureExpired);
  CHECK(webhooks::verify({new_secret}, "msg_1", "1700000000", one, "{}", now - 301000).code == Code::kSignatureExpired);
  CHECK(webhooks::verify({new_secret}, "msg_1", "1700000000", one, "{}", now + 301000, 600).valid);
}

TEST_CASE("webhooks: malformed headers and secrets are typed errors", "[webhooks]") {
  auto s = *webhooks::Secret::Generate();
  CHECK(s.reveal().rfind("whsec_", 0) == 0);
  CHECK(webhooks::Secret::Parse(s.reveal().substr(6))->reveal() == s.reveal());  // prefix optional
  const std::vector<std::string> bad_secrets = {"whsec_", "whsec_!!!!", "whsec_AAAA", "whsec_YQ",
                                                "whsec_" + std::string(200, 'A')};
  for (const std::string& bad : bad_secrets) {
    INFO(bad);
    auto p = webhooks::Secret::Parse(bad);
    CHECK(p.code() == Code::kInvalidRequest);
  }
  CHECK(webhooks::Secret::FromBytes(finfusion::SecretBytes::FromView(std::string(23, 'a'))).code() == Code::kInvalidRequest);
  CHECK(webhooks::Secret::FromBytes(finfusion::SecretBytes::FromView(std::string(65, 'a'))).code() == Code::kInvalidRequest);
  CHECK(webhooks::sign(s, "a.b", 1, "x").code() == Code::kInvalidRequest);
  CHECK(webhooks::sign(s, "", 1, "x").code() == Code::kInvalidRequest);
  CHECK(webhooks::sign(s, "id", -1, "x").code() == Code::kInvalidRequest);
  CHECK(webhooks::headers({}, "id", 1, "x").code() == Code::kInvalidRequest);
  const finfusion::time::Millis now = 1000;
  std::string good = *webhooks::sign(s, "id", 1, "x");
  CHECK(webhooks::verify({s}, "id", "1", good, "x", now).valid);
  CHECK(webhooks::verify({s}, "id", "1.0", good, "x", now).code == Code::kInvalidRequest);
  CHECK(webhooks::verify({s}, "id", "", good, "x", now).code == Code::kInvalidRequest);
  CHECK(webhooks::verify({s}, "id", "-1", good, "x", now).code == Code::kInvalidRequest);
  CHECK(webhooks::verify({s}, "id", "9999999999999", good, "x", now).code == Code::kInvalidRequest);
  CHECK(webhooks::verify({s}, "", "1", good, "x", now).code == Code::kInvalidRequest);
  CHECK(webhooks::verify({s}, "id", "1", "", "x", now).code == Code::kInvalidRequest);
  CHECK(webhooks::verify({s}, "id", "1", std::string(9000, 'v'), "x", now).code == Code::kInvalidRequest);
  CHECK(webhooks::verify({}, "id", "1", good, "x", now).code == Code::kInvalidRequest);
  CHECK(webhooks::verify({s}, "id", "1", good, "x", INT64_MAX).code == Code::kInvalidTimestamp);
  CHECK(webhooks::verify({s}, "id", "1", good, "x", INT64_MIN).code == Code::kInvalidTimestamp);
  // A message never carries the secret.
  auto v = webhooks::verify({s}, "id", "1", "v1,AAAA", "x", now);
  CHECK(v.message.find(s.reveal().substr(6, 10)) == std::string::npos);
}
