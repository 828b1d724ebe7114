#include <sodium.h>

#include <catch2/catch.hpp>
#include <string>

#include "finfusion/registry.h"
#include "finfusion/signing.h"
#include "fixtures.h"

using namespace finfusion;
using registry::Registry;
using registry::VerifyContext;

namespace {
const time::Millis kNow = *time::parse_timestamp("2025-06-01T12:00:00Z");
const time::Millis kHour = time::kHour;

Registry make(std::string seed = "test") {
  return Registry(testing::fixed_hasher(), keys::TypeTable::Defaults(), nullptr, keys::deterministic_random(seed));
}

const char* kSeed = R"({"name": "Production API Key", "type": "production",
                        "permissions": ["payments", "kyc", "reporting"], "expiration": "2025-12-31"})";

VerifyContext need(std::vector<std::string> scopes, std::string env = "production") {
  VerifyContext c;
  c.required = std::move(scopes);
  c.environment = std::move(env);
  return c;
}
}  // namespace

TEST_CASE("create and verify the seed's key", "[registry]") {
  Registry reg = make();
  auto created = reg.create(kSeed, kNow, "admin:alice");
  REQUIRE(created.ok());
  std::string key(created->key.reveal());
  CHECK(created->record.stored_hash.rfind("ffk$1$hs256$p1$", 0) == 0);
  CHECK(created->record.to_json().find(key.substr(22)) == std::string::npos);
  auto d = reg.verify(key, need({"payments:charge"}), kNow + 1);
  REQUIRE(d.ok());
  CHECK(d->valid);
  CHECK(d->code == Code::kValid);
  CHECK(d->key_id == created->record.id);
  CHECK(d->rate_limit == 100);
  CHECK(d->rate_remaining == 99);
  CHECK(reg.get(created->record.id)->last_used_at == kNow + 1);
  // Deterministic generation reproduces the same key.
  Registry again = make();
  CHECK(again.create(kSeed, kNow, "admin:alice")->key.reveal() == key);
}

TEST_CASE("verification refusals, in order", "[registry]") {
  Registry reg = make();
  auto prod = reg.create(kSeed, kNow, "admin");
  auto dev = reg.create(R"({"name": "dev", "type": "development", "permissions": ["payments"]})", kNow, "admin");
  std::string key(prod->key.reveal());
  CHECK(reg.verify("garbage", need({}), kNow)->code == Code::kMalformedKey);
  CHECK(reg.verify("rest" + key.substr(4), need({}), kNow)->code == Code::kBadChecksum);
  // Another key of the same id-shape that the registry never issued.
  auto stranger = keys::generate(keys::KeyType::kProduction);
  CHECK(reg.verify(stranger->reveal(), need({}), kNow)->code == Code::kNotFound);
  CHECK(reg.verify(key, need({"payments"}, "sandbox"), kNow)->code == Code::kEnvironmentMismatch);
  CHECK(reg.verify(std::string(dev->key.reveal()), need({"payments"}, "production"), kNow)->code ==
        Code::kEnvironmentMismatch);
  CHECK(reg.verify(key, need({"payouts"}), kNow)->code == Code::kInsufficientScope);
  CHECK(reg.verify(key, need({}), *time::parse_timestamp("2025-12-31T23:59:59.999Z"))->valid);
  CHECK(reg.verify(key, need({}), *time::parse_timestamp("2026-01-01T00:00:00Z"))->code == Code::kExpired);
  CHECK(reg.verify(key, need({"Payments"}), kNow).code() == Code::kInvalidScope);
  CHECK(reg.verify(key, need({}, "staging"), kNow).code() == Code::kInvalidRequest);
  REQUIRE(reg.revoke(prod->record.id, "leaked in a ticket", kNow + kHour, "admin").ok());
  CHECK(reg.verify(key, need({}), kNow + kHour)->code == Code::kRevoked);
  CHECK(reg.revoke(prod->record.id, "again", kNow + kHour, "admin").code() == Code::kConflict);
  CHECK(reg.revoke(stranger->id(), "x", kNow, "admin").code() == Code::kNotFound);
}

TEST_CASE("rotation windows: the exact grace boundary and the expiry cap", "[registry]") {
  Registry reg = make();
  auto created = reg.create(kSeed, kNow, "admin");
  std::string old_key(created->key.reveal());
  auto rotated = reg.rotate(created->record.id, 48 * kHour, {"security@yourcompany.com"}, false, kNow, "admin");
  REQUIRE(rotated.ok());
  std::string new_key(rotated->key.reveal());
  CHECK(rotated->current.version == 2);
  CHECK(rotated->current.replaces == created->record.id);
  CHECK(rotated->current.expires_at == created->record.expires_at);
  CHECK(rotated->previous.grace_until == kNow + 48 * kHour);
  auto before = reg.verify(old_key, need({}), kNow + 48 * kHour - 1);
  CHECK(before->valid);
  CHECK(before->in_grace);
  CHECK(before->replaced_by == rotated->current.id);
  CHECK(reg.verify(old_key, need({}), kNow + 48 * kHour)->code == Code::kExpired);
  CHECK(reg.verify(new_key, need({}), kNow + 48 * kHour)->valid);
  // Rotating the old key again during its window is a conflict; forced it goes through.
  CHECK(reg.rotate(created->record.id, kHour, {}, false, kNow + kHour, "admin").code() == Code::kConflict);
  CHECK(reg.rotate(created->record.id, kHour, {}, true, kNow + kHour, "admin").ok());
  // The window never runs past the old key's own expiry.
  auto late = reg.create(R"({"name": "x", "type": "production", "permissions": [], "expiration": "2025-06-02T00:00:00Z"})",
                         kNow, "admin");
  auto capped = reg.rotate(late->record.id, 48 * kHour, {}, false, kNow, "admin");
  CHECK(capped->previous.grace_until == *time::parse_timestamp("2025-06-02T00:00:00Z"));
  // An emergency rotation (grace 0) kills the old key at once.
  auto third = reg.create(kSeed, kNow, "admin");
  auto emergency = reg.rotate(third->record.id, 0, {}, false, kNow, "admin");
  CHECK(reg.verify(std::string(third->key.reveal()), need({}), kNow)->code == Code::kExpired);
  CHECK(reg.verify(std::string(emergency->key.reveal()), need({}), kNow)->valid);
  // Bad arguments.
  CHECK(reg.rotate(rotated->current.id, -1, {}, false, kNow, "a").code() == Code::kInvalidDuration);
  CHECK(reg.rotate(rotated->current.id, kHour, {"not an email"}, false, kNow, "a").code() == Code::kInvalidRequest);
  CHECK(reg.rotate(keys::generate(keys::KeyType::kProduction)->id(), kHour, {}, false, kNow, "a").code() ==
        Code::kNotFound);
}

TEST_CASE("restricted keys never exceed or outlive their parent", "[registry]") {
  Registry reg = make();
  auto parent = reg.create(R"({"name": "p", "type": "production", "permissions": ["payments", "!payments:refund"],
                               "expiration": "2025-09-01"})", kNow, "admin");
  auto make_child = [&](const std::string& perms, const std::string& parent_id) {
    return reg.create(R"({"name": "c", "type": "restricted", "service": "ledger", "permissions": )" + perms +
                          R"(, "parentKeyId": ")" + parent_id + "\"}",
                      kNow, "admin");
  };
  auto child = make_child(R"(["payments:charge"])", parent->record.id);
  REQUIRE(child.ok());
  CHECK(child->record.expires_at == parent->record.expires_at);  // capped at the parent's
  CHECK(make_child(R"(["payments"])", parent->record.id).code() == Code::kInsufficientScope);
  CHECK(make_child(R"(["kyc"])", parent->record.id).code() == Code::kInsufficientScope);
  CHECK(make_child(R"(["payments:charge"])", keys::generate(keys::KeyType::kProduction)->id()).code() ==
        Code::kNotFound);
  std::string key(child->key.reveal());
  VerifyContext ctx = need({"payments:charge"});
  ctx.service = "ledger";
  CHECK(reg.verify(key, ctx, kNow)->valid);
  ctx.service = "reports";
  CHECK(reg.verify(key, ctx, kNow)->code == Code::kInsufficientScope);
  REQUIRE(reg.revoke(parent->record.id, "retired", kNow, "admin").ok());
  CHECK(make_child(R"(["payments:charge"])", parent->record.id).code() == Code::kPreconditionFailed);
}

TEST_CASE("rate limits per key", "[registry]") {
  Registry reg = make();
  auto dev = reg.create(R"({"name": "dev", "type": "development", "permissions": []})", kNow, "admin");
  std::string key(dev->key.reveal());
  for (int i = 0; i < 10; ++i) REQUIRE(reg.verify(key, need({}, ""), kNow)->valid);
  auto limited = reg.verify(key, need({}, ""), kNow);
  CHECK(limited->code == Code::kRateLimited);
  CHECK(limited->retry_after == 100);
  CHECK(reg.verify(key, need({}, ""), kNow + 100)->valid);
}

TEST_CASE("the audit log: queries and a tamper-evident chain", "[registry]") {
  Registry reg = make();
  auto a = reg.create(kSeed, kNow, "admin:alice");
  reg.verify(std::string(a->key.reveal()), need({}), kNow).value();
  reg.verify("prod_nope", need({}), kNow).value();
  auto r = reg.rotate(a->record.id, 48 * kHour, {"security@yourcompany.com"}, false, kNow, "admin:bob");
  auto logs = reg.logs({a->record.id, {}, 100});
  REQUIRE(logs.ok());
  REQUIRE(logs->size() == 3);
  CHECK((*logs)[0].type == "key.created");
  CHECK((*logs)[0].actor == "admin:alice");
  CHECK((*logs)[1].type == "key.accessed");
  CHECK((*logs)[2].type == "key.rotated");
  CHECK((*logs)[2].details.find("security@yourcompany.com") != std::string::npos);
  CHECK(reg.logs({"", {"key.created"}, 100})->size() == 2);
  CHECK(reg.logs({"", {}, 1})->back().type == "key.created");
  CHECK(reg.logs({"", {"key.exploded"}, 100}).code() == Code::kInvalidRequest);
  CHECK(reg.logs({"", {}, 0}).code() == Code::kInvalidRequest);
  auto all = reg.logs({"", {}, 1000});
  for (const auto& e : *all) CHECK(e.to_json().find(std::string(a->key.reveal()).substr(22, 20)) == std::string::npos);
  auto report = reg.verify_chain();
  REQUIRE(report.ok());
  CHECK(report->ok);
  CHECK(report->checked == all->size());
  // Tampering: edit, delete, reorder.
  auto edited = *all;
  edited[1].outcome = "revoked";
  CHECK(audit::verify_chain(edited).first_bad == 2);
  auto deleted = *all;
  deleted.erase(deleted.begin() + 1);
  CHECK_FALSE(audit::verify_chain(deleted).ok);
  auto swapped = *all;
  std::swap(swapped[1], swapped[2]);
  CHECK_FALSE(audit::verify_chain(swapped).ok);
  (void)r;
}

TEST_CASE("the chain hash is the documented encoding", "[registry]") {
  // audit.h: BLAKE2b-256(prev 32 bytes || seq u64le || at i64le || LEB128-prefixed type,
  // keyId, actor, outcome, details), recomputed here by hand.
  audit::Event e;
  e.seq = 7;
  e.at = kNow;
  e.type = "key.accessed";
  e.key_id = "prod_0123456789abcdef";
  e.actor = std::string(200, 'a');  // a two-byte length
  e.outcome = "valid";
  e.details = "";
  audit::Digest previous{};
  for (std::size_t i = 0; i < previous.size(); ++i) previous[i] = static_cast<std::uint8_t>(i);
  std::string bytes(reinterpret_cast<const char*>(previous.data()), previous.size());
  auto le = [&bytes](std::uint64_t v) {
    for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  };
  auto text = [&bytes](const std::string& t, std::string length) { bytes += length + t; };
  le(7);
  le(static_cast<std::uint64_t>(kNow));
  text("key.accessed", "\x0c");
  text("prod_0123456789abcdef", "\x15");
  text(std::string(200, 'a'), "\xc8\x01");
  text("valid", "\x05");
  text("{}", "\x02");
  audit::Digest expected{};
  crypto_generichash(expected.data(), expected.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size(), nullptr, 0);
  CHECK(audit::chain_digest(e, previous) == expected);
  CHECK(audit::to_hex(expected).size() == 64);
  CHECK(audit::from_hex(audit::to_hex(expected)) == expected);
  CHECK(audit::from_hex("") == audit::Digest{});
  CHECK_FALSE(audit::from_hex(std::string(64, 'g')).has_value());
  CHECK_FALSE(audit::from_hex(std::string(63, '0')).has_value());
  CHECK_FALSE(audit::from_hex(std::string(64, 'A')).has_value());  // the chain writes lowercase
}

TEST_CASE("verification follows each request's required scopes", "[registry]") {
  // The registry keeps the last request's scopes parsed; a change of scopes must be seen.
  Registry reg = make();
  auto a = reg.create(kSeed, kNow, "admin");
  std::string key(a->key.reveal());
  CHECK(reg.verify(key, need({"payments:charge"}), kNow)->valid);
  CHECK(reg.verify(key, need({"admin"}), kNow)->code == Code::kInsufficientScope);
  CHECK(reg.verify(key, need({"bad scope!"}), kNow).code() == Code::kInvalidScope);
  CHECK(reg.verify(key, need({"!payments"}), kNow).code() == Code::kInvalidScope);
  CHECK(reg.verify(key, need({"admin"}), kNow)->code == Code::kInsufficientScope);
  CHECK(reg.verify(key, need({"kyc", "reporting"}), kNow)->valid);
  CHECK(reg.verify(key, need({"kyc", "admin"}), kNow)->code == Code::kInsufficientScope);
  CHECK(reg.verify(key, need({}), kNow)->valid);
}

TEST_CASE("status by id, as the seed's verify(newKey.id)", "[registry]") {
  Registry reg = make();
  auto a = reg.create(kSeed, kNow, "admin");
  auto rotated = reg.rotate(a->record.id, 48 * kHour, {}, false, kNow, "admin");
  auto old_state = reg.status(a->record.id, kNow + kHour);
  CHECK(old_state->code == Code::kValid);
  CHECK(old_state->in_grace);
  CHECK(reg.status(rotated->current.id, kNow)->code == Code::kValid);
  CHECK(reg.status(a->record.id, kNow + 48 * kHour)->code == Code::kExpired);
  CHECK(reg.status("prod_short", kNow).code() == Code::kMalformedKey);
  CHECK(reg.status(keys::generate(keys::KeyType::kProduction)->id(), kNow).code() == Code::kNotFound);
  CHECK(registry::is_email("security@yourcompany.com"));
  CHECK_FALSE(registry::is_email("security@localhost"));
  CHECK_FALSE(registry::is_email("a b@x.com"));
  CHECK_FALSE(registry::is_email("@x.com"));
}

TEST_CASE("emergency revoke of a chain and the keys derived from it", "[registry]") {
  Registry reg = make();
  auto root = reg.create(kSeed, kNow, "admin");
  auto r2 = reg.rotate(root->record.id, 48 * kHour, {}, false, kNow, "admin");  // chain: root -> r2
  auto child = reg.create(R"({"name": "c", "type": "restricted", "service": "ledger", "permissions": ["payments"],
                              "parentKeyId": ")" + r2->current.id + "\"}", kNow, "admin");
  auto unrelated = reg.create(kSeed, kNow, "admin");
  auto out = reg.emergency_revoke(root->record.id, "leaked on a pastebin", true, kNow + kHour, "admin:security");
  REQUIRE(out.ok());
  CHECK(out->revoked.size() == 3);
  REQUIRE(out->replacements.size() == 2);
  CHECK(out->replacements[0].previous_id == r2->current.id);
  CHECK(out->replacements[0].record.version == 3);
  CHECK(out->replacements[1].previous_id == child->record.id);
  CHECK(out->replacements[1].record.parent_id == out->replacements[0].record.id);
  for (const std::string& k : {std::string(root->key.reveal()), std::string(r2->key.reveal()), std::string(child->key.reveal())}) {
    CHECK(reg.verify(k, need({}, ""), kNow + kHour)->code == Code::kRevoked);
  }
  CHECK(reg.verify(std::string(unrelated->key.reveal()), need({}), kNow + kHour)->valid);
  CHECK(reg.verify(std::string(out->replacements[0].key.reveal()), need({"payments"}), kNow + kHour)->valid);
  VerifyContext c = need({"payments"});
  c.service = "ledger";
  CHECK(reg.verify(std::string(out->replacements[1].key.reveal()), c, kNow + kHour)->valid);
  // Without replacements, nothing new is issued.
  auto other = reg.emergency_revoke(unrelated->record.id, "x", false, kNow + kHour, "admin");
  CHECK(other->revoked.size() == 1);
  CHECK(other->replacements.empty());
  CHECK(reg.emergency_revoke("prod_0000000000000000", "x", true, kNow, "a").code() == Code::kNotFound);
  CHECK(reg.verify_chain()->ok);
}

TEST_CASE("the rotation policy report", "[registry]") {
  Registry reg = make();
  auto a = reg.create(R"({"name": "billing", "type": "production", "permissions": [], "owner": "team-billing",
                          "purpose": "invoices"})", kNow, "admin");
  const keys::TypePolicy& p = reg.table().get(keys::KeyType::kProduction);
  CHECK(registry::rotation_state(a->record, p, kNow) == "ok");
  CHECK(registry::rotation_state(a->record, p, kNow + 76 * time::kDay) == "due_soon");
  CHECK(registry::rotation_state(a->record, p, kNow + 90 * time::kDay) == "due");
  CHECK(registry::rotation_state(a->record, p, kNow + 104 * time::kDay) == "overdue");
  auto report = reg.policy_report(kNow + 100 * time::kDay);
  REQUIRE(report.ok());
  CHECK(report->find("\"rotation\":\"due\"") != std::string::npos);
  CHECK(report->find("\"purpose\":\"invoices\"") != std::string::npos);
  CHECK(report->find("\"ageDays\":100") != std::string::npos);
  CHECK(report->find("\"summary\":{\"due\":1}") != std::string::npos);
}

TEST_CASE("automated rotation rotates exactly the keys that are due, once", "[registry]") {
  Registry reg = make();
  auto old_key = reg.create(R"({"name": "old", "type": "production", "permissions": ["payments"]})", kNow, "admin");
  auto young = reg.create(R"({"name": "young", "type": "production", "permissions": ["payments"]})",
                          kNow + 60 * time::kDay, "admin");
  REQUIRE(old_key.ok());
  REQUIRE(young.ok());
  const time::Millis at = kNow + 95 * time::kDay;
  CHECK(reg.rotate_due(-1, {}, at, "cron").code() == Code::kInvalidDuration);
  auto first = reg.rotate_due(48 * kHour, {"security@yourcompany.com"}, at, "cron");
  REQUIRE(first.ok());
  REQUIRE(first->size() == 1);
  CHECK(first->at(0).previous.id == old_key->record.id);
  CHECK(first->at(0).previous.grace_until == at + 48 * kHour);
  CHECK(reg.verify(old_key->key.reveal(), need({"payments"}), at + kHour)->valid);
  CHECK(reg.verify(first->at(0).key.reveal(), need({"payments"}), at + kHour)->valid);
  // Run again (another host, the next cron tick): nothing more is due.
  auto second = reg.rotate_due(48 * kHour, {}, at + kHour, "cron");
  REQUIRE(second.ok());
  CHECK(second->empty());
  auto rotations = reg.logs({old_key->record.id, {"key.rotated"}, 10});
  REQUIRE(rotations.ok());
  REQUIRE(rotations->size() == 1);
  CHECK(rotations->at(0).actor == "cron");
}

TEST_CASE("the in-memory log is bounded and stays verifiable; key.expired is logged once", "[registry]") {
  Registry reg(testing::fixed_hasher(), keys::TypeTable::Defaults(), registry::make_memory_store(40));
  auto a = reg.create(R"({"name": "x", "type": "production", "permissions": [], "expiration": "2025-06-02T00:00:00Z"})",
                      kNow, "admin");
  std::string key(a->key.reveal());
  for (int i = 0; i < 100; ++i) reg.verify(key, need({}), kNow + i * 1000).value();
  auto all = reg.logs({"", {}, 1000});
  CHECK(all->size() == 40);
  auto report = reg.verify_chain();
  CHECK(report->ok);
  CHECK(report->from_seq > 1);
  CHECK(report->from_seq + report->checked - 1 == all->back().seq);
  auto tampered = *all;
  tampered[3].actor = "someone else";
  CHECK_FALSE(audit::verify_chain(tampered).ok);
  // Expired: logged once, however often the key is presented afterwards.
  const time::Millis after = *time::parse_timestamp("2025-06-02T00:00:00Z");
  for (int i = 0; i < 3; ++i) CHECK(reg.verify(key, need({}), after + i)->code == Code::kExpired);
  auto expired = reg.logs({a->record.id, {"key.expired"}, 10});
  REQUIRE(expired->size() == 1);
  CHECK(expired->front().actor == "system");
  CHECK(reg.get(a->record.id)->expiry_logged);
}

TEST_CASE("actors and reasons are checked text: they end up in the audit log", "[registry]") {
  Registry reg = make();
  auto a = reg.create(kSeed, kNow, "admin");
  const std::string bad_utf8 = "admin\xff";
  CHECK(reg.create(kSeed, kNow, bad_utf8).code() == Code::kInvalidRequest);
  CHECK(reg.create(kSeed, kNow, std::string(129, 'a')).code() == Code::kInvalidRequest);
  CHECK(reg.create(kSeed, kNow, "ad\nmin").code() == Code::kInvalidRequest);
  CHECK(reg.create(kSeed, kNow, "admin:\xc3\xa9lodie").ok());  // UTF-8 is fine
  VerifyContext c = need({});
  c.actor = "\xed\xa0\x80";  // an encoded surrogate (what a lone surrogate becomes)
  CHECK(reg.verify(std::string(a->key.reveal()), c, kNow).code() == Code::kInvalidRequest);
  CHECK(reg.revoke(a->record.id, "\xc0\xaf", kNow, "admin").code() == Code::kInvalidRequest);  // overlong
  CHECK(reg.rotate(a->record.id, kHour, {}, false, kNow, bad_utf8).code() == Code::kInvalidRequest);
  CHECK(reg.emergency_revoke(a->record.id, "x", true, kNow, bad_utf8).code() == Code::kInvalidRequest);
  CHECK(reg.verify_chain()->ok);
}

TEST_CASE("restricted keys can require requests signed with their own id (RFC 9421)", "[registry][signing]") {
  auto table = keys::TypeTable::Create(R"({"restricted": {"requires_signed_requests": true}})");
  REQUIRE(table.ok());
  CHECK(table->get(keys::KeyType::kRestricted).requires_signed_requests);
  CHECK_FALSE(table->get(keys::KeyType::kProduction).requires_signed_requests);
  CHECK(keys::TypeTable::Create(R"({"restricted": {"requires_signed_requests": "yes"}})").code() == Code::kInvalidRequest);
  Registry reg(testing::fixed_hasher(), *table, nullptr, keys::deterministic_random("signed"));
  auto parent = reg.create(kSeed, kNow, "admin");
  REQUIRE(parent.ok());
  auto child = reg.create(R"({"name": "c", "type": "restricted", "service": "ledger", "permissions": ["payments"],
                               "parentKeyId": ")" + parent->record.id + "\"}", kNow, "admin");
  REQUIRE(child.ok());
  const std::string key(child->key.reveal());
  const std::string& id = child->record.id;

  // The service signs with a secret tied to the key's id and sends the key beside it.
  auto signer = signing::SigningKey::Generate(id, signing::Algorithm::kHmacSha256);
  REQUIRE(signer.ok());
  const std::string auth = "Bearer " + key;
  signing::Message m;
  m.method = "POST";
  m.target_uri = "https://ledger.example/v1/entries";
  m.headers = {{"Authorization", auth}};
  m.body = std::string_view("{}");
  auto s = signing::sign(m, *signer, {}, kNow);
  REQUIRE(s.ok());
  for (const auto& [n, v] : s->headers) m.headers.push_back({n, v});
  signing::KeyRing ring;
  ring.add(signer->verifying_key());
  signing::Verification v = signing::verify(m, ring, {}, nullptr, kNow);
  REQUIRE(v.valid);
  CHECK(v.signer() == id);

  VerifyContext ctx;
  ctx.service = "ledger";
  CHECK(reg.verify(key, ctx, kNow)->code == Code::kSignatureInvalid);  // unsigned
  ctx.signed_by = std::string(v.signer());
  CHECK(reg.verify(key, ctx, kNow)->code == Code::kValid);
  ctx.signed_by = parent->record.id;  // signed, but by another key
  CHECK(reg.verify(key, ctx, kNow)->code == Code::kSignatureInvalid);
  // A failed verification names no signer.
  m.body = std::string_view("{ }");
  CHECK(signing::verify(m, ring, {}, nullptr, kNow).signer().empty());
  // Production keys are not affected by the restricted policy.
  CHECK(reg.verify(std::string(parent->key.reveal()), need({}), kNow)->code == Code::kValid);
  // The refusal is in the audit log like any other.
  auto logs = reg.logs({id, {"key.verification_failed"}, 10});
  REQUIRE(logs.ok());
  CHECK(logs->size() == 2);
}
