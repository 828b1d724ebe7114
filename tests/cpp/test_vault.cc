// Sealed secrets: the master keys, sealing and opening (XChaCha20-Poly1305, the record id as
// associated data), and the registry's request-signing and webhook secrets kept with them.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "finfusion/registry.h"
#include "finfusion/vault.h"
#include "fixtures.h"

using namespace finfusion;

namespace {

const time::Millis kNow = *time::parse_timestamp("2026-01-01T00:00:00Z");

SecretBytes bytes(std::string_view text) { return SecretBytes::FromView(text); }

registry::Registry make_registry() {
  return registry::Registry(testing::fixed_hasher(), keys::TypeTable::Defaults(), nullptr,
                            keys::deterministic_random("vault"));
}

}  // namespace

TEST_CASE("master keys are checked before use", "[vault]") {
  using vault::MasterKeys;
  auto make = [](std::string id, std::size_t size, std::string current) {
    std::vector<std::pair<std::string, SecretBytes>> keys;
    keys.emplace_back(std::move(id), SecretBytes(size));
    return MasterKeys::Create(std::move(keys), current).code();
  };
  CHECK(make("m1", 32, "m1") == Code::kValid);
  CHECK(make("m1", 31, "m1") == Code::kInvalidRequest);
  CHECK(make("m1", 33, "m1") == Code::kInvalidRequest);
  CHECK(make("bad id", 32, "bad id") == Code::kInvalidRequest);
  CHECK(make("m1", 32, "m2") == Code::kInvalidRequest);
  CHECK(MasterKeys::Create({}, "m1").code() == Code::kInvalidRequest);
  std::vector<std::pair<std::string, SecretBytes>> twice;
  twice.emplace_back("m1", SecretBytes(32));
  twice.emplace_back("m1", SecretBytes(32));
  CHECK(MasterKeys::Create(std::move(twice), "m1").code() == Code::kInvalidRequest);
}

TEST_CASE("a sealed secret opens only for its record, unaltered, under a key held", "[vault]") {
  const vault::MasterKeys m1 = testing::fixed_masters();
  const SecretBytes secret = bytes("thirty-two bytes of hmac secret!");
  auto sealed = m1.seal("signing/rest_abc", secret);
  REQUIRE(sealed.ok());
  CHECK(sealed->rfind("ffs1.m1.", 0) == 0);
  CHECK(sealed->find("thirty-two") == std::string::npos);
  CHECK(m1.open("signing/rest_abc", *sealed)->equals(secret));
  CHECK(*vault::MasterKeys::master_of(*sealed) == "m1");
  // A fresh nonce every time.
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) seen.insert(*m1.seal("signing/rest_abc", secret));
  CHECK(seen.size() == 50);
  // Another record's id, any edited character, a key not held, or another key under the id.
  CHECK(m1.open("signing/rest_abd", *sealed).code() == Code::kInvalidRequest);
  for (std::size_t i = 8; i < sealed->size(); i += 7) {
    std::string edited = *sealed;
    edited[i] = edited[i] == 'A' ? 'B' : 'A';
    CHECK(m1.open("signing/rest_abc", edited).code() == Code::kInvalidRequest);
  }
  const vault::MasterKeys m2_only = [] {
    std::vector<std::pair<std::string, SecretBytes>> keys;
    keys.emplace_back("m2", SecretBytes::FromView(std::string(32, '\x22')));
    return *vault::MasterKeys::Create(std::move(keys), "m2");
  }();
  CHECK(m2_only.open("signing/rest_abc", *sealed).code() == Code::kPreconditionFailed);
  std::vector<std::pair<std::string, SecretBytes>> impostor;
  impostor.emplace_back("m1", SecretBytes::FromView(std::string(32, '\x33')));
  CHECK(vault::MasterKeys::Create(std::move(impostor), "m1")->open("signing/rest_abc", *sealed).code() ==
        Code::kInvalidRequest);
  // Not sealed text at all, and bounds.
  for (std::string_view junk : {"", "ffs1.", "ffs1.m1.", "ffs1.m1", "ffs2.m1.AAAA", "ffs1.bad id.AAAA", "ffs1.m1.!!!!"}) {
    CHECK(m1.open("signing/rest_abc", junk).code() == Code::kInvalidRequest);
    CHECK(vault::MasterKeys::master_of(junk).code() == (junk.substr(0, 8) == "ffs1.m1." ? Code::kValid : Code::kInvalidRequest));
  }
  CHECK(m1.seal("", secret).code() == Code::kInvalidRequest);
  CHECK(m1.seal("x", SecretBytes()).code() == Code::kInvalidRequest);
  CHECK(m1.seal("x", SecretBytes(1025)).code() == Code::kInvalidRequest);
  CHECK(m1.seal(std::string(257, 'x'), secret).code() == Code::kInvalidRequest);
  // Errors never hold the secret.
  auto wrong = m1.open("other", *sealed);
  CHECK(wrong.status().message().find("thirty-two") == std::string::npos);
}

TEST_CASE("the registry keeps request-signing secrets a service verifies with", "[vault][registry]") {
  registry::Registry reg = make_registry();
  auto key = reg.create(R"({"name": "ledger", "type": "production", "permissions": ["payments"]})", kNow, "admin");
  REQUIRE(key.ok());
  const std::string id = key->record.id;
  CHECK(reg.issue_signing_secret(id, signing::Algorithm::kHmacSha256, kNow, "admin").code() == Code::kPreconditionFailed);
  reg.set_master_keys(testing::fixed_masters());
  CHECK(reg.signing_key(id).code() == Code::kNotFound);
  for (auto algorithm : {signing::Algorithm::kHmacSha256, signing::Algorithm::kEd25519}) {
    auto issued = reg.issue_signing_secret(id, algorithm, kNow, "admin:alice");
    REQUIRE(issued.ok());
    CHECK(issued->key_id() == id);
    // The client signs with what it was given; the service verifies with what the registry opens.
    signing::Message m;
    m.method = "POST";
    m.target_uri = "https://api.example.com/v1/payments";
    m.headers = {{"content-type", "application/json"}};
    signing::SignOptions options;
    options.components = {"@method", "@target-uri", "content-type"};
    auto signed_message = signing::sign(m, *issued, options, kNow);
    REQUIRE(signed_message.ok());
    for (const auto& [name, value] : signed_message->headers) m.headers.push_back({name, value});
    auto opened = reg.signing_key(id);
    REQUIRE(opened.ok());
    CHECK(opened->algorithm() == algorithm);
    signing::KeyRing ring;
    ring.add(opened->verifying_key());
    signing::Verification v = signing::verify(m, ring, {}, nullptr, kNow);
    CHECK(v.code == Code::kValid);
    CHECK(v.key_id == id);
  }
  CHECK(reg.issue_signing_secret("prod_nope", signing::Algorithm::kHmacSha256, kNow, "admin").code() ==
        Code::kMalformedKey);
  auto unknown = reg.create(R"({"name": "x", "type": "production", "permissions": ["payments"]})", kNow, "admin");
  REQUIRE(reg.revoke(unknown->record.id, "", kNow, "admin").ok());
  CHECK(reg.issue_signing_secret(unknown->record.id, signing::Algorithm::kHmacSha256, kNow, "admin").code() ==
        Code::kPreconditionFailed);
  const std::vector<audit::Event> log = *reg.logs({id, {"secret.issued"}, 10});
  REQUIRE(log.size() == 2);
  CHECK(log[1].details == R"({"secret":"signing/)" + id + R"(","kind":"ed25519","master":"m1"})");
  CHECK(log[1].actor == "admin:alice");
}

TEST_CASE("webhook secrets are kept by endpoint, and exports carry them sealed", "[vault][registry]") {
  registry::Registry reg = make_registry();
  reg.set_master_keys(testing::fixed_masters());
  auto hook = reg.issue_webhook_secret("ep_orders:v2", kNow, "admin");
  REQUIRE(hook.ok());
  CHECK(reg.webhook_secret("ep_orders:v2")->reveal() == hook->reveal());
  for (std::string_view bad : {std::string_view(), std::string_view("has space"), std::string_view("slash/not"),
                               std::string_view("x\0y", 3)}) {
    CHECK(reg.issue_webhook_secret(bad, kNow, "admin").code() == Code::kInvalidRequest);
  }
  CHECK(reg.issue_webhook_secret(std::string(129, 'e'), kNow, "admin").code() == Code::kInvalidRequest);
  CHECK(reg.webhook_secret("ep_other").code() == Code::kNotFound);
  // A replacement keeps the first issue's time.
  auto again = reg.issue_webhook_secret("ep_orders:v2", kNow + 5000, "admin");
  REQUIRE(again.ok());
  CHECK(again->reveal() != hook->reveal());
  // Exported sealed; the importer needs the same master keys to open them.
  const SecretBytes export_key = bytes("an export key of 32 bytes......!");
  auto text = reg.export_encrypted(export_key, kNow);
  REQUIRE(text.ok());
  registry::Registry copy = make_registry();
  REQUIRE(copy.import_encrypted(*text, export_key).ok());
  CHECK(copy.webhook_secret("ep_orders:v2").code() == Code::kPreconditionFailed);
  copy.set_master_keys(testing::fixed_masters(true));
  CHECK(copy.webhook_secret("ep_orders:v2")->reveal() == again->reveal());
  auto stored = *copy.logs({"", {"secret.issued"}, 10});
  CHECK(stored.size() == 2);
}
