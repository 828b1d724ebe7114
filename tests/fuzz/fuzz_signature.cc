// RFC 9421 verification and signing. Input lines: Signature-Input, Signature, then component
// identifiers. Properties: verifying the fields as received answers with a listed code and
// never echoes the key (beyond what the input itself says); signature_base builds or
// refuses with invalid_request; and when the identifiers sign a request, that signed request
// verifies under both algorithms, the verifier rebuilding the signer's base byte for byte.
#include <vector>

#include "finfusion/signing.h"
#include "fuzz_common.h"

using namespace finfusion;

namespace {
constexpr std::string_view kSecret = "fuzz-hmac-secret-0123456789abcdef";
constexpr time::Millis kNow = 1767225600000;

const signing::SigningKey& hmac() {
  static const signing::SigningKey k = *signing::SigningKey::Hmac("k1", SecretBytes::FromView(kSecret));
  return k;
}
const signing::SigningKey& ed() {
  static const signing::SigningKey k = *signing::SigningKey::Ed25519("k2", SecretBytes::FromView(std::string(32, '\x05')));
  return k;
}
const signing::KeyRing& ring() {
  static const signing::KeyRing r = [] {
    signing::KeyRing out;
    out.add(hmac().verifying_key());
    out.add(ed().verifying_key());
    return out;
  }();
  return r;
}

signing::Message request() {
  signing::Message m;
  m.method = "POST";
  m.target_uri = "https://api.example.com:8443/v1/pay?a=1&b=two+words&c=%7E";
  m.headers = {{"Content-Type", "application/json"}, {"Example-Dict", "a=1, b=(x y);z, c"},
               {"X-List", "1, 2"}, {"X-List", "3"}, {"Content-Digest", "sha-256=:RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=:"}};
  m.body = std::string_view("{}");
  return m;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::as_text(data, size);  // public: messages may quote it
  std::string_view text = input;
  std::vector<std::string_view> lines;
  while (!text.empty() && lines.size() < 16) {
    std::size_t nl = text.find('\n');
    lines.push_back(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  }
  while (lines.size() < 2) lines.emplace_back();

  // The fields as an attacker sends them.
  signing::Message received = request();
  received.headers.push_back({"Signature-Input", lines[0]});
  received.headers.push_back({"Signature", lines[1]});
  signing::Verification v = signing::verify(received, ring(), {}, nullptr, kNow);
  fuzz::require(code_from_name(code_name(v.code)).has_value(), "a verdict carries a listed code");
  fuzz::require(v.valid == (v.code == Code::kValid), "valid and the code agree");
  fuzz::require_not_echoed(v.message, kSecret, input);

  // Each member's signature base, as verify would rebuild it.
  std::size_t eq = lines[0].find('=');
  if (eq != std::string_view::npos) {
    Result<std::string> base = signing::signature_base(received, lines[0].substr(eq + 1));
    if (base.ok()) {
      fuzz::require(base->find("\"@signature-params\": (") != std::string::npos, "a base ends with @signature-params");
    } else {
      fuzz::require(base.code() == Code::kInvalidRequest, "a base that cannot be built is invalid_request");
    }
  }

  // The remaining lines as the components of a signature we make: it must verify.
  signing::SignOptions options;
  for (std::size_t i = 2; i < lines.size(); ++i) options.components.emplace_back(lines[i]);
  if (options.components.empty()) return 0;
  for (const signing::SigningKey* key : {&hmac(), &ed()}) {
    Result<signing::Signed> s = signing::sign(request(), *key, options, kNow);
    if (!s.ok()) {
      fuzz::require(s.code() == Code::kInvalidRequest, "signing refuses with invalid_request");
      fuzz::require_not_echoed(s.status().message(), kSecret, input);
      continue;
    }
    signing::Message m = request();
    for (const auto& [n, value] : s->headers) m.headers.push_back({n, value});
    signing::VerifyPolicy policy;
    policy.require_content_digest = false;
    signing::Verification ok = signing::verify(m, ring(), policy, nullptr, kNow);
    fuzz::require(ok.valid, "what we sign verifies");
    fuzz::require(ok.signature_base == s->signature_base, "signer and verifier build the same base");
  }
  return 0;
}
