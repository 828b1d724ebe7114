// finfusion/signing.h - RFC 9421 HTTP Message Signatures, RFC 9530 Content-Digest, and the
// replay defences around them.
//
// A request (or response) is signed over a list of covered components: derived ones
// (`@method`, `@target-uri`, `@authority`, `@scheme`, `@request-target`, `@path`, `@query`,
// `@query-param;name="..."`, `@status`) and header fields (with `;sf`, `;key="..."`, `;bs`,
// `;req`). The signature base is built exactly as RFC 9421 section 2.5 says, and the
// `Signature-Input` / `Signature` fields are RFC 8941 dictionaries written and read by
// finfusion/structured_field.h. Algorithms: `hmac-sha256` and `ed25519` (libsodium).
//
//   auto key = finfusion::signing::SigningKey::Hmac("key_7Qp...", std::move(secret));
//   finfusion::signing::Message req{"POST", "https://api.example.com/v1/pay", {{"content-type",
//       "application/json"}}, body};
//   auto signed_ = finfusion::signing::sign(req, *key, {}, now);   // headers to add
//   finfusion::signing::Verification v = finfusion::signing::verify(req_with_headers, ring,
//       {}, &nonces, now);                                          // v.valid, v.code
//
// Verification never fails with an error: a bad, expired, replayed or malformed signature
// is a Verification with valid == false and a code (signature_invalid, signature_expired,
// replayed, not_found for an unknown keyid, invalid_request for malformed fields,
// rate_limited when the nonce cache is full of live nonces).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
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

namespace finfusion::signing {

enum class Algorithm : std::uint8_t { kHmacSha256 = 0, kEd25519 = 1 };

// "hmac-sha256" / "ed25519", the names RFC 9421's registry gives them.
std::string_view algorithm_name(Algorithm algorithm) noexcept;
// Errors: invalid_request for any other name.
Result<Algorithm> algorithm_from_name(std::string_view name);

inline constexpr std::size_t kMinHmacSecretBytes = 16;
inline constexpr std::size_t kMaxHmacSecretBytes = 1024;
inline constexpr std::size_t kGeneratedHmacSecretBytes = 32;
inline constexpr std::size_t kEd25519SeedBytes = 32;
inline constexpr std::size_t kEd25519PublicKeyBytes = 32;
inline constexpr std::size_t kMaxKeyIdBytes = 256;

class VerifyingKey;

// A key that signs: an HMAC-SHA256 secret or an Ed25519 private key, under its keyid (for
// API keys, the key's id). The secret stays in SecretBytes; the key never prints it.
class SigningKey {
 public:
  // Errors: invalid_request for a keyid that is empty, longer than kMaxKeyIdBytes or not
  // printable ASCII; for a secret outside kMinHmacSecretBytes..kMaxHmacSecretBytes.
  static Result<SigningKey> Hmac(std::string key_id, SecretBytes secret);
  // `seed` is the 32-byte Ed25519 seed (RFC 8032's private key). Errors: as Hmac, and
  // invalid_request for a seed of any other length.
  static Result<SigningKey> Ed25519(std::string key_id, const SecretBytes& seed);
  // A new key from libsodium's CSPRNG (32-byte HMAC secret or Ed25519 seed).
  static Result<SigningKey> Generate(std::string key_id, Algorithm algorithm);

  Algorithm algorithm() const noexcept { return algorithm_; }
  const std::string& key_id() const noexcept { return key_id_; }
  // The HMAC secret or the Ed25519 seed, for storage (encrypt it at rest).
  const SecretBytes& secret() const noexcept { return secret_; }
  // The Ed25519 public key (32 bytes); empty for HMAC.
  const std::string& public_key() const noexcept { return public_key_; }
  // What verifies this key's signatures: the public key for Ed25519, the secret for HMAC.
  VerifyingKey verifying_key() const;

  // The raw signature over `message` (32 bytes HMAC, 64 bytes Ed25519).
  std::string sign(std::string_view message) const;
  // The same at `out` (room for 64 bytes); its length. What signing a request uses: no
  // allocation for a signature about to be encoded.
  std::size_t sign_into(std::string_view message, unsigned char out[64]) const;

 private:
  SigningKey(Algorithm algorithm, std::string key_id, SecretBytes secret, SecretBytes private_key,
             std::string public_key);

  Algorithm algorithm_;
  std::string key_id_;
  SecretBytes secret_;       // HMAC secret or Ed25519 seed
  SecretBytes private_key_;  // Ed25519: libsodium's 64-byte secret key
  std::string public_key_;
  std::shared_ptr<const finfusion::internal::HmacSha256Key> hmac_;  // HMAC: the secret's pads, compressed once
};

// A key that verifies: an HMAC secret or an Ed25519 public key, under its keyid.
class VerifyingKey {
 public:
  // Errors: as SigningKey::Hmac.
  static Result<VerifyingKey> Hmac(std::string key_id, SecretBytes secret);
  // Errors: invalid_request for a keyid as above or a public key that is not 32 bytes.
  static Result<VerifyingKey> Ed25519(std::string key_id, std::string_view public_key);

  Algorithm algorithm() const noexcept { return algorithm_; }
  const std::string& key_id() const noexcept { return key_id_; }

  // True when `signature` is this key's signature of `message`. HMAC tags are compared in
  // constant time; Ed25519 rejects non-canonical and small-order encodings (libsodium).
  [[nodiscard]] bool verify(std::string_view message, std::string_view signature) const;

 private:
  friend class SigningKey;
  VerifyingKey(Algorithm algorithm, std::string key_id, SecretBytes material,
               std::shared_ptr<const finfusion::internal::HmacSha256Key> hmac);

  Algorithm algorithm_;
  std::string key_id_;
  SecretBytes material_;  // HMAC secret, or the Ed25519 public key (not secret, kept alike)
  std::shared_ptr<const finfusion::internal::HmacSha256Key> hmac_;  // HMAC: as SigningKey's
};

// The keys a verifier trusts, found by keyid. Several keys may share a keyid (a secret
// being rotated): a signature is valid when any of them verifies it.
class KeyRing {
 public:
  void add(VerifyingKey key) { keys_.push_back(std::move(key)); }
  bool contains(std::string_view key_id) const noexcept;
  std::size_t size() const noexcept { return keys_.size(); }
  const std::vector<VerifyingKey>& keys() const noexcept { return keys_; }

 private:
  std::vector<VerifyingKey> keys_;
};

// ---- Content-Digest (RFC 9530) -------------------------------------------------------

enum class DigestAlgorithm : std::uint8_t { kSha256 = 0, kSha512 = 1 };

// "sha-256" / "sha-512".
std::string_view digest_name(DigestAlgorithm algorithm) noexcept;
// Errors: invalid_request for any other name.
Result<DigestAlgorithm> digest_from_name(std::string_view name);

// The Content-Digest field value for `body`: `sha-256=:<base64>:`.
std::string content_digest(std::string_view body, DigestAlgorithm algorithm = DigestAlgorithm::kSha256);

// Checks a Content-Digest field value against `body`. Every sha-256 and sha-512 member must
// match; members with other algorithm names are ignored (RFC 9530 section 2). Errors:
// invalid_request when the field is not a dictionary of byte sequences or names neither
// sha-256 nor sha-512; signature_invalid when a digest does not match the body.
Status verify_content_digest(std::string_view field, std::string_view body);

// ---- Messages ------------------------------------------------------------------------

// One header field line. Names are matched case-insensitively; values are the line's
// value (several lines of one field are combined as RFC 9421 section 2.1 says).
struct Field {
  std::string_view name;
  std::string_view value;
};

// A request (method and target URI set, status 0) or a response (status set). Views: the
// caller keeps the text alive for the call.
struct Message {
  std::string_view method;      // request: "POST"
  std::string_view target_uri;  // request: absolute, "https://api.example.com/v1/keys?x=1"
  int status = 0;               // response: 100..999
  std::vector<Field> headers;
  std::optional<std::string_view> body;  // nullopt: no body (no Content-Digest)
  const Message* request = nullptr;      // response: the request it answers (";req")
};

// ---- Signing -------------------------------------------------------------------------

struct SignOptions {
  std::string label = "sig1";  // the dictionary key in Signature-Input / Signature
  // Covered components, each an identifier as in Signature-Input (`"@query-param";name="a"`)
  // or the same without the quotes (`@query-param;name="a"`, `content-type`). Empty: the
  // default set, `@method`, `@target-uri` (requests) or `@status` (responses), then
  // `content-digest` when there is a body, `content-type` and `authorization` when present.
  std::vector<std::string> components;
  std::optional<std::int64_t> expires_in_seconds;  // expires = created + this (> 0)
  std::string nonce;              // "" with generate_nonce false: no nonce
  bool generate_nonce = false;    // a fresh 128-bit nonce (base64url) from the CSPRNG
  std::string tag;                // "" for none
  bool include_alg = true;        // write alg (RFC 9421 makes it optional)
  DigestAlgorithm digest = DigestAlgorithm::kSha256;  // for the Content-Digest this adds
};

struct Signed {
  // Fields to add to the message, in order: Content-Digest (when the message has a body
  // and no Content-Digest yet), Signature-Input, Signature. When the message already has
  // Signature-Input / Signature lines, add these as further lines (or join with ", ").
  std::vector<std::pair<std::string, std::string>> headers;
  std::string signature_base;  // what was signed (not secret)
  std::string signature_input; // this signature's Signature-Input member value
};

// Signs `message` with `key` at `now` (created = now in whole seconds). Errors:
// invalid_request for a bad label, component identifier, parameter, nonce or tag; for a
// covered component the message lacks (a missing header, @status on a request...); for a
// Content-Digest already present that does not match the body; and for a label the
// message's Signature-Input already uses.
Result<Signed> sign(const Message& message, const SigningKey& key, const SignOptions& options, time::Millis now);

// ---- Replay protection ---------------------------------------------------------------

// Nonces seen recently, per keyid, each kept until the signature carrying it can no longer
// be accepted. Memory is bounded by max_entries; expired entries are dropped first, and a
// cache full of live nonces refuses new ones (fails closed) rather than forgetting one.
// Thread-safe.
class NonceCache {
 public:
  enum class Outcome : std::uint8_t { kFresh, kReplayed, kFull };
  static constexpr std::size_t kMaxNonceBytes = 256;

  explicit NonceCache(std::size_t max_entries = 100000);
  ~NonceCache();
  NonceCache(const NonceCache&) = delete;
  NonceCache& operator=(const NonceCache&) = delete;

  // Records (key_id, nonce) until `keep_until`. kReplayed when it is recorded and not yet
  // expired at `now`; kFull when the cache holds max_entries live nonces.
  Outcome remember(std::string_view key_id, std::string_view nonce, time::Millis keep_until, time::Millis now);
  std::size_t size() const;
  std::size_t max_entries() const noexcept { return max_entries_; }

 private:
  struct State;
  std::size_t max_entries_;
  std::unique_ptr<State> state_;
};

// ---- Verification --------------------------------------------------------------------

struct VerifyPolicy {
  std::int64_t tolerance_seconds = 300;  // |now - created| and the nonce memory
  bool require_nonce = false;
  // Components every accepted signature must cover (identifiers as in SignOptions).
  std::vector<std::string> required_components;
  std::string label;                     // "" -> the first signature whose keyid the ring knows
  bool require_content_digest = true;    // a message with a body must cover content-digest
};

struct Verification {
  bool valid = false;
  Code code = Code::kSignatureInvalid;
  std::string message;                   // why, for people; never a secret
  std::string label, key_id, alg, nonce, tag;
  std::int64_t created = 0;              // seconds
  std::optional<std::int64_t> expires;   // seconds
  std::vector<std::string> covered;      // the covered component identifiers, serialised
  std::string signature_base;            // rebuilt from the message (empty when malformed)

  // The keyid that signed the message when valid, else "": what registry::VerifyContext's
  // signed_by takes.
  std::string_view signer() const noexcept { return valid ? std::string_view(key_id) : std::string_view(); }
  std::string to_json() const;
};

// Verifies one signature on `message` (the policy's label, or the first whose keyid is in
// `keys`). Checks, in order: the fields parse (invalid_request); the keyid is known
// (not_found); alg, when given, matches the key (signature_invalid); created is within the
// tolerance of now and expires has not passed (signature_expired); the required components
// and, with a body, content-digest are covered (signature_invalid); every covered component
// is present (signature_invalid); the signature (signature_invalid); the Content-Digest
// matches the body (signature_invalid); the nonce is new (replayed; rate_limited when the
// cache is full). `nonces` may be null when the policy does not require a nonce.
Verification verify(const Message& message, const KeyRing& keys, const VerifyPolicy& policy, NonceCache* nonces,
                    time::Millis now);

// The signature base `message` gives for a Signature-Input member value (`("@method"
// ...);created=...`), as verify rebuilds it. Errors: invalid_request for malformed input or
// a covered component the message lacks.
Result<std::string> signature_base(const Message& message, std::string_view signature_input_member);

}  // namespace finfusion::signing
