#include "finfusion/webhooks.h"

#include <sodium.h>

#include "internal/base64.h"
#include "internal/sha256.h"

namespace finfusion::webhooks {
namespace {

using internal::Base64;

Status invalid(std::string message) { return Status(Code::kInvalidRequest, std::move(message)); }

Status check_length(std::size_t size) {
  if (size < kMinSecretBytes || size > kMaxSecretBytes) {
    return invalid("a webhook secret must be " + std::to_string(kMinSecretBytes) + " to " +
                   std::to_string(kMaxSecretBytes) + " bytes, not " + std::to_string(size));
  }
  return Status::Ok();
}

Status check_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxMessageIdBytes) {
    return invalid("webhook-id must be 1 to " + std::to_string(kMaxMessageIdBytes) + " characters");
  }
  for (char c : id) {
    if (c <= 0x20 || c > 0x7e || c == '.') return invalid("webhook-id must be printable ASCII without spaces or '.'");
  }
  return Status::Ok();
}

// HMAC-SHA256(secret, "id.timestamp.payload").
std::string mac(const Secret& secret, std::string_view id, std::string_view timestamp, std::string_view payload) {
  std::string tag(32, '\0');
  secret.hmac().tag({id, ".", timestamp, ".", payload}, reinterpret_cast<unsigned char*>(tag.data()));
  return tag;
}

Verification rejected(Verification v, Code code, std::string message) {
  v.code = code;
  v.message = std::move(message);
  return v;
}

}  // namespace

Secret::Secret(SecretBytes bytes)
    : bytes_(std::move(bytes)), hmac_(std::make_shared<const internal::HmacSha256Key>(bytes_.view())) {}

Result<Secret> Secret::Parse(std::string_view text) {
  if (text.substr(0, kSecretPrefix.size()) == kSecretPrefix) text.remove_prefix(kSecretPrefix.size());
  if (text.size() > 128) return invalid("a webhook secret is too long");
  std::optional<std::string> raw = internal::decode_base64(text, Base64::kStandard);
  if (!raw) return invalid("a webhook secret must be whsec_ followed by standard base64");
  SecretBytes bytes = SecretBytes::FromView(*raw);
  sodium_memzero(raw->data(), raw->size());
  return FromBytes(std::move(bytes));
}

Result<Secret> Secret::FromBytes(SecretBytes bytes) {
  if (Status s = check_length(bytes.size()); !s.ok()) return s;
  return Secret(std::move(bytes));
}

Result<Secret> Secret::Generate() {
  Result<SecretBytes> bytes = random_secret(kGeneratedSecretBytes);
  if (!bytes.ok()) return bytes.status();
  return Secret(std::move(*bytes));
}

std::string Secret::reveal() const {
  // Written in place: a concatenation would free the encoded secret's own buffer unwiped.
  std::string out(kSecretPrefix);
  const std::size_t prefix = out.size();
  out.resize(prefix + internal::base64_length(bytes_.size(), Base64::kStandard));
  internal::encode_base64_into(bytes_.view(), Base64::kStandard, out.data() + prefix);
  return out;
}

Result<std::string> sign(const Secret& secret, std::string_view msg_id, std::int64_t timestamp_seconds,
                         std::string_view payload) {
  if (Status s = check_id(msg_id); !s.ok()) return s;
  if (timestamp_seconds < 0 || timestamp_seconds > time::kMaxInstant / 1000) {
    return invalid("webhook-timestamp must be 0 to 253402300799 seconds");
  }
  std::string tag = mac(secret, msg_id, std::to_string(timestamp_seconds), payload);
  return "v1," + internal::encode_base64(tag, Base64::kStandard);
}

Result<std::vector<std::pair<std::string, std::string>>> headers(const std::vector<Secret>& secrets,
                                                                 std::string_view msg_id,
                                                                 std::int64_t timestamp_seconds,
                                                                 std::string_view payload) {
  if (secrets.empty()) return invalid("no webhook secret to sign with");
  std::string signatures;
  for (const Secret& s : secrets) {
    Result<std::string> one = sign(s, msg_id, timestamp_seconds, payload);
    if (!one.ok()) return one.status();
    if (!signatures.empty()) signatures.push_back(' ');
    signatures += *one;
  }
  return std::vector<std::pair<std::string, std::string>>{{"webhook-id", std::string(msg_id)},
                                                          {"webhook-timestamp", std::to_string(timestamp_seconds)},
                                                          {"webhook-signature", std::move(signatures)}};
}

Verification verify(const std::vector<Secret>& secrets, std::string_view msg_id, std::string_view timestamp,
                    std::string_view signature_header, std::string_view payload, time::Millis now,
                    std::int64_t tolerance_seconds) {
  Verification v;
  if (secrets.empty()) return rejected(v, Code::kInvalidRequest, "no webhook secret to verify with");
  if (tolerance_seconds < 0 || tolerance_seconds > 7LL * 86400) {
    return rejected(v, Code::kInvalidRequest, "the tolerance must be 0 to 7 days");
  }
  if (now < time::kMinInstant || now > time::kMaxInstant) {
    return rejected(v, Code::kInvalidTimestamp, "now is outside years 0001 to 9999");
  }
  if (Status s = check_id(msg_id); !s.ok()) return rejected(v, s.code(), s.message());
  v.msg_id = std::string(msg_id);
  if (timestamp.empty() || timestamp.size() > 12) return rejected(v, Code::kInvalidRequest, "webhook-timestamp must be whole seconds");
  std::int64_t ts = 0;
  for (char c : timestamp) {
    if (c < '0' || c > '9') return rejected(v, Code::kInvalidRequest, "webhook-timestamp must be whole seconds");
    ts = ts * 10 + (c - '0');
  }
  v.timestamp = ts;
  if (signature_header.empty() || signature_header.size() > kMaxSignatureHeaderBytes) {
    return rejected(v, Code::kInvalidRequest, "webhook-signature is empty or too long");
  }
  const std::int64_t tolerance_ms = tolerance_seconds * 1000;
  if (ts * 1000 < now - tolerance_ms) return rejected(v, Code::kSignatureExpired, "the webhook timestamp is too old");
  if (ts * 1000 > now + tolerance_ms) return rejected(v, Code::kSignatureExpired, "the webhook timestamp is in the future");

  std::vector<std::string> expected;
  expected.reserve(secrets.size());
  for (const Secret& s : secrets) expected.push_back(mac(s, msg_id, timestamp, payload));
  bool matched = false;
  std::string_view rest = signature_header;
  while (!rest.empty()) {
    std::size_t space = rest.find(' ');
    std::string_view entry = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    if (entry.substr(0, 3) != "v1,") continue;  // other versions are not ours to judge
    std::optional<std::string> sig = internal::decode_base64(entry.substr(3), Base64::kStandard);
    if (!sig) continue;
    for (const std::string& e : expected) matched |= constant_time_equals(e, *sig);
  }
  for (std::string& e : expected) sodium_memzero(e.data(), e.size());
  if (!matched) return rejected(v, Code::kSignatureInvalid, "no webhook signature matches");
  v.valid = true;
  v.code = Code::kValid;
  return v;
}

}  // namespace finfusion::webhooks
