// A walkthrough of the FinFusion Keys core: what `make run` shows until the command line
// and the admin console exist. Each step prints what it did; nothing here is secret except
// the one key revealed at creation, which is how a real key is handed to its owner.
#include <chrono>
#include <cstdio>
#include <string>

#include "finfusion/hash.h"
#include "finfusion/key.h"
#include "finfusion/registry.h"
#include "finfusion/scope.h"
#include "finfusion/time.h"
#include "finfusion/version.h"

namespace fk = finfusion::keys;
namespace ft = finfusion::time;

namespace {

int failures = 0;

void step(const char* title) { std::printf("\n== %s\n", title); }

void expect(bool ok, const char* what) {
  std::printf("  %s %s\n", ok ? "ok  " : "FAIL", what);
  if (!ok) ++failures;
}

}  // namespace

int main() {
  std::printf("FinFusion Keys %s: a walkthrough of the core\n",
              std::string(finfusion::version()).c_str());
  // The core never reads the clock; the shell (this program) does, once.
  const ft::Millis now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  std::printf("now = %s\n", ft::format_timestamp(now)->c_str());

  step("1. Mint a key of each type (the full key is shown once, then only its hash is kept)");
  auto prod = fk::generate(fk::KeyType::kProduction);
  auto dev = fk::generate(fk::KeyType::kDevelopment);
  auto rest = fk::generate(fk::KeyType::kRestricted);
  if (!prod.ok() || !dev.ok() || !rest.ok()) return 1;
  for (const fk::ApiKey* k : {&*prod, &*dev, &*rest}) {
    std::printf("  %-11s id %-22s environment %-10s masked %s\n",
                std::string(fk::type_name(k->type())).c_str(), k->id().c_str(),
                std::string(fk::environment_name(k->environment())).c_str(),
                fk::mask(k->reveal())->c_str());
  }
  const std::string key(prod->reveal());
  std::printf("  revealed once: %s\n", key.c_str());

  step("2. Check keys offline: the checksum catches typos and edited prefixes");
  expect(fk::check_format(key) == finfusion::Code::kValid, "the key as issued is valid");
  std::string typo = key;
  typo[30] = typo[30] == 'x' ? 'y' : 'x';
  expect(fk::check_format(typo) == finfusion::Code::kBadChecksum, "one changed character: bad_checksum");
  expect(fk::check_format("rest" + key.substr(4)) == finfusion::Code::kBadChecksum,
         "prod_ edited into rest_: bad_checksum");
  expect(fk::check_format(" " + key) == finfusion::Code::kMalformedKey,
         "a leading space is not trimmed: malformed_key");
  expect(fk::check_format("ghp_16C7e42F292c6912E7710c838347Ae178B4a") == finfusion::Code::kMalformedKey,
         "another system's token: malformed_key");
  std::printf("  secret-scanner pattern: %s\n", std::string(fk::scanner_pattern()).c_str());

  step("3. Store only a peppered hash; verify in constant time; rotate the pepper");
  auto pepper_a = finfusion::random_secret(finfusion::hashing::kPepperBytes);
  auto pepper_b = finfusion::random_secret(finfusion::hashing::kPepperBytes);
  if (!pepper_a.ok() || !pepper_b.ok()) return 1;
  auto hasher = finfusion::hashing::Hasher::Create({{"2026a", *pepper_a}}, "2026a");
  if (!hasher.ok()) return 1;
  std::string stored = *hasher->hash(key);
  std::printf("  stored form: %s\n", stored.c_str());
  expect(*hasher->verify(key, stored), "the presented key matches its stored hash");
  expect(!*hasher->verify(dev->reveal(), stored),
         "another key does not");
  auto rotated = finfusion::hashing::Hasher::Create({{"2026a", *pepper_a}, {"2026b", *pepper_b}}, "2026b");
  expect(*rotated->verify(key, stored) && *rotated->needs_rehash(stored),
         "after a pepper rotation the old hash still verifies and asks for a rehash");

  step("4. Scopes: the seed's permissions, hierarchy, wildcards, denies");
  auto granted = finfusion::scopes::parse({"payments", "kyc:read", "reporting", "!payments:refund"});
  if (!granted.ok()) return 1;
  for (const char* required : {"payments:charge", "payments:refund", "kyc:read", "kyc:write"}) {
    std::printf("  %-16s -> %s\n", required,
                *finfusion::scopes::allows(*granted, required) ? "allowed" : "refused");
  }
  auto child = finfusion::scopes::parse({"payments:charge", "kyc:read"});
  auto greedy = finfusion::scopes::parse({"payments"});
  expect(finfusion::scopes::is_subset(*child, *granted), "a restricted key with payments:charge, kyc:read fits its parent");
  expect(!finfusion::scopes::is_subset(*greedy, *granted), "one with all of payments would exceed it (refunds are denied)");
  auto upper = finfusion::scopes::parse({"Payments"});
  std::printf("  \"Payments\" -> %s\n", upper.status().to_string().c_str());

  step("5. Time: the seed's durations and date-only expirations");
  auto grace = ft::parse_duration("48h");
  auto expires = ft::parse_until("2025-12-31");
  std::printf("  gracePeriod \"48h\" = %lld ms = %s\n", static_cast<long long>(*grace),
              ft::format_duration(*grace)->c_str());
  std::printf("  expiration \"2025-12-31\" -> valid while now < %s\n",
              ft::format_timestamp(*expires)->c_str());
  std::printf("  \"99999999999h\" -> %s\n", ft::parse_duration("99999999999h").status().to_string().c_str());
  std::printf("  next rotation (90d policy) at %s\n",
              ft::format_timestamp(*ft::add(now, 90 * ft::kDay))->c_str());

  step("6. The lifecycle: the seed's create, verify, rotate with a 48h grace, revoke, the audit log");
  finfusion::registry::Registry reg(*rotated, finfusion::keys::TypeTable::Defaults());
  // The seed's request; without "expiration" the key gets its type's maximum lifetime (the
  // seed's own date, 2025-12-31, is already in the past here and would be refused).
  auto created = reg.create(R"({"name": "Production API Key", "type": "production",
                               "permissions": ["payments", "kyc", "reporting"]})",
                            now, "admin:alice");
  if (!created.ok()) {
    std::printf("  create failed: %s\n", created.status().to_string().c_str());
    return 1;
  }
  std::string issued(created->key.reveal());
  std::printf("  created %s, expires %s\n", created->record.id.c_str(),
              ft::format_timestamp(created->record.expires_at)->c_str());
  finfusion::registry::VerifyContext ctx;
  ctx.required = {"payments:charge"};
  ctx.environment = "production";
  expect(reg.verify(issued, ctx, now)->valid, "verify: valid for payments:charge in production");
  ctx.environment = "sandbox";
  expect(reg.verify(issued, ctx, now)->code == finfusion::Code::kEnvironmentMismatch,
         "the same key in the sandbox: environment_mismatch");
  ctx.environment = "production";
  auto next = reg.rotate(created->record.id, 48 * ft::kHour, {"security@yourcompany.com"}, false, now, "admin:alice");
  if (!next.ok()) return 1;
  std::printf("  rotated to %s; the old key works until %s\n", next->current.id.c_str(),
              ft::format_timestamp(next->previous.grace_until)->c_str());
  expect(reg.verify(issued, ctx, now + 47 * ft::kHour)->in_grace, "the old key 47h later: valid, in its grace window");
  expect(reg.verify(issued, ctx, now + 48 * ft::kHour)->code == finfusion::Code::kExpired,
         "the old key at 48h: expired");
  expect(reg.revoke(next->current.id, "compromised", now + ft::kHour, "admin:bob").ok(), "emergency revoke of the new key");
  expect(reg.verify(std::string(next->key.reveal()), ctx, now + ft::kHour)->code == finfusion::Code::kRevoked,
         "the revoked key: revoked");
  auto logs = reg.logs({"", {}, 100});
  for (const auto& e : *logs) {
    std::printf("  audit #%llu %-24s %-22s %-10s %s\n", static_cast<unsigned long long>(e.seq), e.type.c_str(),
                e.key_id.c_str(), e.outcome.c_str(), e.actor.c_str());
  }
  expect(reg.verify_chain()->ok, "the audit chain verifies");

  std::printf("\n%s\n", failures ? "walkthrough FAILED" : "walkthrough complete");
  return failures ? 1 : 0;
}
