// Native figures for the core's hot calls (printed, never asserted). `make bench`.
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <chrono>
#include <string>

#include "finfusion/hash.h"
#include "finfusion/key.h"
#include "finfusion/registry.h"
#include "finfusion/scope.h"
#include "finfusion/time.h"

namespace {

const std::string& sample_key() {
  static const std::string key(finfusion::keys::generate(finfusion::keys::KeyType::kProduction)->reveal());
  return key;
}

const finfusion::hashing::Hasher& sample_hasher() {
  static const finfusion::hashing::Hasher hasher =
      *finfusion::hashing::Hasher::Create({{"p1", *finfusion::random_secret(32)}}, "p1");
  return hasher;
}

void BM_check_format(benchmark::State& state) {
  const std::string& key = sample_key();
  for (auto _ : state) benchmark::DoNotOptimize(finfusion::keys::check_format(key));
}
BENCHMARK(BM_check_format);

void BM_parse(benchmark::State& state) {
  const std::string& key = sample_key();
  for (auto _ : state) benchmark::DoNotOptimize(finfusion::keys::parse(key));
}
BENCHMARK(BM_parse);

void BM_hash(benchmark::State& state) {
  const std::string& key = sample_key();
  for (auto _ : state) benchmark::DoNotOptimize(sample_hasher().hash(key));
}
BENCHMARK(BM_hash);

void BM_verify(benchmark::State& state) {
  const std::string& key = sample_key();
  std::string stored = *sample_hasher().hash(key);
  for (auto _ : state) benchmark::DoNotOptimize(sample_hasher().verify(key, stored));
}
BENCHMARK(BM_verify);

void BM_generate(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(finfusion::keys::generate(finfusion::keys::KeyType::kProduction));
}
BENCHMARK(BM_generate);

void BM_scope_allows(benchmark::State& state) {
  auto granted = *finfusion::scopes::parse({"payments", "kyc:read", "reporting", "!payments:refund"});
  auto required = *finfusion::scopes::Scope::Create("payments:charge");
  for (auto _ : state) benchmark::DoNotOptimize(finfusion::scopes::allows(granted, required));
}
BENCHMARK(BM_scope_allows);

void BM_parse_timestamp(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(finfusion::time::parse_timestamp("2025-12-31T23:59:59.999Z"));
}
BENCHMARK(BM_parse_timestamp);

// The floor the registry's verification is compared with: one keyed BLAKE2b-256 of the key.
void BM_keyed_blake2b(benchmark::State& state) {
  const std::string& key = sample_key();
  unsigned char pepper[32] = {1};
  unsigned char out[32];
  for (auto _ : state) {
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(key.data()), key.size(), pepper, 32);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_keyed_blake2b);

// Nanoseconds per keyed BLAKE2b-256 of `key`, timed here and now (for side-by-side ratios).
double keyed_blake2b_ns(const std::string& key, int rounds) {
  unsigned char pepper[32] = {1};
  unsigned char out[32];
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < rounds; ++i) {
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(key.data()), key.size(), pepper, 32);
    benchmark::DoNotOptimize(out);
  }
  std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
  return took.count() / rounds;
}

// Full verification against the in-memory registry: parse, checksum, lookup, hash check,
// status, scopes, rate limit, usage and the audit event (hash-chained, kept in the store's
// 100,000-event log). The rate limit is lifted so that every iteration takes the valid
// path. Reports verifications per second and the ratio to a bare keyed BLAKE2b of the same
// key, timed in the same run (the issue's floor).
void BM_registry_verify(benchmark::State& state) {
  auto table = finfusion::keys::TypeTable::Create(
      R"({"production": {"rate_limit": {"requests": 1000000000, "window": "1s"}}})");
  finfusion::registry::Registry reg(sample_hasher(), *table);
  auto created = reg.create(R"({"name": "bench", "type": "production", "permissions": ["payments"]})",
                            1748779200000, "bench");
  std::string key(created->key.reveal());
  finfusion::registry::VerifyContext ctx;
  ctx.required = {"payments:charge"};
  ctx.environment = "production";
  finfusion::time::Millis now = 1748779200000;
  auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    auto d = reg.verify(key, ctx, now);
    if (!d.ok() || !d->valid) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(d);
  }
  std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
  double per_verify = took.count() / static_cast<double>(state.iterations());
  state.counters["verify_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()),
                                                      benchmark::Counter::kIsRate);
  state.counters["x_keyed_blake2b"] = per_verify / keyed_blake2b_ns(key, 200000);
}
BENCHMARK(BM_registry_verify);

}  // namespace

BENCHMARK_MAIN();
