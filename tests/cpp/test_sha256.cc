// SHA-256 and HMAC-SHA256 on the SHA extensions (when this CPU has them) and in portable C++
// against libsodium's, NIST's examples, Wycheproof and a million random inputs: the two paths
// must give the same bytes, since stored hashes made on one are verified on the other
// (WebAssembly and CPUs without the extensions run the portable one).
#include <sodium.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <random>
#include <string>

#include "fixtures.h"
#include "internal/sha256.h"

using namespace finfusion;
using internal::HmacSha256Key;

namespace {

std::string hex(const unsigned char* bytes, std::size_t n) {
  std::string out(2 * n + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

std::string tag_of(const HmacSha256Key& key, std::string_view message) {
  unsigned char out[32];
  key.tag(message, out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

// Read by this file's static initialiser, which runs before the library's (it is linked
// first): what a key made at static initialisation would get.
const bool kHardwareSeenEarly = internal::sha256_in_hardware();

}  // namespace

TEST_CASE("SHA-256: the hardware path is found from static initialisers too", "[sha256]") {
  CHECK(kHardwareSeenEarly == internal::sha256_in_hardware());
}

TEST_CASE("SHA-256: NIST's examples on both paths", "[sha256]") {
  INFO("hardware: " << internal::sha256_in_hardware());
  const std::pair<std::string, const char*> examples[] = {
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {std::string(1000000, 'a'), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
  };
  for (const auto& [message, digest] : examples) {
    for (bool portable : {false, true}) {
      const internal::Sha256Digest d = internal::sha256(message, portable);
      CHECK(hex(d.data(), d.size()) == digest);
    }
  }
}

TEST_CASE("HMAC-SHA256 with precomputed pads: Wycheproof on both paths", "[sha256][external]") {
  auto doc = testing::load_external("hmac_sha256_test.json");
  std::size_t checked = 0;
  for (const auto& group : doc.at("testGroups")) {
    const std::size_t tag_bytes = group.at("tagSize").get<std::size_t>() / 8;
    for (const auto& t : group.at("tests")) {
      INFO("tcId " << t.at("tcId"));
      const std::string key = testing::from_hex(t.at("key")), msg = testing::from_hex(t.at("msg"));
      const std::string expected = testing::from_hex(t.at("tag"));
      const bool valid = t.at("result") == "valid";
      for (bool portable : {false, true}) {
        const std::string tag = tag_of(HmacSha256Key(key, portable), msg).substr(0, tag_bytes);
        CHECK((tag == expected) == valid);
      }
      ++checked;
    }
  }
  CHECK(checked >= 150);
}

TEST_CASE("SHA-256 streamed: NIST's long message fed a byte, a block and odd sizes at a time", "[sha256]") {
  const std::string message(1000000, 'a');
  for (bool portable : {false, true}) {
    for (std::size_t step : {std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{65}, std::size_t{1000}}) {
      internal::Sha256 hash(portable);
      for (std::size_t at = 0; at < message.size(); at += step) hash.update(std::string_view(message).substr(at, step));
      unsigned char out[32];
      hash.finish(out);
      CHECK(hex(out, sizeof out) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
  }
}

TEST_CASE("HMAC-SHA256 and SHA-256: a million random inputs against libsodium", "[sha256]") {
  std::mt19937_64 random(20261130);
  std::string key, message;
  for (int i = 0; i < 1000000; ++i) {
    // Keys around the 64-byte block (hashed above it), messages across one to four blocks.
    key.resize(random() % 100);
    message.resize(i % 1000 == 0 ? random() % 4096 : random() % 200);
    for (char& c : key) c = static_cast<char>(random());
    for (char& c : message) c = static_cast<char>(random());
    unsigned char expected[32];
    crypto_auth_hmacsha256_state s;
    crypto_auth_hmacsha256_init(&s, reinterpret_cast<const unsigned char*>(key.data()), key.size());
    crypto_auth_hmacsha256_update(&s, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    crypto_auth_hmacsha256_final(&s, expected);
    unsigned char digest[32];
    if (i % 10 == 0) crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    // The same message in three parts cut at random, for the streamed forms.
    const std::size_t a = message.empty() ? 0 : random() % (message.size() + 1);
    const std::size_t b = a + (message.size() == a ? 0 : random() % (message.size() - a + 1));
    const std::string_view m(message);
    for (bool portable : {false, true}) {
      const HmacSha256Key k(key, portable);
      if (tag_of(k, message) != std::string(reinterpret_cast<char*>(expected), 32)) {
        FAIL("HMAC differs at input " << i << " (key " << key.size() << " bytes, message " << message.size()
                                      << ", portable " << portable << ")");
      }
      if (i % 10 != 0) continue;
      const internal::Sha256Digest d = internal::sha256(message, portable);
      if (std::memcmp(d.data(), digest, 32) != 0) FAIL("SHA-256 differs at input " << i << ", portable " << portable);
      internal::Sha256 streamed(portable);  // buffered across blocks
      for (std::string_view part : {m.substr(0, a), m.substr(a, b - a), m.substr(b)}) streamed.update(part);
      unsigned char out[32];
      streamed.finish(out);
      if (std::memcmp(out, digest, 32) != 0) FAIL("streamed SHA-256 differs at input " << i << ", portable " << portable);
      k.tag({m.substr(0, a), m.substr(a, b - a), m.substr(b)}, out);
      if (std::memcmp(out, expected, 32) != 0) FAIL("HMAC over parts differs at input " << i << ", portable " << portable);
    }
  }
  SUCCEED("a million agree");
}
