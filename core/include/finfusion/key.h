// finfusion/key.h - the API key format: generate, parse, check, mask.
//
// A key reads  <prefix>_<id16>_<secret43><checksum6>, e.g. (not a real key)
//   prod_3hTq9ZbVw2LkX0aR_V1yJ0c9q...(43 secret chars)...kP2xQ9
// - prefix: dev | prod | rest (the key type, see key_type.h);
// - id16: 16 base62 characters, public; "<prefix>_<id16>" is the key id that logs,
//   rotation and usage refer to;
// - secret43: 43 base62 characters from libsodium's CSPRNG (256 bits);
// - checksum6: CRC-32 (zlib) of every character before it, in base62, 6 characters.
// base62 is 0-9A-Za-z. docs/key-format.md is the normative description.
//
//   auto key = finfusion::keys::generate(finfusion::keys::KeyType::kProduction);
//   store(key->id(), hasher.hash(key->reveal()));   // show key->reveal() once, then drop it
//   if (finfusion::keys::check_format(text) != finfusion::Code::kValid) reject();
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "finfusion/key_type.h"
#include "finfusion/secret.h"
#include "finfusion/status.h"

namespace finfusion::keys {

inline constexpr int kFormatVersion = 1;
inline constexpr std::size_t kIdChars = 16;
inline constexpr std::size_t kSecretChars = 43;
inline constexpr std::size_t kChecksumChars = 6;
// Longest prefix ("prod", "rest") + 2 separators + id + secret + checksum = 71.
inline constexpr std::size_t kMaxKeyLength = 4 + 2 + kIdChars + kSecretChars + kChecksumChars;
// The longest key id: "prod_" + 16.
inline constexpr std::size_t kMaxKeyIdLength = 4 + 1 + kIdChars;

// What a well-formed key says about itself. Holds no secret.
struct ParsedKey {
  KeyType type = KeyType::kDevelopment;
  Environment environment = Environment::kSandbox;
  std::string id;  // "<prefix>_<id16>"
  int format_version = kFormatVersion;
};

// A freshly generated key. The full text is a secret: it is shown to its owner once and
// stored only as a hash. Nothing but reveal() exposes it.
class ApiKey {
 public:
  KeyType type() const noexcept { return type_; }
  Environment environment() const noexcept { return type_environment(type_); }
  const std::string& id() const noexcept { return id_; }
  // The full key text. Never log it, never put it in a message.
  std::string_view reveal() const noexcept { return text_.view(); }

 private:
  friend class KeyBuilder;
  ApiKey(KeyType type, std::string id, SecretBytes text)
      : type_(type), id_(std::move(id)), text_(std::move(text)) {}

  KeyType type_;
  std::string id_;
  SecretBytes text_;
};

// Fills `out` with `size` random bytes, or fails (the generator then fails with that status).
using RandomSource = std::function<Status(std::uint8_t* out, std::size_t size)>;

// A new key of `type` from libsodium's CSPRNG.
Result<ApiKey> generate(KeyType type);

// A new key of `type` whose characters are drawn from `random`, asked for 64 bytes at a
// time: each character takes one byte b, accepted when b < 248 and mapped to base62 digit
// b % 62 (rejection sampling keeps it uniform); the 16 id characters are drawn first, then
// the 43 secret characters. For tests and conformance vectors; production code calls
// generate(type).
// Errors: whatever `random` returns.
Result<ApiKey> generate(KeyType type, const RandomSource& random);

// A deterministic RandomSource: the bytes of BLAKE2b-512(seed || 64-bit block counter),
// block after block. For tests and conformance vectors only: never for real keys.
RandomSource deterministic_random(std::string_view seed);

// The same draw from a fixed byte string. Errors: invalid_request when `entropy` runs out.
Result<ApiKey> generate_from_entropy(KeyType type, std::string_view entropy);

// Checks a key's format and checksum offline, without a lookup. Never fails: returns
// kValid, or the reason (checked in this order):
//   malformed_key   longer than kMaxKeyLength (checked before anything else), shorter than
//                   a key, a character outside [0-9A-Za-z_] (spaces, NUL, non-ASCII and
//                   look-alikes included: nothing is trimmed or folded), separators
//                   missing or misplaced;
//   unknown_prefix  well-shaped, but the prefix is not dev, prod or rest;
//   bad_checksum    the checksum does not match (any edited character, dev_ -> prod_).
// Time does not depend on the secret beyond its length; messages never echo the input.
Code check_format(std::string_view text) noexcept;

// check_format, then what the key says about itself. Errors: as check_format.
Result<ParsedKey> parse(std::string_view text);

// check_format and parse in one pass, without allocating, for hot paths: `code` as
// check_format returns it and, when it is kValid, the type and the id as a view into `text`.
struct KeyView {
  Code code = Code::kMalformedKey;
  KeyType type = KeyType::kDevelopment;
  std::string_view id;  // "<prefix>_<id16>"
};
KeyView inspect(std::string_view text) noexcept;

// A display form that keeps the public key id and hides the rest:
// "prod_3hTq9ZbVw2LkX0aR_********". Errors: as check_format.
Result<std::string> mask(std::string_view text);

// Checks a key id ("<prefix>_<id16>", as in ParsedKey::id). Errors: malformed_key
// (shape, length, alphabet), unknown_prefix.
Result<ParsedKey> parse_id(std::string_view id);

// A regular expression (PCRE, Python re, JavaScript, RE2, GNU grep -E) that matches every
// key this library generates, as a whole word, and no token of another system:
//   \b(dev|prod|rest)_[0-9A-Za-z]{16}_[0-9A-Za-z]{49}\b
std::string_view scanner_pattern() noexcept;

}  // namespace finfusion::keys
