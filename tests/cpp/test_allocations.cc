// The verification hot path allocates nothing: a registry over the in-memory store, verified
// into a Decision the caller keeps (as the bindings do), makes no heap allocation per call
// once its audit log is full and its buffers have grown. Its own executable, because it
// replaces the global operator new to count.
#define CATCH_CONFIG_MAIN
#if defined(__GNUC__) && !defined(__clang__)
// The replacement new below does call malloc: free() is its match, which GCC cannot see.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
#include <catch2/catch.hpp>
#include <cstdlib>
#include <new>
#include <string>

#include "finfusion/hash.h"
#include "finfusion/registry.h"

namespace {
long allocations = 0;
bool counting = false;
}  // namespace

// Under AddressSanitizer, which has its own operator new, nothing is replaced and the test
// is skipped (the release build runs it).
#ifndef __SANITIZE_ADDRESS__
void* operator new(std::size_t size) {
  if (counting) ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif

using namespace finfusion;

TEST_CASE("a verification against the in-memory registry allocates nothing", "[registry][allocations]") {
#ifdef __SANITIZE_ADDRESS__
  WARN("not counted under AddressSanitizer");
  return;
#endif
  std::vector<std::pair<std::string, SecretBytes>> peppers;
  peppers.emplace_back("p1", SecretBytes::FromView(std::string(32, '\x07')));
  auto table = keys::TypeTable::Create(R"({"production": {"rate_limit": {"requests": 1000000000, "window": "1s"}}})");
  registry::Registry reg(*hashing::Hasher::Create(std::move(peppers), "p1"), *table,
                         registry::make_memory_store(1000));
  const time::Millis now = *time::parse_timestamp("2026-01-01T00:00:00Z");
  auto created = reg.create(R"({"name": "k", "type": "production", "permissions": ["payments", "kyc"]})", now, "admin");
  REQUIRE(created.ok());
  const std::string key(created->key.reveal());
  registry::VerifyContext ctx;
  ctx.required = {"payments:charge"};
  ctx.environment = "production";
  registry::Decision d;
  for (int i = 0; i < 2000; ++i) REQUIRE(reg.verify(key, ctx, now, d).ok());  // the log is full
  counting = true;
  for (int i = 0; i < 1000; ++i) {
    if (!reg.verify(key, ctx, now, d).ok() || !d.valid) break;
  }
  counting = false;
  CHECK(d.valid);
  CHECK(d.scopes == std::vector<std::string>{"kyc", "payments"});
  CHECK(allocations == 0);
  // Refusals too, once the log holds events like theirs (an event's storage is reused from
  // the one the log drops, and "key.verification_failed" is longer than "key.accessed").
  const std::string wrong = std::string(key.substr(0, key.size() - 8)) + "AAAAAAAA";
  for (int i = 0; i < 1100; ++i) REQUIRE(reg.verify(wrong, ctx, now, d).ok());
  counting = true;
  for (int i = 0; i < 100; ++i) REQUIRE(reg.verify(wrong, ctx, now, d).ok());
  counting = false;
  CHECK(d.code != Code::kValid);
  CHECK(allocations == 0);
}
