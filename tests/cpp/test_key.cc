#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <string>

#include "finfusion/key.h"

using namespace finfusion::keys;
using finfusion::Code;

namespace {
std::string fresh(KeyType type) {
  auto k = generate(type);
  REQUIRE(k.ok());
  return std::string(k->reveal());
}
}  // namespace

TEST_CASE("generated keys have the documented shape", "[key]") {
  for (KeyType type : kAllTypes) {
    auto k = generate(type);
    REQUIRE(k.ok());
    std::string text(k->reveal());
    std::string prefix(type_prefix(type));
    CHECK(text.size() == prefix.size() + 1 + kIdChars + 1 + kSecretChars + kChecksumChars);
    CHECK(text.rfind(prefix + "_", 0) == 0);
    CHECK(k->id() == text.substr(0, prefix.size() + 1 + kIdChars));
    CHECK(k->type() == type);
    CHECK(check_format(text) == Code::kValid);
    auto parsed = parse(text);
    REQUIRE(parsed.ok());
    CHECK(parsed->id == k->id());
    CHECK(parsed->type == type);
    CHECK(parsed->environment == type_environment(type));
    CHECK(std::regex_search(text, std::regex(std::string(scanner_pattern()))));
  }
}

TEST_CASE("generated keys do not repeat", "[key]") {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) CHECK(seen.insert(fresh(KeyType::kProduction)).second);
}

TEST_CASE("generation is uniform over base62", "[key]") {
  // 2000 keys x 59 random characters: each of 62 digits expected ~1903 times. A broken
  // mapping (b % 62 without rejection over-weights digits 0-7 by 25%) fails this bound.
  std::array<int, 128> counts{};
  for (int i = 0; i < 2000; ++i) {
    std::string k = fresh(KeyType::kDevelopment);
    for (std::size_t j = 4; j < k.size() - kChecksumChars; ++j) {
      if (k[j] != '_') ++counts[static_cast<unsigned char>(k[j])];
    }
  }
  for (char c : std::string("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")) {
    INFO(c);
    CHECK(counts[static_cast<unsigned char>(c)] > 1650);
    CHECK(counts[static_cast<unsigned char>(c)] < 2160);
  }
}

TEST_CASE("every single-character edit is caught", "[key]") {
  std::string key = fresh(KeyType::kProduction);
  const std::string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";
  for (std::size_t i = 0; i < key.size(); ++i) {
    for (char c : alphabet) {
      if (c == key[i]) continue;
      std::string edited = key;
      edited[i] = c;
      INFO(i << " " << c);
      CHECK(check_format(edited) != Code::kValid);
    }
  }
  // dev_ <-> prod_ <-> rest_ with everything else kept: the checksum covers the prefix.
  std::string body = key.substr(4);
  CHECK(check_format("rest" + body) == Code::kBadChecksum);
  CHECK(check_format("dev" + body) == Code::kBadChecksum);
  // Swapping two neighbouring characters is caught too.
  std::string swapped = key;
  std::swap(swapped[30], swapped[31]);
  if (swapped != key) CHECK(check_format(swapped) == Code::kBadChecksum);
}

TEST_CASE("malformed input is rejected, never trimmed or folded", "[key]") {
  std::string key = fresh(KeyType::kDevelopment);
  CHECK(check_format("") == Code::kMalformedKey);
  CHECK(check_format(" " + key) == Code::kMalformedKey);
  CHECK(check_format(key + " ") == Code::kMalformedKey);
  CHECK(check_format(key + "\n") == Code::kMalformedKey);
  CHECK(check_format(key + std::string(1, '\0')) == Code::kMalformedKey);
  std::string with_nul = key;
  with_nul[20] = '\0';
  CHECK(check_format(with_nul) == Code::kMalformedKey);
  CHECK(check_format(key.substr(0, key.size() - 1)) == Code::kMalformedKey);
  CHECK(check_format(key + "A") == Code::kMalformedKey);
  CHECK(check_format(std::string(10000, 'a')) == Code::kMalformedKey);
  // A Cyrillic 'а' (U+0430) standing in for an ASCII character.
  std::string lookalike = key.substr(0, 10) + "\xd0\xb0" + key.substr(11);
  CHECK(check_format(lookalike) == Code::kMalformedKey);
  std::string upper = key;
  upper[0] = 'D';
  CHECK(check_format(upper) == Code::kUnknownPrefix);
  std::string moved = key;
  std::swap(moved[3], moved[4]);  // "dev" + "_" moved one place
  CHECK(check_format(moved) == Code::kMalformedKey);
  CHECK(check_format("xyz_" + key.substr(4)) == Code::kUnknownPrefix);
  CHECK(check_format("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789") == Code::kMalformedKey);
}

TEST_CASE("parse and mask never echo the input", "[key]") {
  std::string key = fresh(KeyType::kRestricted);
  std::string secret = key.substr(key.size() - kSecretChars - kChecksumChars, kSecretChars);
  std::string broken = key;
  broken.back() = broken.back() == 'a' ? 'b' : 'a';
  for (const std::string& input : {broken, key.substr(1), "x" + key}) {
    auto r = parse(input);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message().find(secret) == std::string::npos);
    CHECK(r.status().message().find(secret.substr(0, 8)) == std::string::npos);
  }
  auto m = mask(key);
  REQUIRE(m.ok());
  CHECK(*m == key.substr(0, 21) + "_********");
  CHECK(m->find(secret.substr(0, 4)) == std::string::npos);
  CHECK(mask(broken).code() == Code::kBadChecksum);
}

TEST_CASE("key ids", "[key]") {
  std::string key = fresh(KeyType::kProduction);
  auto id = parse_id(key.substr(0, 21));
  REQUIRE(id.ok());
  CHECK(id->type == KeyType::kProduction);
  CHECK(parse_id(key).code() == Code::kMalformedKey);
  CHECK(parse_id("prod_short").code() == Code::kMalformedKey);
  CHECK(parse_id("").code() == Code::kMalformedKey);
  CHECK(parse_id("live_" + key.substr(5, 16)).code() == Code::kUnknownPrefix);
}

TEST_CASE("deterministic generation from entropy", "[key]") {
  std::string entropy(200, '\x05');
  auto k = generate_from_entropy(KeyType::kDevelopment, entropy);
  REQUIRE(k.ok());
  CHECK(k->id() == "dev_5555555555555555");
  // Bytes >= 248 are skipped.
  std::string skipping = std::string(3, '\xff') + std::string(197, '\x0a');
  CHECK(generate_from_entropy(KeyType::kDevelopment, skipping)->id() == "dev_AAAAAAAAAAAAAAAA");
  CHECK(generate_from_entropy(KeyType::kDevelopment, std::string(63, '\x01')).code() ==
        Code::kInvalidRequest);
  RandomSource failing = [](std::uint8_t*, std::size_t) {
    return finfusion::Status(Code::kInternal, "no randomness");
  };
  CHECK(generate(KeyType::kProduction, failing).code() == Code::kInternal);
}

TEST_CASE("the scanner pattern matches keys and nothing else", "[key]") {
  const std::regex re{std::string(scanner_pattern())};
  for (KeyType type : kAllTypes) {
    std::string key = fresh(type);
    CHECK(std::regex_search("FINFUSION_API_KEY=" + key + "\n", re));
    CHECK(std::regex_search("\"" + key + "\"", re));
    CHECK_FALSE(std::regex_search("x" + key, re));
    CHECK_FALSE(std::regex_search(key + "0", re));
  }
  for (const char* other : {"ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
                            "sk_live_51H8aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRs",
                            "xoxb-1234567890-1234567890-aBcDeFgHiJkLmNoPqRsTuVwX",
                            "AKIAIOSFODNN7EXAMPLE", "prod_3hTq9ZbVw2LkX0aR"}) {
    CHECK_FALSE(std::regex_search(other, re));
  }
}
