// Stored hash strings, and a key checked against them.
// Input: "<stored>\n<key>" (stored forms of both algorithms; hs256 is current). Properties:
// parse_stored, verify and needs_rehash agree on what is a stored form; rejections are
// invalid_request or precondition_failed; a key hashed by the hasher always verifies against
// its own stored form; no message echoes the key.
#include "finfusion/hash.h"
#include "finfusion/key.h"
#include "fuzz_common.h"

using namespace finfusion;

namespace {
const hashing::Hasher& hasher() {
  static const hashing::Hasher h = *hashing::Hasher::Create(
      {{"p1", SecretBytes::FromView(std::string(32, '\x01'))}, {"p2", SecretBytes::FromView(std::string(32, '\x02'))}},
      "p2");
  return h;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  std::size_t nl = text.find('\n');
  std::string_view stored = text.substr(0, nl);
  std::string_view key = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);

  auto parts = hashing::parse_stored(stored);
  auto verified = hasher().verify(key, stored);
  auto rehash = hasher().needs_rehash(stored);
  fuzz::require(parts.ok() == rehash.ok(), "needs_rehash accepts what parse_stored accepts");
  if (!parts.ok()) {
    fuzz::require(parts.code() == Code::kInvalidRequest && verified.code() == Code::kInvalidRequest,
                  "malformed stored forms are invalid_request");
  } else if (parts->pepper_id != "p1" && parts->pepper_id != "p2") {
    fuzz::require(verified.code() == Code::kPreconditionFailed, "unknown peppers are precondition_failed");
  } else {
    fuzz::require(verified.ok(), "a well-formed stored form with a known pepper verifies to a bool");
    fuzz::require(*rehash == (parts->pepper_id != "p2" || parts->algorithm != hasher().algorithm()),
                  "needs_rehash follows the pepper and the algorithm");
  }
  if (!verified.ok()) fuzz::require_not_echoed(verified.status().message(), key, stored);

  auto own = hasher().hash(key);
  if (own.ok()) {
    auto check = hasher().verify(key, *own);
    fuzz::require(check.ok() && *check, "a key verifies against its own stored form");
  } else {
    fuzz::require(own.code() == keys::check_format(key), "hash refuses with the key's format code");
    fuzz::require_not_echoed(own.status().message(), key);
  }
  return 0;
}
