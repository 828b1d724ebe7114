// finfusion/webhooks.h - webhook signatures compatible with the Standard Webhooks
// specification (standardwebhooks.com): `webhook-id`, `webhook-timestamp` and
// `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.payload">`, `whsec_` secrets.
//
//   auto secret = finfusion::webhooks::Secret::Parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
//   auto sig = finfusion::webhooks::sign(*secret, "msg_p5jX...", 1614265330, payload);
//   finfusion::webhooks::Verification v =
//       finfusion::webhooks::verify({*secret}, id, timestamp, signature_header, payload, now);
//
// Several `v1,` signatures may share the header (a sender rotating its secret) and a
// receiver may hold several secrets (its own rotation): any match verifies. Entries of
// other versions (`v1a,` and later) are ignored, as the specification says.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "finfusion/secret.h"
#include "finfusion/status.h"
#include "finfusion/time.h"

namespace finfusion::internal {
class HmacSha256Key;  // internal/sha256.h
}  // namespace finfusion::internal

namespace finfusion::webhooks {

inline constexpr std::string_view kSecretPrefix = "whsec_";
inline constexpr std::size_t kMinSecretBytes = 24;
inline constexpr std::size_t kMaxSecretBytes = 64;
inline constexpr std::size_t kGeneratedSecretBytes = 32;
inline constexpr std::int64_t kDefaultToleranceSeconds = 300;
inline constexpr std::size_t kMaxMessageIdBytes = 256;
inline constexpr std::size_t kMaxSignatureHeaderBytes = 8192;

// A webhook signing secret: kMinSecretBytes..kMaxSecretBytes random bytes.
class Secret {
 public:
  // "whsec_<base64>" (the prefix may be left out). Errors: invalid_request for text that is
  // not canonical standard base64 or decodes to a length outside 24..64 bytes (the message
  // never repeats the text).
  static Result<Secret> Parse(std::string_view text);
  // Errors: invalid_request for a length outside 24..64 bytes.
  static Result<Secret> FromBytes(SecretBytes bytes);
  // 32 bytes from libsodium's CSPRNG.
  static Result<Secret> Generate();

  // The "whsec_..." text, for the one-time display to the endpoint's owner.
  std::string reveal() const;
  const SecretBytes& bytes() const noexcept { return bytes_; }
  // The secret's HMAC key, its pads compressed once (copies of a Secret share it).
  const finfusion::internal::HmacSha256Key& hmac() const noexcept { return *hmac_; }

 private:
  explicit Secret(SecretBytes bytes);
  SecretBytes bytes_;
  std::shared_ptr<const finfusion::internal::HmacSha256Key> hmac_;
};

// The `webhook-signature` entry `v1,<base64>` for this message. Errors: invalid_request
// for an id that is empty, longer than kMaxMessageIdBytes, not printable ASCII or holding
// "." (which would make "id.timestamp.payload" ambiguous), or a negative timestamp.
Result<std::string> sign(const Secret& secret, std::string_view msg_id, std::int64_t timestamp_seconds,
                         std::string_view payload);

// The three headers to send, in order: webhook-id, webhook-timestamp, webhook-signature
// (one v1 entry per secret: sending under old and new secret while receivers rotate).
// Errors: as sign, and invalid_request for no secret.
Result<std::vector<std::pair<std::string, std::string>>> headers(const std::vector<Secret>& secrets,
                                                                 std::string_view msg_id,
                                                                 std::int64_t timestamp_seconds,
                                                                 std::string_view payload);

struct Verification {
  bool valid = false;
  Code code = Code::kSignatureInvalid;  // valid, invalid_request, signature_expired, signature_invalid
  std::string message;                  // why; never a secret
  std::string msg_id;
  std::int64_t timestamp = 0;           // seconds
};

// Checks the three header values and the raw payload at `now`: the headers are well formed
// (invalid_request), the timestamp is within `tolerance_seconds` of now either way
// (signature_expired), and some v1 entry is the signature under some secret
// (signature_invalid). Comparisons are constant time.
Verification verify(const std::vector<Secret>& secrets, std::string_view msg_id, std::string_view timestamp,
                    std::string_view signature_header, std::string_view payload, time::Millis now,
                    std::int64_t tolerance_seconds = kDefaultToleranceSeconds);

}  // namespace finfusion::webhooks
