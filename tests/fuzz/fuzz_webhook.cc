// Standard Webhooks. Input lines: webhook-id, webhook-timestamp, webhook-signature, then the
// payload. Properties: verify answers with one of its four codes and never echoes the
// secret; a message we sign verifies at its own timestamp and not under another secret;
// a secret's whsec_ text parses back to the same secret.
#include "finfusion/webhooks.h"
#include "fuzz_common.h"

using namespace finfusion;

namespace {
const webhooks::Secret& secret() {
  static const webhooks::Secret s = *webhooks::Secret::Parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  return s;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  std::string_view parts[3];
  for (auto& part : parts) {
    std::size_t nl = text.find('\n');
    part = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  }
  const std::string_view id = parts[0], timestamp = parts[1], signature = parts[2], payload = text;
  const time::Millis now = 1614265330000;
  webhooks::Verification v = webhooks::verify({secret()}, id, timestamp, signature, payload, now);
  fuzz::require(v.code == Code::kValid || v.code == Code::kInvalidRequest || v.code == Code::kSignatureExpired ||
                    v.code == Code::kSignatureInvalid,
                "webhook verdicts are valid, invalid_request, signature_expired or signature_invalid");
  fuzz::require_not_echoed(v.message, secret().reveal());

  std::int64_t ts = 0;
  for (char c : timestamp.substr(0, 10)) ts = ts * 10 + static_cast<unsigned char>(c) % 10;
  Result<std::string> sig = webhooks::sign(secret(), id, ts, payload);
  if (sig.ok()) {
    const std::string ts_text = std::to_string(ts);
    fuzz::require(webhooks::verify({secret()}, id, ts_text, *sig, payload, ts * 1000).valid, "what we sign verifies");
    auto other = *webhooks::Secret::FromBytes(SecretBytes::FromView(std::string(32, '\x09')));
    fuzz::require(!webhooks::verify({other}, id, ts_text, *sig, payload, ts * 1000).valid, "another secret does not");
  } else {
    fuzz::require(sig.code() == Code::kInvalidRequest, "signing refuses with invalid_request");
  }

  Result<webhooks::Secret> parsed = webhooks::Secret::Parse(signature);
  if (parsed.ok()) {
    auto again = webhooks::Secret::Parse(parsed->reveal());
    fuzz::require(again.ok() && again->bytes().equals(parsed->bytes()), "a secret's text parses back to it");
  } else {
    fuzz::require(parsed.code() == Code::kInvalidRequest, "bad secrets are invalid_request");
    fuzz::require_not_echoed(parsed.status().message(), signature);
  }
  return 0;
}
