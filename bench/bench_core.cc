// Native figures for the core's hot calls (printed, never asserted). `make bench`.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unordered_map>
#include <vector>

#include "finfusion/audit.h"
#include "finfusion/hash.h"
#include "finfusion/key.h"
#include "finfusion/registry.h"
#include "finfusion/scope.h"
#include "finfusion/signing.h"
#include "finfusion/store.h"
#include "finfusion/time.h"
#include "finfusion/webhooks.h"
#include "internal/sha256.h"

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

// The physical floor: one compression of each hash, as a hash of a message that fits one
// block (55 bytes for SHA-256, 100 for BLAKE2b; the padding and output are in the figure).
// SHA-256 on the SHA extensions (Arg 0, when the CPU has them), our portable C++ (1: other
// CPUs and WebAssembly) and libsodium's portable C (2, the implementation the tests hold both to).
void BM_floor_sha256_block(benchmark::State& state) {
  const std::string message(55, 'k');
  if (state.range(0) == 2) {
    unsigned char out[crypto_hash_sha256_BYTES];
    for (auto _ : state) {
      crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(message.data()), message.size());
      benchmark::DoNotOptimize(out);
    }
    state.SetLabel("libsodium");
    return;
  }
  const bool portable = state.range(0) == 1;
  for (auto _ : state) benchmark::DoNotOptimize(finfusion::internal::sha256(message, portable));
  state.SetLabel(portable ? "portable" : finfusion::internal::sha256_in_hardware() ? "sha-ni" : "portable (no sha-ni)");
}
BENCHMARK(BM_floor_sha256_block)->Arg(0)->Arg(1)->Arg(2);

void BM_floor_blake2b_block(benchmark::State& state) {
  const std::string message(100, 'k');
  unsigned char out[32];
  for (auto _ : state) {
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(message.data()), message.size(), nullptr, 0);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_floor_blake2b_block);

// The hashing no registry verification can do without, and nothing else: the key's
// HMAC-SHA256 under the pepper's absorbed pads (its stored form, three compressions) and the
// seal of its key.accessed event into the audit chain (BLAKE2b of the event as
// BM_registry_verify writes it, each seal following the last). BM_registry_verify less this
// is the rest of its work: parse, lookup, decision, rate limit, usage and the event's fields.
void BM_floor_verify_hashes(benchmark::State& state) {
  const std::string& key = sample_key();
  const finfusion::internal::HmacSha256Key pepper(std::string(32, '\x01'));
  finfusion::audit::Event e;
  e.seq = finfusion::registry::kDefaultMaxEvents + 1;
  e.at = 1748779200000;
  e.type = finfusion::audit::kKeyAccessed;
  e.key_id = finfusion::keys::inspect(key).id;
  e.actor = "key:" + e.key_id;
  e.outcome = "valid";
  e.details = "{}";
  finfusion::audit::Digest previous{};
  unsigned char tag[32];
  for (auto _ : state) {
    pepper.tag(key, tag);
    benchmark::DoNotOptimize(tag);
    previous = finfusion::audit::chain_digest(e, previous);
    benchmark::DoNotOptimize(previous);
  }
}
BENCHMARK(BM_floor_verify_hashes);

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
  finfusion::registry::Decision d;  // reused, as the bindings do: nothing is allocated per call
  // Steady state, as in a service that has run for a while: the audit log's ring is full, so
  // each event takes the place of the oldest (filling it allocates and faults pages in).
  for (std::size_t i = 0; i <= finfusion::registry::kDefaultMaxEvents; ++i) {
    if (!reg.verify(key, ctx, now, d).ok()) state.SkipWithError("verification failed");
  }
  auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    finfusion::Status s = reg.verify(key, ctx, now, d);
    if (!s.ok() || !d.valid) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(d);
  }
  std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
  double per_verify = took.count() / static_cast<double>(state.iterations());
  state.counters["verify_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()),
                                                      benchmark::Counter::kIsRate);
  state.counters["x_keyed_blake2b"] = per_verify / keyed_blake2b_ns(key, 200000);
}
BENCHMARK(BM_registry_verify);

// The process's resident memory, in bytes (Linux: /proc/self/statm).
double resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  long pages = 0, resident = 0;
  const int read = std::fscanf(f, "%ld %ld", &pages, &resident);
  std::fclose(f);
  return read == 2 ? static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) : 0;
}

// The decision alone, as the issue's native target lists it: parse and checksum the key, look
// its record up (hashed by id), check the stored hash, then status, environment and scopes.
// No rate limit, usage or audit event: BM_registry_verify adds those.
void BM_verify_decision(benchmark::State& state) {
  auto table = finfusion::keys::TypeTable::Create(R"({})");
  finfusion::registry::Registry reg(sample_hasher(), *table);
  auto created = reg.create(R"({"name": "bench", "type": "production", "permissions": ["payments"]})",
                            1748779200000, "bench");
  const std::string key(created->key.reveal());
  const finfusion::registry::KeyRecord record = created->record;
  const std::unordered_map<std::string_view, const finfusion::registry::KeyRecord*> records = {{record.id, &record}};
  const std::string environment = "production";
  const finfusion::scopes::Scope required = *finfusion::scopes::Scope::Create("payments:charge");
  for (auto _ : state) {
    const finfusion::keys::KeyView view = finfusion::keys::inspect(key);
    auto found = records.find(view.id);
    bool allowed = view.code == finfusion::Code::kValid && found != records.end();
    if (allowed) {
      const finfusion::registry::KeyRecord& r = *found->second;
      allowed = *sample_hasher().verify(view, key, r.stored_hash) && r.status == finfusion::registry::KeyStatus::kActive &&
                finfusion::keys::environment_name(r.environment()) == environment &&
                finfusion::scopes::allows(r.scopes, required);
    }
    if (!allowed) state.SkipWithError("refused");
  }
}
BENCHMARK(BM_verify_decision);

// Verification among many keys: an in-memory registry of state.range(0) keys (the issue's
// 1,000 and 1,000,000), each verification of another one of 4,096 keys spread across it.
// Reports the registry's memory per key (the resident memory its keys added, the audit log
// and usage included) and verifications per second, to set beside BM_registry_verify.
void BM_registry_verify_keys(benchmark::State& state) {
  auto table = finfusion::keys::TypeTable::Create(
      R"({"production": {"rate_limit": {"requests": 1000000000, "window": "1s"}}})");
  const auto count = static_cast<std::size_t>(state.range(0));
  const finfusion::time::Millis now = 1748779200000;
  const double before = resident_bytes();
  finfusion::registry::Registry reg(sample_hasher(), *table);
  std::vector<std::string> sample;
  const std::size_t every = std::max<std::size_t>(count / 4096, 1);
  for (std::size_t i = 0; i < count; ++i) {
    auto created = reg.create(R"({"name": "bench", "type": "production", "permissions": ["payments"]})", now, "bench");
    if (!created.ok()) {
      state.SkipWithError("create failed");
      return;
    }
    if (i % every == 0) sample.emplace_back(created->key.reveal());
  }
  const double added = resident_bytes() - before;
  finfusion::registry::VerifyContext ctx;
  ctx.required = {"payments:charge"};
  std::size_t next = 0;
  finfusion::registry::Decision d;
  for (auto _ : state) {
    finfusion::Status s = reg.verify(sample[next], ctx, now, d);
    if (!s.ok() || !d.valid) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(d);
    next = (next + 1) % sample.size();
  }
  state.counters["verify_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()),
                                                      benchmark::Counter::kIsRate);
  state.counters["bytes_per_key"] = added / static_cast<double>(count);
  state.counters["registry_MB"] = added / 1e6;
}
BENCHMARK(BM_registry_verify_keys)->Arg(1000)->Arg(1000000)->Iterations(2000000);

// The same verification through a persistent store. Held back (the default): records cached
// until another writer commits, accesses written in batches. Write-through (flush_every = 0):
// one transaction per verification with its reads, its usage counters and its audit event.
void verify_through_store(benchmark::State& state, const std::string& url, std::size_t flush_every,
                          bool cache_records = true) {
  finfusion::registry::StoreOptions options;
  options.flush_every = flush_every;
  options.cache_records = cache_records;
  auto store = finfusion::registry::open_store(url, options);
  if (!store.ok()) {
    state.SkipWithError(store.status().message().c_str());
    return;
  }
  auto table = finfusion::keys::TypeTable::Create(
      R"({"production": {"rate_limit": {"requests": 1000000000, "window": "1s"}}})");
  finfusion::registry::Registry reg(sample_hasher(), *table, std::move(*store));
  auto created = reg.create(R"({"name": "bench", "type": "production", "permissions": ["payments"]})",
                            1748779200000, "bench");
  std::string key(created->key.reveal());
  finfusion::registry::VerifyContext ctx;
  ctx.required = {"payments:charge"};
  for (auto _ : state) {
    auto d = reg.verify(key, ctx, 1748779200000);
    if (!d.ok() || !d->valid) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(d);
  }
  state.counters["verify_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()),
                                                      benchmark::Counter::kIsRate);
}

void verify_through_sqlite(benchmark::State& state, std::size_t flush_every, bool cache_records = true) {
  char dir[] = "/tmp/finfusion-bench-XXXXXX";
  if (mkdtemp(dir) == nullptr) {
    state.SkipWithError("no temp dir");
    return;
  }
  const std::string path = std::string(dir) + "/keys.db";
  verify_through_store(state, "sqlite:" + path, flush_every, cache_records);
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  rmdir(dir);
}

// PostgreSQL: the server in FINFUSION_TEST_POSTGRES (`make bench` starts a throwaway one).
void verify_through_postgres(benchmark::State& state, std::size_t flush_every, bool cache_records = true) {
  const char* url = std::getenv("FINFUSION_TEST_POSTGRES");
  if (url == nullptr || *url == '\0') {
    state.SkipWithError("FINFUSION_TEST_POSTGRES is not set");
    return;
  }
  verify_through_store(state, url, flush_every, cache_records);
}

// "no_cache": a record lookup in the database on every verification (cache_records false).
void BM_registry_verify_sqlite(benchmark::State& state) { verify_through_sqlite(state, 1024); }
void BM_registry_verify_sqlite_no_cache(benchmark::State& state) { verify_through_sqlite(state, 1024, false); }
void BM_registry_verify_sqlite_write_through(benchmark::State& state) { verify_through_sqlite(state, 0); }
void BM_registry_verify_postgresql(benchmark::State& state) { verify_through_postgres(state, 1024); }
void BM_registry_verify_postgresql_no_cache(benchmark::State& state) { verify_through_postgres(state, 1024, false); }
void BM_registry_verify_postgresql_write_through(benchmark::State& state) { verify_through_postgres(state, 0); }
BENCHMARK(BM_registry_verify_sqlite);
BENCHMARK(BM_registry_verify_sqlite_no_cache);
BENCHMARK(BM_registry_verify_sqlite_write_through);
BENCHMARK(BM_registry_verify_postgresql);
BENCHMARK(BM_registry_verify_postgresql_no_cache);
BENCHMARK(BM_registry_verify_postgresql_write_through);

// ---- Request signing: the issue's typical request (method, target URI, four headers, a
// 1 KiB JSON body whose Content-Digest the signer adds and the verifier checks).

struct TypicalRequest {
  std::string body = "{\"data\":\"" + std::string(1013, 'x') + "\"}";
  std::vector<std::pair<std::string, std::string>> headers = {
      {"Host", "api.finfusion.example"},
      {"Content-Type", "application/json"},
      {"Authorization", "Bearer prod_EnqIrqy2roi4qe8B_phPgxLdgHFjpBZJfuHYfyr6RNJ6cO3nMVjDUiyy7CZR3u29HZ"},
      {"X-Request-Id", "req-7f2c"}};
  finfusion::signing::Message message() const {
    finfusion::signing::Message m;
    m.method = "POST";
    m.target_uri = "https://api.finfusion.example/v1/payments?currency=EUR";
    for (const auto& [n, v] : headers) m.headers.push_back({n, v});
    m.body = body;
    return m;
  }
};

finfusion::signing::SigningKey bench_key(finfusion::signing::Algorithm algorithm) {
  return *finfusion::signing::SigningKey::Generate("key_01HZXSIGN", algorithm);
}

// One signer and one verifier round: sign, attach the three headers, verify (digest included).
void BM_sign_verify_pair(benchmark::State& state) {
  const auto algorithm = static_cast<finfusion::signing::Algorithm>(state.range(0));
  const finfusion::signing::SigningKey key = bench_key(algorithm);
  finfusion::signing::KeyRing ring;
  ring.add(key.verifying_key());
  const TypicalRequest request;
  const finfusion::signing::Message base = request.message();
  const finfusion::time::Millis now = 1767225600000;
  for (auto _ : state) {
    auto s = finfusion::signing::sign(base, key, {}, now);
    finfusion::signing::Message received = base;
    for (const auto& [n, v] : s->headers) received.headers.push_back({n, v});
    auto v = finfusion::signing::verify(received, ring, {}, nullptr, now);
    if (!v.valid) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(v);
  }
  state.SetLabel(std::string(finfusion::signing::algorithm_name(algorithm)));
}
BENCHMARK(BM_sign_verify_pair)->Arg(0)->Arg(1);

void BM_sign(benchmark::State& state) {
  const auto algorithm = static_cast<finfusion::signing::Algorithm>(state.range(0));
  const finfusion::signing::SigningKey key = bench_key(algorithm);
  const TypicalRequest request;
  const finfusion::signing::Message base = request.message();
  for (auto _ : state) benchmark::DoNotOptimize(finfusion::signing::sign(base, key, {}, 1767225600000));
  state.SetLabel(std::string(finfusion::signing::algorithm_name(algorithm)));
}
BENCHMARK(BM_sign)->Arg(0)->Arg(1);

void BM_verify_signed(benchmark::State& state) {
  const auto algorithm = static_cast<finfusion::signing::Algorithm>(state.range(0));
  const finfusion::signing::SigningKey key = bench_key(algorithm);
  finfusion::signing::KeyRing ring;
  ring.add(key.verifying_key());
  const TypicalRequest request;
  auto s = finfusion::signing::sign(request.message(), key, {}, 1767225600000);
  finfusion::signing::Message received = request.message();
  for (const auto& [n, v] : s->headers) received.headers.push_back({n, v});
  for (auto _ : state) benchmark::DoNotOptimize(finfusion::signing::verify(received, ring, {}, nullptr, 1767225600000));
  state.SetLabel(std::string(finfusion::signing::algorithm_name(algorithm)));
}
BENCHMARK(BM_verify_signed)->Arg(0)->Arg(1);

// Ed25519 sign + verify of a 300-byte signature base: ours (libsodium, Arg 0) beside OpenSSL's
// EVP interface (Arg 1), the library an OpenSSL-based peer would use.
void BM_ed25519_pair(benchmark::State& state) {
  const std::string base(300, 'b');
  if (state.range(0) == 0) {
    const auto key = bench_key(finfusion::signing::Algorithm::kEd25519);
    const auto verifier = key.verifying_key();
    for (auto _ : state) {
      const std::string sig = key.sign(base);
      if (!verifier.verify(base, sig)) state.SkipWithError("verification failed");
    }
    state.SetLabel("libsodium");
    return;
  }
  EVP_PKEY* pkey = nullptr;
  EVP_PKEY_CTX* gen = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
  if (gen == nullptr || EVP_PKEY_keygen_init(gen) != 1 || EVP_PKEY_keygen(gen, &pkey) != 1) {
    state.SkipWithError("OpenSSL key generation failed");
    EVP_PKEY_CTX_free(gen);
    return;
  }
  EVP_PKEY_CTX_free(gen);
  const auto* data = reinterpret_cast<const unsigned char*>(base.data());
  unsigned char sig[64];
  for (auto _ : state) {
    EVP_MD_CTX* sign = EVP_MD_CTX_new();
    std::size_t length = sizeof sig;
    const bool signed_ok = EVP_DigestSignInit(sign, nullptr, nullptr, nullptr, pkey) == 1 &&
                           EVP_DigestSign(sign, sig, &length, data, base.size()) == 1;
    EVP_MD_CTX_free(sign);
    EVP_MD_CTX* verify = EVP_MD_CTX_new();
    const bool verified = signed_ok && EVP_DigestVerifyInit(verify, nullptr, nullptr, nullptr, pkey) == 1 &&
                          EVP_DigestVerify(verify, sig, length, data, base.size()) == 1;
    EVP_MD_CTX_free(verify);
    if (!verified) state.SkipWithError("OpenSSL verification failed");
  }
  EVP_PKEY_free(pkey);
  state.SetLabel("openssl");
}
BENCHMARK(BM_ed25519_pair)->Arg(0)->Arg(1);

void BM_content_digest_1k(benchmark::State& state) {
  const TypicalRequest request;
  for (auto _ : state) benchmark::DoNotOptimize(finfusion::signing::content_digest(request.body));
}
BENCHMARK(BM_content_digest_1k);

void BM_webhook_sign_verify(benchmark::State& state) {
  const auto secret = *finfusion::webhooks::Secret::Generate();
  const std::vector<finfusion::webhooks::Secret> secrets{secret};
  const TypicalRequest request;
  for (auto _ : state) {
    auto sig = finfusion::webhooks::sign(secret, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", 1767225600, request.body);
    auto v = finfusion::webhooks::verify(secrets, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", "1767225600", *sig, request.body,
                                         1767225600000);
    if (!v.valid) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_webhook_sign_verify);

}  // namespace

BENCHMARK_MAIN();
