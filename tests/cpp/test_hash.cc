#include <sodium.h>

#include <catch2/catch.hpp>
#include <cctype>
#include <string>
#include <vector>

#include "finfusion/hash.h"
#include "finfusion/key.h"

using namespace finfusion::hashing;
using finfusion::Code;
using finfusion::SecretBytes;

namespace {
SecretBytes pepper(char fill) { return SecretBytes::FromView(std::string(32, fill)); }

Hasher hasher(const char* current) {
  auto h = Hasher::Create({{"p1", pepper('1')}, {"p2", pepper('2')}}, current);
  REQUIRE(h.ok());
  return *h;
}

std::string key() {
  return std::string(finfusion::keys::generate(finfusion::keys::KeyType::kProduction)->reveal());
}
}  // namespace

TEST_CASE("hash, verify, needs_rehash", "[hash]") {
  Hasher h1 = hasher("p1");
  std::string k = key();
  auto stored = h1.hash(k);
  REQUIRE(stored.ok());
  CHECK(stored->rfind("ffk$1$hs256$p1$", 0) == 0);
  CHECK(stored->size() == 15 + 43);
  CHECK(stored->find(k) == std::string::npos);
  CHECK(*h1.verify(k, *stored));
  CHECK_FALSE(*h1.needs_rehash(*stored));
  CHECK_FALSE(*h1.verify(key(), *stored));
  // A hasher whose current pepper moved on still verifies, and asks for a rehash.
  Hasher h2 = hasher("p2");
  CHECK(*h2.verify(k, *stored));
  CHECK(*h2.needs_rehash(*stored));
  auto rehashed = h2.hash(k);
  CHECK(*h2.verify(k, *rehashed));
  CHECK_FALSE(*h2.needs_rehash(*rehashed));
  CHECK(*rehashed != *stored);
  auto parts = parse_stored(*rehashed);
  REQUIRE(parts.ok());
  CHECK(parts->pepper_id == "p2");
  CHECK(parts->algorithm == "hs256");
}

TEST_CASE("keyed BLAKE2b hashes keep verifying and ask to be rehashed with HMAC-SHA256", "[hash]") {
  std::vector<std::pair<std::string, SecretBytes>> peppers;
  peppers.emplace_back("p1", pepper('1'));
  Hasher old_style = *Hasher::Create(std::move(peppers), "p1", "b2b256");
  CHECK(old_style.algorithm() == "b2b256");
  Hasher h = hasher("p1");
  CHECK(h.algorithm() == "hs256");
  const std::string k = key();
  const std::string stored = *old_style.hash(k);
  CHECK(stored.rfind("ffk$1$b2b256$p1$", 0) == 0);
  CHECK_FALSE(*old_style.needs_rehash(stored));
  CHECK(*h.verify(k, stored));
  CHECK(*h.needs_rehash(stored));
  CHECK(*old_style.verify(k, *h.hash(k)));
  CHECK(*old_style.needs_rehash(*h.hash(k)));
  std::vector<std::pair<std::string, SecretBytes>> again;
  again.emplace_back("p1", pepper('1'));
  CHECK(Hasher::Create(std::move(again), "p1", "sha1").code() == Code::kInvalidRequest);
}

TEST_CASE("the stored digest is HMAC-SHA256 of the whole key under the pepper", "[hash]") {
  Hasher h = hasher("p1");
  SecretBytes p = pepper('1');
  for (int i = 0; i < 500; ++i) {
    std::string k(finfusion::keys::generate(finfusion::keys::KeyType::kProduction)->reveal());
    unsigned char digest[32];
    crypto_auth_hmacsha256_state s;
    crypto_auth_hmacsha256_init(&s, p.data(), 32);
    crypto_auth_hmacsha256_update(&s, reinterpret_cast<const unsigned char*>(k.data()), k.size());
    crypto_auth_hmacsha256_final(&s, digest);
    char b64[64];
    sodium_bin2base64(b64, sizeof b64, digest, 32, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    REQUIRE(*h.hash(k) == std::string("ffk$1$hs256$p1$") + b64);
    REQUIRE(*h.verify(k, std::string("ffk$1$hs256$p1$") + b64));
  }
}

TEST_CASE("the stored digest is keyed BLAKE2b-256 of the whole key", "[hash]") {
  // Many keys, so that the hasher's own base64url writer meets all 64 digits in every
  // position and is checked against libsodium's.
  std::vector<std::pair<std::string, SecretBytes>> peppers;
  peppers.emplace_back("p1", pepper('1'));
  Hasher h = *Hasher::Create(std::move(peppers), "p1", "b2b256");
  SecretBytes p = pepper('1');
  for (int i = 0; i < 500; ++i) {
    std::string k(finfusion::keys::generate(finfusion::keys::KeyType::kProduction)->reveal());
    unsigned char digest[32];
    crypto_generichash(digest, 32, reinterpret_cast<const unsigned char*>(k.data()), k.size(), p.data(), 32);
    char b64[64];
    sodium_bin2base64(b64, sizeof b64, digest, 32, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    REQUIRE(*h.hash(k) == std::string("ffk$1$b2b256$p1$") + b64);
    REQUIRE(*h.verify(k, std::string("ffk$1$b2b256$p1$") + b64));
  }
}

TEST_CASE("only well-formed keys are hashed; malformed ones match nothing", "[hash]") {
  Hasher h = hasher("p1");
  std::string k = key();
  std::string stored = *h.hash(k);
  std::string broken = k;
  broken.back() = broken.back() == 'a' ? 'b' : 'a';
  CHECK(h.hash(broken).code() == Code::kBadChecksum);
  CHECK(h.hash("").code() == Code::kMalformedKey);
  auto r = h.verify(broken, stored);
  REQUIRE(r.ok());
  CHECK_FALSE(*r);
}

TEST_CASE("peppers are checked before they reach libsodium", "[hash]") {
  CHECK(Hasher::Create({}, "p1").code() == Code::kInvalidRequest);
  for (std::size_t n : {0u, 16u, 31u, 33u, 64u}) {
    auto r = Hasher::Create({{"p1", SecretBytes::FromView(std::string(n, 'x'))}}, "p1");
    CHECK(r.code() == Code::kInvalidRequest);
    CHECK_THAT(r.status().message(), Catch::Contains("exactly 32 bytes"));
  }
  CHECK(Hasher::Create({{"p1", pepper('1')}}, "p9").code() == Code::kInvalidRequest);
  CHECK(Hasher::Create({{"p 1", pepper('1')}}, "p 1").code() == Code::kInvalidRequest);
  CHECK(Hasher::Create({{std::string(33, 'p'), pepper('1')}}, std::string(33, 'p')).code() ==
        Code::kInvalidRequest);
  CHECK(Hasher::Create({{"p1", pepper('1')}, {"p1", pepper('2')}}, "p1").code() ==
        Code::kInvalidRequest);
  // Messages never show pepper bytes.
  auto r = Hasher::Create({{"p1", SecretBytes::FromView("SUPERSECRETPEPPER")}}, "p1");
  CHECK(r.status().message().find("SUPERSECRET") == std::string::npos);
}

TEST_CASE("stored strings are parsed strictly", "[hash]") {
  Hasher h = hasher("p1");
  std::string k = key();
  std::string stored = *h.hash(k);
  std::string digest = stored.substr(15);
  for (const std::string& bad :
       {std::string(""), std::string("ffk$1$b2b256$p1"), "ffk$2$b2b256$p1$" + digest,
        "ffk$1$sha256$p1$" + digest, "xxx$1$b2b256$p1$" + digest, "ffk$1$b2b256$$" + digest,
        "ffk$1$b2b256$p1$" + digest + "A", "ffk$1$b2b256$p1$" + digest.substr(1),
        "ffk$1$b2b256$p1$" + digest.substr(1) + "=", "ffk$1$b2b256$p1$" + digest + "$x",
        std::string(200, '$')}) {
    INFO(bad);
    CHECK(h.verify(k, bad).code() == Code::kInvalidRequest);
    CHECK(h.needs_rehash(bad).code() == Code::kInvalidRequest);
  }
  CHECK(h.verify(k, "ffk$1$b2b256$p7$" + digest).code() == Code::kPreconditionFailed);
}

TEST_CASE("a stored digest takes exactly the base64url characters, at every position", "[hash]") {
  Hasher h = hasher("p1");
  const std::string k = key();
  const std::string stored = *h.hash(k);
  const std::size_t at = stored.rfind('$') + 1;
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (std::size_t i = at; i < stored.size(); ++i) {
    for (int c = 0; c < 256; ++c) {
      std::string s = stored;
      s[i] = static_cast<char>(c);
      INFO("position " << i - at << ", byte " << c);
      const bool b64 = alphabet.find(static_cast<char>(c)) != std::string::npos;
      auto verified = h.verify(k, s);
      REQUIRE(verified.ok() == b64);  // a digest with any other byte is refused, not compared
      if (b64) CHECK(*verified == (s == stored));
    }
  }
}

namespace {
// The stored form as the documentation gives it, read the plain way (split on '$', then each
// field in order): what parse_stored must agree with, whichever way it reads a form.
std::string model_error(const std::string& stored) {
  if (stored.size() > kMaxStoredLength) return "too long";
  std::vector<std::string> fields(1);
  for (char c : stored) {
    if (c == '$') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  if (fields.size() > 5) return "too many '$'-separated fields";
  if (fields.size() < 5) return "expected ffk$1$<algorithm>$<pepper id>$<digest>";
  if (fields[0] != "ffk") return "unknown scheme";
  if (fields[1] != "1") return "unsupported scheme version";
  if (fields[2] != "hs256" && fields[2] != "b2b256") return "unknown algorithm";
  if (!is_valid_pepper_id(fields[3])) return "bad pepper id";
  if (fields[4].size() != 43) return "digest has the wrong length";
  for (char c : fields[4]) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return "digest is not base64url";
  }
  return "";
}
}  // namespace

TEST_CASE("a stored form reads as its fields say, with any byte anywhere, under either algorithm", "[hash]") {
  const std::string k = key();
  for (const char* algorithm : {"hs256", "b2b256"}) {
    auto h = Hasher::Create({{"p1", pepper('1')}, {"pepper_2-B", pepper('2')}}, "pepper_2-B", algorithm);
    REQUIRE(h.ok());
    const std::string stored = *h->hash(k);
    std::vector<std::string> forms;
    for (std::size_t i = 0; i < stored.size(); ++i) {
      for (int c = 0; c < 256; ++c) {
        std::string s = stored;
        s[i] = static_cast<char>(c);
        forms.push_back(s);
      }
      forms.push_back(stored.substr(0, i) + stored.substr(i + 1));  // one byte fewer
      forms.push_back(stored.substr(0, i) + "$" + stored.substr(i));  // one '$' more
    }
    forms.push_back(stored + std::string(128 - stored.size(), 'A'));
    forms.push_back(stored + std::string(129 - stored.size(), 'A'));
    for (const std::string& s : forms) {
      INFO(s);
      const std::string expected = model_error(s);
      auto parsed = parse_stored(s);
      REQUIRE(parsed.ok() == expected.empty());
      if (parsed.ok()) {
        CHECK(s.substr(0, 6 + parsed->algorithm.size() + 1 + parsed->pepper_id.size() + 1) ==
              "ffk$1$" + parsed->algorithm + "$" + parsed->pepper_id + "$");
      } else {
        CHECK(parsed.code() == Code::kInvalidRequest);
        CHECK(parsed.status().message() == "not a stored key hash: " + expected);
      }
    }
  }
}
