// The base64 codec (internal/base64.h) against libsodium's, which it replaced: the same text
// for every byte string, and the same verdict, canonical or not, on every text, in both
// alphabets. Stored secrets, exports and signatures written by either must read the same.
#include <sodium.h>

#include <catch2/catch.hpp>
#include <optional>
#include <random>
#include <string>

#include "internal/base64.h"

using finfusion::internal::Base64;

namespace {

int sodium_variant(Base64 v) {
  return v == Base64::kStandard ? sodium_base64_VARIANT_ORIGINAL : sodium_base64_VARIANT_URLSAFE_NO_PADDING;
}

std::string sodium_encode(const std::string& bytes, Base64 v) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_variant(v)), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_variant(v));
  out.pop_back();
  return out;
}

std::optional<std::string> sodium_decode(const std::string& text, Base64 v) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &len, &end, sodium_variant(v)) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

}  // namespace

TEST_CASE("base64: RFC 4648's examples", "[base64]") {
  const std::pair<const char*, const char*> examples[] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},
                                                          {"foo", "Zm9v"},  {"foob", "Zm9vYg=="},  {"fooba", "Zm9vYmE="},
                                                          {"foobar", "Zm9vYmFy"}};
  for (const auto& [bytes, text] : examples) {
    CHECK(finfusion::internal::encode_base64(bytes, Base64::kStandard) == text);
    CHECK(finfusion::internal::decode_base64(text, Base64::kStandard) == std::optional<std::string>(bytes));
  }
  CHECK(finfusion::internal::encode_base64("\xfb\xff", Base64::kStandard) == "+/8=");
  CHECK(finfusion::internal::encode_base64("\xfb\xff", Base64::kUrlNoPadding) == "-_8");
}

TEST_CASE("base64: the same as libsodium on random bytes and on random texts", "[base64]") {
  std::mt19937_64 rng(20261130);
  for (Base64 v : {Base64::kStandard, Base64::kUrlNoPadding}) {
    INFO("variant " << static_cast<int>(v));
    for (int round = 0; round < 20000; ++round) {
      std::string bytes(rng() % 70, '\0');
      for (char& c : bytes) c = static_cast<char>(rng());
      const std::string text = finfusion::internal::encode_base64(bytes, v);
      REQUIRE(text == sodium_encode(bytes, v));
      REQUIRE(text.size() == finfusion::internal::base64_length(bytes.size(), v));
      REQUIRE(finfusion::internal::decode_base64(text, v) == std::optional<std::string>(bytes));
    }
    // Texts near the canonical ones: every digit of both alphabets, padding anywhere, each
    // length, non-zero pad bits. Most are refused; libsodium must agree on every one.
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=.: \n";
    int accepted = 0;
    for (int round = 0; round < 200000; ++round) {
      std::string text(rng() % 10, '\0');
      for (char& c : text) c = alphabet[rng() % (round % 2 ? alphabet.size() : 64)];
      if (round % 3 == 0 && !text.empty()) text.back() = '=';
      if (round % 5 == 0 && text.size() > 1) text[text.size() - 2] = '=';
      const auto ours = finfusion::internal::decode_base64(text, v);
      INFO("text '" << text << "'");
      REQUIRE(ours == sodium_decode(text, v));
      accepted += ours.has_value();
      // Into a buffer: the same bytes when they fit the room given, nothing when they do not.
      unsigned char buffer[8];
      const std::size_t room = rng() % 9;
      const auto into = finfusion::internal::decode_base64_into(text, v, buffer, room);
      REQUIRE(into.has_value() == (ours.has_value() && ours->size() <= room));
      if (into) REQUIRE(std::string(reinterpret_cast<const char*>(buffer), *into) == *ours);
    }
    CHECK(accepted > 10000);
  }
}
