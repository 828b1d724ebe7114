// External vectors (tests/vectors/external, with their licence notes): the CRC-32 and
// base62 primitives of the key checksum, and keyed BLAKE2b through the same libsodium
// calls the hasher makes.
#include <sodium.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "fixtures.h"
#include "internal/base62.h"
#include "internal/crc32.h"

using finfusion::testing::from_hex;
using finfusion::testing::load_external;

TEST_CASE("CRC-32 and base62 against GitHub-style token checksums", "[external]") {
  auto doc = load_external("token_checksum.json");
  // Checksum of the part between the prefix (default "ghp_") and the last six characters.
  auto checksum_ok = [](const std::string& token, std::size_t prefix = 4) {
    std::string random = token.substr(prefix, token.size() - prefix - 6);
    return finfusion::internal::base62_fixed(finfusion::internal::crc32(random), 6) ==
           token.substr(token.size() - 6);
  };
  std::size_t n = 0;
  for (const auto& t : doc.at("valid_tokens")) {
    INFO(t.at("token").get<std::string>());
    std::string entropy = t.at("entropy");
    CHECK(finfusion::internal::crc32(entropy) == t.at("crc32_dec").get<std::uint32_t>());
    CHECK(finfusion::internal::base62_decode(t.at("checksum").get<std::string>()) ==
          t.at("decoded_checksum").get<std::uint64_t>());
    CHECK(checksum_ok(t.at("token"), t.at("prefix").get<std::string>().size()));
    ++n;
  }
  CHECK(n >= 20);
  std::size_t bad = 0;
  for (const auto& t : doc.at("invalid_tokens")) {
    INFO(t.at("name").get<std::string>());
    CHECK_FALSE(checksum_ok(t.at("token")));
    ++bad;
  }
  CHECK(bad >= 3);
}

TEST_CASE("CRC-32 check value and base62 bounds", "[external]") {
  CHECK(finfusion::internal::crc32("123456789") == 0xCBF43926u);
  CHECK(finfusion::internal::crc32("") == 0u);
  // Slicing-by-8 against the bit-at-a-time definition, every length and alignment tail.
  auto bitwise = [](std::string_view s) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (char ch : s) {
      c ^= static_cast<std::uint8_t>(ch);
      for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
  };
  std::string data;
  for (int i = 0; i < 100; ++i) data.push_back(static_cast<char>((i * 151 + 7) & 0xFF));
  for (std::size_t n = 0; n <= data.size(); ++n) REQUIRE(finfusion::internal::crc32(data.substr(0, n)) == bitwise(data.substr(0, n)));
  CHECK(finfusion::internal::base62_fixed(0, 6) == "000000");
  CHECK(finfusion::internal::base62_fixed(0xFFFFFFFFu, 6) == "4gfFC3");
  CHECK(finfusion::internal::base62_decode("4gfFC3") == 0xFFFFFFFFu);
  CHECK_FALSE(finfusion::internal::base62_decode("4g-FC3").has_value());
}

TEST_CASE("keyed BLAKE2b known answers", "[external]") {
  REQUIRE(sodium_init() >= 0);
  auto doc = load_external("blake2b-keyed-kat.json");
  std::size_t n = 0;
  for (const auto& v : doc) {
    if (v.at("hash") != "blake2b") continue;
    std::string in = from_hex(v.at("in")), key = from_hex(v.at("key")), out = from_hex(v.at("out"));
    std::string got(out.size(), '\0');
    crypto_generichash(reinterpret_cast<unsigned char*>(got.data()), got.size(),
                       reinterpret_cast<const unsigned char*>(in.data()), in.size(),
                       reinterpret_cast<const unsigned char*>(key.data()), key.size());
    CHECK(got == out);
    ++n;
  }
  CHECK(n == 256);
}
