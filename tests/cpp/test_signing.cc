// RFC 9421 signatures: the RFC's own examples byte for byte, Wycheproof through our key
// types, round trips for both algorithms, tamper and time checks, replay, malformed fields.
#include <sodium.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "finfusion/signing.h"
#include "finfusion/structured_field.h"
#include "fixtures.h"
#include "internal/signature_fields.h"

namespace signing = finfusion::signing;
using finfusion::Code;
using finfusion::SecretBytes;
using finfusion::testing::from_hex;
using finfusion::testing::load_external;

namespace {

// The RFC's test request (B.2), owning its text.
struct TestRequest {
  std::string method, uri, body;
  std::vector<std::pair<std::string, std::string>> headers;

  signing::Message message() const {
    signing::Message m;
    m.method = method;
    m.target_uri = uri;
    for (const auto& [n, v] : headers) m.headers.push_back({n, v});
    m.body = body;
    return m;
  }
};

TestRequest rfc_request() {
  auto doc = load_external("rfc9421_hmac.json");
  const auto& r = doc.at("test_request");
  TestRequest t;
  t.method = r.at("method");
  t.uri = r.at("scheme").get<std::string>() + "://" + r.at("authority").get<std::string>() + r.at("target").get<std::string>();
  for (const auto& h : r.at("headers")) t.headers.emplace_back(h.at(0), h.at(1));
  t.body = r.at("body");
  return t;
}

SecretBytes rfc_secret() { return SecretBytes::FromView(from_hex(load_external("rfc9421_hmac.json").at("keys").at("test-shared-secret").at("hex"))); }

constexpr finfusion::time::Millis kCreated = 1618884473000;

signing::SigningKey hmac_key(const std::string& id = "key-1") {
  return *signing::SigningKey::Hmac(id, SecretBytes::FromView(std::string(32, '\x42')));
}
signing::SigningKey ed_key(const std::string& id = "ed-1") {
  return *signing::SigningKey::Ed25519(id, SecretBytes::FromView(std::string(32, '\x07')));
}

// A typical API request: method, target URI, four headers, a 1 KiB JSON body.
TestRequest typical() {
  TestRequest t;
  t.method = "POST";
  t.uri = "https://api.example.com/v1/payments?currency=EUR";
  t.headers = {{"Host", "api.example.com"},
               {"Content-Type", "application/json"},
               {"Authorization", "Bearer prod_not_a_real_key"},
               {"X-Request-Id", "7f2c"}};
  t.body = "{\"amount\":" + std::string(1010, '1') + "}";
  return t;
}

void add(TestRequest& t, const signing::Signed& s) {
  for (const auto& [n, v] : s.headers) t.headers.emplace_back(n, v);
}

signing::KeyRing ring_of(const signing::SigningKey& k) {
  signing::KeyRing ring;
  ring.add(k.verifying_key());
  return ring;
}

}  // namespace

TEST_CASE("RFC 9421 B.2.5: hmac-sha256 reproduced byte for byte and verified", "[signing][external]") {
  auto doc = load_external("rfc9421_hmac.json");
  const auto& b25 = doc.at("B.2.5");
  auto key = signing::SigningKey::Hmac(b25.at("keyid"), rfc_secret());
  REQUIRE(key.ok());
  TestRequest t = rfc_request();
  signing::SignOptions options;
  options.label = b25.at("label");
  options.components = b25.at("covered_components").get<std::vector<std::string>>();
  options.include_alg = false;
  auto s = signing::sign(t.message(), *key, options, kCreated);
  REQUIRE(s.ok());
  std::ifstream base_file(std::string(FINFUSION_VECTORS_DIR) + "/external/rfc9421_b25_signature_base.txt");
  std::stringstream base;
  base << base_file.rdbuf();
  std::string expected_base = base.str();
  while (!expected_base.empty() && expected_base.back() == '\n') expected_base.pop_back();
  CHECK(s->signature_base == expected_base);
  CHECK(s->signature_base == b25.at("signature_base").get<std::string>());
  // The body's Content-Digest was present and matched, so only the two signature fields.
  REQUIRE(s->headers.size() == 2);
  CHECK(s->headers[0].first == "Signature-Input");
  CHECK(s->headers[0].second == b25.at("signature_input").get<std::string>());
  CHECK(s->headers[1].first == "Signature");
  CHECK(s->headers[1].second == b25.at("signature").get<std::string>());

  // And the published fields verify (they do not cover content-digest, so the policy
  // must not ask for it).
  t.headers.emplace_back("Signature-Input", b25.at("signature_input"));
  t.headers.emplace_back("Signature", b25.at("signature"));
  signing::VerifyPolicy policy;
  policy.require_content_digest = false;
  auto v = signing::verify(t.message(), ring_of(*key), policy, nullptr, kCreated + 2000);
  CHECK(v.code == Code::kValid);
  CHECK(v.valid);
  CHECK(v.label == "sig-b25");
  CHECK(v.alg == "hmac-sha256");
  CHECK(v.signature_base == expected_base);
  // Asking for content-digest coverage rejects it, naming what is missing.
  auto strict = signing::verify(t.message(), ring_of(*key), {}, nullptr, kCreated);
  CHECK(strict.code == Code::kSignatureInvalid);
  CHECK(strict.message.find("content-digest") != std::string::npos);
}

TEST_CASE("RFC 9421 signature bases of the appendix and section 2 examples", "[signing][external]") {
  TestRequest t = rfc_request();
  signing::Message req = t.message();
  // B.2.2
  auto b22 = signing::signature_base(
      req, R"(("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example")");
  REQUIRE(b22.ok());
  CHECK(*b22 ==
        "\"@authority\": example.com\n"
        "\"content-digest\": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:\n"
        "\"@query-param\";name=\"Pet\": dog\n"
        "\"@signature-params\": (\"@authority\" \"content-digest\" \"@query-param\";name=\"Pet\");created=1618884473;keyid=\"test-key-rsa-pss\";tag=\"header-example\"");
  // B.2.3
  auto b23 = signing::signature_base(
      req, R"(("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss")");
  REQUIRE(b23.ok());
  CHECK(*b23 ==
        "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n\"@method\": POST\n\"@path\": /foo\n\"@query\": ?param=Value&Pet=dog\n"
        "\"@authority\": example.com\n\"content-type\": application/json\n"
        "\"content-digest\": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:\n"
        "\"content-length\": 18\n"
        "\"@signature-params\": (\"date\" \"@method\" \"@path\" \"@query\" \"@authority\" \"content-type\" \"content-digest\" \"content-length\");created=1618884473;keyid=\"test-key-rsa-pss\"");
  // B.2.4: a response.
  auto doc = load_external("rfc9421_hmac.json");
  std::vector<std::pair<std::string, std::string>> rh;
  for (const auto& h : doc.at("test_response").at("headers")) rh.emplace_back(h.at(0), h.at(1));
  std::string rbody = doc.at("test_response").at("body");
  signing::Message resp;
  resp.status = 200;
  for (const auto& [n, v] : rh) resp.headers.push_back({n, v});
  resp.body = rbody;
  auto b24 = signing::signature_base(
      resp, R"(("@status" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-ecc-p256")");
  REQUIRE(b24.ok());
  CHECK(*b24 ==
        "\"@status\": 200\n\"content-type\": application/json\n"
        "\"content-digest\": sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:\n"
        "\"content-length\": 23\n"
        "\"@signature-params\": (\"@status\" \"content-type\" \"content-digest\" \"content-length\");created=1618884473;keyid=\"test-key-ecc-p256\"");
  CHECK(signing::verify_content_digest(std::string(rh[2].second), rbody).ok());
  // Section 2.4: a response covering parts of its request with ;req.
  std::string digest503 = "sha-512=:0Y6iCBzGg5rZtoXS95Ijz03mslf6KAMCloESHObfwnHJDbkkWWQz6PhhU9kxsTbARtY2PTBOzq24uJFpHsMuAg==:";
  TestRequest foo = t;
  foo.uri = "https://example.com/foo";
  signing::Message foo_req = foo.message();
  signing::Message r503;
  r503.status = 503;
  r503.headers = {{"Content-Length", "62"}, {"Content-Type", "application/json"}, {"Content-Digest", digest503}};
  r503.request = &foo_req;
  auto s24 = signing::signature_base(
      r503, R"(("@status" "content-digest" "content-type" "@authority";req "@method";req "@path";req "content-digest";req);created=1618884479;keyid="test-key-ecc-p256")");
  REQUIRE(s24.ok());
  CHECK(*s24 ==
        "\"@status\": 503\n\"content-digest\": " + digest503 + "\n\"content-type\": application/json\n"
        "\"@authority\";req: example.com\n\"@method\";req: POST\n\"@path\";req: /foo\n"
        "\"content-digest\";req: sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:\n"
        "\"@signature-params\": (\"@status\" \"content-digest\" \"content-type\" \"@authority\";req \"@method\";req \"@path\";req \"content-digest\";req);created=1618884479;keyid=\"test-key-ecc-p256\"");
  // ;req on a request is an error.
  CHECK(signing::signature_base(req, R"(("@method";req);created=1)").code() == Code::kInvalidRequest);

  // Section 2.2: derived components of other URIs.
  signing::Message q;
  q.method = "GET";
  q.target_uri = "https://WWW.Example.com:443/path?param=value&foo=bar&baz=bat%2Dman";
  auto derived = signing::signature_base(
      q, R"(("@method" "@target-uri" "@authority" "@scheme" "@request-target" "@path" "@query");created=1)");
  REQUIRE(derived.ok());
  CHECK(*derived ==
        "\"@method\": GET\n\"@target-uri\": https://WWW.Example.com:443/path?param=value&foo=bar&baz=bat%2Dman\n"
        "\"@authority\": www.example.com\n\"@scheme\": https\n\"@request-target\": /path?param=value&foo=bar&baz=bat%2Dman\n"
        "\"@path\": /path\n\"@query\": ?param=value&foo=bar&baz=bat%2Dman\n"
        "\"@signature-params\": (\"@method\" \"@target-uri\" \"@authority\" \"@scheme\" \"@request-target\" \"@path\" \"@query\");created=1");
  // An uppercase scheme still names its default port; userinfo is not part of the authority.
  q.target_uri = "HTTP://user:pw@Example.COM:80/x";
  CHECK(*signing::signature_base(q, R"(("@authority" "@scheme");created=1)") ==
        "\"@authority\": example.com\n\"@scheme\": http\n\"@signature-params\": (\"@authority\" \"@scheme\");created=1");
  q.target_uri = "http://example.com:8080";
  CHECK(*signing::signature_base(q, R"(("@authority" "@path" "@query");created=1)") ==
        "\"@authority\": example.com:8080\n\"@path\": /\n\"@query\": ?\n\"@signature-params\": (\"@authority\" \"@path\" \"@query\");created=1");
  // The authority starts after the last '@'.
  q.target_uri = "https://a@b:c@Example.com/";
  CHECK(*signing::signature_base(q, R"(("@authority");created=1)") ==
        "\"@authority\": example.com\n\"@signature-params\": (\"@authority\");created=1");
  // A space, control or non-ASCII byte anywhere in the target URI is refused (checked
  // sixteen bytes at a time where it can be).
  for (std::size_t length = 1; length <= 40; ++length) {
    const std::string uri = "https://e.co/" + std::string(length, 'p');
    q.target_uri = uri;
    REQUIRE(signing::signature_base(q, R"(("@path");created=1)").ok());
    for (std::size_t at = 0; at < uri.size(); ++at) {
      for (const char bad : {' ', '\0', '\x1f', '\x7f', '\x80', '\xff'}) {
        std::string spoiled = uri;
        spoiled[at] = bad;
        q.target_uri = spoiled;
        INFO(length << " " << at << " " << static_cast<int>(static_cast<unsigned char>(bad)));
        CHECK(signing::signature_base(q, R"(("@path");created=1)").code() == Code::kInvalidRequest);
      }
    }
  }
  // The authority ends at a '?' as at a '/'; the fragment is no part of any component.
  q.target_uri = "https://example.com?a=/b#c";
  CHECK(*signing::signature_base(q, R"(("@target-uri" "@authority" "@path" "@query");created=1)") ==
        "\"@target-uri\": https://example.com?a=/b\n\"@authority\": example.com\n\"@path\": /\n\"@query\": ?a=/b\n"
        "\"@signature-params\": (\"@target-uri\" \"@authority\" \"@path\" \"@query\");created=1");
  // Section 2.2.8: query parameters decoded, then encoded again.
  q.target_uri = "https://example.com/parameters?var=this%20is%20a%20big%0Amultiline%20value&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something&qux=";
  auto params = signing::signature_base(
      q, R"(("@query-param";name="var" "@query-param";name="bar" "@query-param";name="fa%C3%A7ade%22%3A%20" "@query-param";name="qux");created=1)");
  REQUIRE(params.ok());
  CHECK(*params ==
        "\"@query-param\";name=\"var\": this%20is%20a%20big%0Amultiline%20value\n"
        "\"@query-param\";name=\"bar\": with%20plus%20whitespace\n"
        "\"@query-param\";name=\"fa%C3%A7ade%22%3A%20\": something\n"
        "\"@query-param\";name=\"qux\": \n"
        "\"@signature-params\": (\"@query-param\";name=\"var\" \"@query-param\";name=\"bar\" \"@query-param\";name=\"fa%C3%A7ade%22%3A%20\" \"@query-param\";name=\"qux\");created=1");
  // A repeated or missing parameter cannot be covered.
  q.target_uri = "https://example.com/?a=1&a=2";
  CHECK(signing::signature_base(q, R"(("@query-param";name="a");created=1)").code() == Code::kInvalidRequest);
  CHECK(signing::signature_base(q, R"(("@query-param";name="b");created=1)").code() == Code::kInvalidRequest);

  // Section 2.1: field values, ;sf, ;key and ;bs.
  signing::Message f;
  f.method = "GET";
  f.target_uri = "https://example.com/";
  f.headers = {{"Example-Dict", " a=1,    b=2;x=1;y=2,   c=(a   b   c), d"},
               {"X-OWS-Header", "   Leading and trailing whitespace.   "},
               {"X-Empty-Header", ""},
               {"Cache-Control", "max-age=60"},
               {"cache-control", "   must-revalidate"},
               {"Example-Header", "value, with, lots"},
               {"Example-Header", "of, commas"}};
  auto fields = signing::signature_base(
      f, R"(("example-dict" "example-dict";sf "example-dict";key="a" "example-dict";key="d" "example-dict";key="b" "example-dict";key="c" "x-ows-header" "x-empty-header" "cache-control" "example-header";bs);created=1)");
  REQUIRE(fields.ok());
  CHECK(*fields ==
        "\"example-dict\": a=1,    b=2;x=1;y=2,   c=(a   b   c), d\n"
        "\"example-dict\";sf: a=1, b=2;x=1;y=2, c=(a b c), d\n"
        "\"example-dict\";key=\"a\": 1\n\"example-dict\";key=\"d\": ?1\n\"example-dict\";key=\"b\": 2;x=1;y=2\n"
        "\"example-dict\";key=\"c\": (a b c)\n"
        "\"x-ows-header\": Leading and trailing whitespace.\n\"x-empty-header\": \n"
        "\"cache-control\": max-age=60, must-revalidate\n"
        "\"example-header\";bs: :dmFsdWUsIHdpdGgsIGxvdHM=:, :b2YsIGNvbW1hcw==:\n"
        "\"@signature-params\": (\"example-dict\" \"example-dict\";sf \"example-dict\";key=\"a\" \"example-dict\";key=\"d\" \"example-dict\";key=\"b\" \"example-dict\";key=\"c\" \"x-ows-header\" \"x-empty-header\" \"cache-control\" \"example-header\";bs);created=1");
  // Identifier errors: unknown derived name, uppercase field, bs with sf, repeated component,
  // a missing dictionary key, unknown component parameter, @signature-params itself.
  for (const char* input : {R"(("@nope");created=1)", R"(("Example-Dict");created=1)",
                            R"(("example-dict";bs;sf);created=1)", R"(("example-dict" "example-dict");created=1)",
                            R"(("example-dict";key="zz");created=1)", R"(("example-dict";foo);created=1)",
                            R"(("@signature-params");created=1)", R"(("@method";name="x");created=1)",
                            R"(("@query-param");created=1)", R"(("x-missing");created=1)", R"(("a";tr);created=1)",
                            R"((@method);created=1)", R"("@method";created=1)"}) {
    INFO(input);
    CHECK(signing::signature_base(f, input).code() == Code::kInvalidRequest);
  }
}

namespace {
// Content-Digest checked as RFC 9530 reads it, member by member from the parsed dictionary:
// what verify_content_digest must answer, whichever way it reads a field.
std::pair<Code, std::string> model_digest_check(const std::string& field, const std::string& body) {
  auto dict = finfusion::sf::parse_dictionary(field);
  if (!dict.ok()) return {Code::kInvalidRequest, "Content-Digest is not a structured dictionary"};
  bool checked = false;
  for (const auto& [name, member] : *dict) {
    const auto* item = std::get_if<finfusion::sf::Item>(&member);
    const auto* bytes = item != nullptr ? std::get_if<finfusion::sf::ByteSequence>(&item->value) : nullptr;
    if (bytes == nullptr) return {Code::kInvalidRequest, "Content-Digest member " + name + " is not a byte sequence"};
    if (name != "sha-256" && name != "sha-512") continue;
    unsigned char digest[crypto_hash_sha512_BYTES];
    const auto* in = reinterpret_cast<const unsigned char*>(body.data());
    std::size_t size = crypto_hash_sha512_BYTES;
    if (name == "sha-256") {
      crypto_hash_sha256(digest, in, body.size());
      size = crypto_hash_sha256_BYTES;
    } else {
      crypto_hash_sha512(digest, in, body.size());
    }
    if (bytes->bytes != std::string(reinterpret_cast<const char*>(digest), size)) {
      return {Code::kSignatureInvalid, "Content-Digest " + name + " does not match the body"};
    }
    checked = true;
  }
  if (!checked) return {Code::kInvalidRequest, "Content-Digest has neither sha-256 nor sha-512"};
  return {Code::kValid, ""};
}
}  // namespace

TEST_CASE("Content-Digest: any byte anywhere in the signer's form reads as the dictionary says", "[signing]") {
  const std::string body = "{\"amount\": 1250, \"currency\": \"EUR\"}";
  for (const auto algorithm : {signing::DigestAlgorithm::kSha256, signing::DigestAlgorithm::kSha512}) {
    const std::string field = signing::content_digest(body, algorithm);
    std::vector<std::string> fields = {field, field + " ", field + ",", field + ";x=1", field + ", sha-512=:AAAA:",
                                       field + ", md5=:AAAA:", "md5=:AAAA:, " + field, field + ", " + field,
                                       field.substr(0, field.size() - 1), field + ":"};
    for (std::size_t i = 0; i < field.size(); ++i) {
      for (int c = 0; c < 256; ++c) {
        std::string f = field;
        f[i] = static_cast<char>(c);
        fields.push_back(f);
      }
    }
    for (const std::string& f : fields) {
      INFO(f);
      const auto [code, message] = model_digest_check(f, body);
      const finfusion::Status got = signing::verify_content_digest(f, body);
      REQUIRE(got.code() == code);
      CHECK(got.message() == message);
    }
  }
}

TEST_CASE("Content-Digest: RFC 9530 values and checks", "[signing]") {
  const std::string body = "{\"hello\": \"world\"}";
  CHECK(signing::content_digest(body) == "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
  CHECK(signing::content_digest(body, signing::DigestAlgorithm::kSha512) ==
        "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:");
  CHECK(signing::verify_content_digest("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", body).ok());
  // Unknown algorithms are ignored; every known one must match.
  CHECK(signing::verify_content_digest("md5=:AAAA:, sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", body).ok());
  CHECK(signing::verify_content_digest(
            "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:, sha-512=:AAAA:", body)
            .code() == Code::kSignatureInvalid);
  CHECK(signing::verify_content_digest("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", body + " ").code() ==
        Code::kSignatureInvalid);
  CHECK(signing::verify_content_digest("md5=:AAAA:", body).code() == Code::kInvalidRequest);
  CHECK(signing::verify_content_digest("sha-256=abc", body).code() == Code::kInvalidRequest);
  CHECK(signing::verify_content_digest("sha-256", body).code() == Code::kInvalidRequest);
  CHECK(signing::digest_from_name("sha-1").code() == Code::kInvalidRequest);
}

namespace {

// What the structured-field parser reads in a Signature-Input and Signature pair, in the
// terms of internal::SimpleSignature: the model the in-place reading is held to. Nothing when
// the parser's reading is not one such signature.
std::optional<std::string> parser_reading(const std::string& inputs, const std::string& signatures) {
  auto in = finfusion::sf::parse_dictionary(inputs);
  auto sig = finfusion::sf::parse_dictionary(signatures);
  if (!in.ok() || !sig.ok() || in->size() != 1 || sig->size() != 1) return std::nullopt;
  const auto* list = std::get_if<finfusion::sf::InnerList>(&in->front().second);
  const auto* item = std::get_if<finfusion::sf::Item>(&sig->front().second);
  const auto* bytes = item != nullptr ? std::get_if<finfusion::sf::ByteSequence>(&item->value) : nullptr;
  if (list == nullptr || bytes == nullptr || !item->params.empty() || sig->front().first != in->front().first) {
    return std::nullopt;
  }
  std::ostringstream out;
  out << "label=" << in->front().first << "\n";
  for (const auto& component : list->items) {
    const auto* name = std::get_if<std::string>(&component.value);
    if (name == nullptr || !component.params.empty()) return std::nullopt;
    out << "name=" << *name << "\n";
  }
  for (const auto& [name, value] : list->params) {
    const auto* n = std::get_if<std::int64_t>(&value);
    const auto* text = std::get_if<std::string>(&value);
    if ((name == "created" || name == "expires") && n != nullptr) {
      out << name << "=" << *n << "\n";
    } else if ((name == "keyid" || name == "alg" || name == "nonce" || name == "tag") && text != nullptr) {
      out << name << "=" << *text << "\n";
    } else {
      return std::nullopt;
    }
  }
  out << "params=" << *finfusion::sf::serialize(list->params) << "\n";
  out << "signature=" << bytes->bytes << "\n";
  return out.str();
}

// The in-place reading in the same terms (parameters in the order the parser keeps).
std::string simple_reading(const finfusion::internal::SimpleSignature& s, const std::string& inputs) {
  std::ostringstream out;
  out << "label=" << s.label << "\n";
  for (std::size_t i = 0; i < s.count; ++i) out << "name=" << s.names[i] << "\n";
  std::vector<std::pair<std::size_t, std::string>> params;  // by position in the field
  const auto at = [&](std::string_view name) { return inputs.find(";" + std::string(name) + "="); };
  if (s.created) params.emplace_back(at("created"), "created=" + std::to_string(*s.created));
  if (s.expires) params.emplace_back(at("expires"), "expires=" + std::to_string(*s.expires));
  if (s.keyid) params.emplace_back(at("keyid"), "keyid=" + std::string(*s.keyid));
  if (s.alg) params.emplace_back(at("alg"), "alg=" + std::string(*s.alg));
  if (s.nonce) params.emplace_back(at("nonce"), "nonce=" + std::string(*s.nonce));
  if (s.tag) params.emplace_back(at("tag"), "tag=" + std::string(*s.tag));
  std::sort(params.begin(), params.end());
  for (const auto& p : params) out << p.second << "\n";
  out << "params=" << s.params << "\n";
  out << "signature=" << s.signature_bytes() << "\n";
  return out.str();
}

// Every option of sign() that shapes the two fields, both algorithms.
std::vector<signing::Signed> signed_forms() {
  std::vector<signing::Signed> out;
  for (const signing::SigningKey& key : {hmac_key(), ed_key()}) {
    std::vector<signing::SignOptions> options(7);
    options[1].nonce = "n-0123456789abcdef";
    options[1].tag = "app \"x\"";  // a string the parser escapes: not read in place
    options[2].expires_in_seconds = 300;
    options[2].include_alg = false;
    options[3].generate_nonce = true;
    options[3].tag = "app";
    options[4].components = {"@method", "@authority", "@path", "x-request-id"};
    options[5].label = "a*-_.9";
    options[5].components = {"content-type"};
    options[6].components = {"@query-param;name=\"currency\""};  // a component with a parameter: not read in place
    for (const auto& o : options) out.push_back(*signing::sign(typical().message(), key, o, kCreated));
  }
  return out;
}

}  // namespace

TEST_CASE("Signature-Input and Signature: any byte anywhere reads in place as the parser reads it", "[signing]") {
  std::size_t accepted = 0, declined = 0;
  for (const signing::Signed& s : signed_forms()) {
    const std::string inputs = s.headers[s.headers.size() - 2].second, signatures = s.headers.back().second;
    std::vector<std::pair<std::string, std::string>> pairs = {
        {inputs, signatures}, {inputs + " ", signatures}, {inputs + ",", signatures},
        {inputs + ", sig2=()", signatures}, {inputs, signatures + ", sig2=:AAAA:"}, {inputs + ";created=1", signatures},
        {inputs + ";x=1", signatures}, {inputs, signatures + ";x"}, {inputs, signatures.substr(0, signatures.size() - 1)}};
    for (std::size_t field = 0; field < 2; ++field) {
      const std::string& text = field == 0 ? inputs : signatures;
      for (std::size_t i = 0; i <= text.size(); ++i) {
        std::vector<std::string> variants;
        if (i < text.size()) {
          for (int c = 0; c < 256; ++c) variants.push_back(text.substr(0, i) + static_cast<char>(c) + text.substr(i + 1));
          variants.push_back(text.substr(0, i) + text.substr(i + 1));
        }
        for (const char* insert : {" ", "0", "\\", "\"", ";", ",", "=", "a"}) {
          variants.push_back(text.substr(0, i) + insert + text.substr(i));
        }
        for (const std::string& v : variants) pairs.emplace_back(field == 0 ? v : inputs, field == 0 ? signatures : v);
      }
    }
    for (const auto& [in, sig] : pairs) {
      INFO(in << "\n" << sig);
      finfusion::internal::SimpleSignature simple;
      if (!finfusion::internal::read_simple_signature(in, sig, simple)) {
        ++declined;
        continue;
      }
      ++accepted;
      const std::optional<std::string> model = parser_reading(in, sig);
      REQUIRE(model.has_value());
      CHECK(simple_reading(simple, in) == *model);
    }
  }
  // Both sides are exercised: the forms sign() writes and their printable variants are read
  // in place; escapes, other members and non-canonical texts are not.
  CHECK(accepted > 10000);
  CHECK(declined > 10000);
  for (const signing::Signed& s : signed_forms()) {
    finfusion::internal::SimpleSignature simple;
    const std::string& inputs = s.headers[s.headers.size() - 2].second;
    const bool plain = inputs.find('\\') == std::string::npos && inputs.substr(0, inputs.find(')')).find(';') == std::string::npos;
    CHECK(finfusion::internal::read_simple_signature(inputs, s.headers.back().second, simple) == plain);
  }
}

TEST_CASE("verify: a signature read in place verifies as the parser's reading of it does", "[signing]") {
  // The same signature once alone (read in place) and once beside another member (read by
  // the parser): every field of the verification is the same, signature base included.
  std::size_t valid = 0;
  for (const signing::SigningKey& key : {hmac_key(), ed_key()}) {
    for (const signing::Signed& s : signed_forms()) {
      if (s.headers[s.headers.size() - 2].second.find(key.key_id()) == std::string::npos) continue;
      INFO(s.headers[s.headers.size() - 2].second);
      TestRequest alone = typical(), beside = typical();
      add(alone, s);
      add(beside, s);
      beside.headers.emplace_back("Signature", "other=:AAAA:");
      for (const std::int64_t now : {kCreated, kCreated + 400'000}) {
        const signing::Verification a = signing::verify(alone.message(), ring_of(key), {}, nullptr, now);
        const signing::Verification b = signing::verify(beside.message(), ring_of(key), {}, nullptr, now);
        CHECK(a.to_json() == b.to_json());
        CHECK(a.message == b.message);
        CHECK(a.signature_base == b.signature_base);
        if (a.valid) ++valid;
      }
    }
  }
  CHECK(valid == 8);  // the forms covering content-digest, at their created time
}

TEST_CASE("Wycheproof HMAC-SHA256 through SigningKey and VerifyingKey", "[signing][external]") {
  auto doc = load_external("hmac_sha256_test.json");
  std::size_t valid = 0, invalid = 0, short_keys = 0;
  for (const auto& group : doc.at("testGroups")) {
    const std::size_t tag_bytes = group.at("tagSize").get<std::size_t>() / 8;
    for (const auto& t : group.at("tests")) {
      INFO("tcId " << t.at("tcId"));
      std::string key = from_hex(t.at("key")), msg = from_hex(t.at("msg")), tag = from_hex(t.at("tag"));
      const bool expect = t.at("result") == "valid";
      auto verifier = signing::VerifyingKey::Hmac("w", SecretBytes::FromView(key));
      if (key.size() < signing::kMinHmacSecretBytes) {
        CHECK(verifier.code() == Code::kInvalidRequest);
        ++short_keys;
        continue;
      }
      REQUIRE(verifier.ok());
      auto signer = signing::SigningKey::Hmac("w", SecretBytes::FromView(key));
      REQUIRE(signer.ok());
      // Full tags go through verify(); truncated ones compare a prefix of sign().
      bool got = tag_bytes == 32 ? verifier->verify(msg, tag)
                                 : finfusion::constant_time_equals(signer->sign(msg).substr(0, tag_bytes), tag);
      CHECK(got == expect);
      (expect ? valid : invalid)++;
    }
  }
  CHECK(valid >= 40);
  CHECK(invalid >= 80);
  CHECK(short_keys == 0);
}

TEST_CASE("Wycheproof Ed25519 through VerifyingKey", "[signing][external]") {
  auto doc = load_external("ed25519_test.json");
  std::size_t n = 0;
  for (const auto& group : doc.at("testGroups")) {
    auto key = signing::VerifyingKey::Ed25519("w", from_hex(group.at("publicKey").at("pk")));
    REQUIRE(key.ok());
    for (const auto& t : group.at("tests")) {
      INFO("tcId " << t.at("tcId") << " " << t.at("comment"));
      CHECK(key->verify(from_hex(t.at("msg")), from_hex(t.at("sig"))) == (t.at("result") == "valid"));
      ++n;
    }
  }
  CHECK(n == 151);
  CHECK(signing::VerifyingKey::Ed25519("w", std::string(31, 'a')).code() == Code::kInvalidRequest);
}

TEST_CASE("keys: wrong lengths and bad keyids are typed errors; signing keys derive their verifiers", "[signing]") {
  CHECK(signing::SigningKey::Hmac("k", SecretBytes::FromView(std::string(15, 'a'))).code() == Code::kInvalidRequest);
  CHECK(signing::SigningKey::Hmac("k", SecretBytes::FromView(std::string(1025, 'a'))).code() == Code::kInvalidRequest);
  CHECK(signing::SigningKey::Ed25519("k", SecretBytes::FromView(std::string(31, 'a'))).code() == Code::kInvalidRequest);
  CHECK(signing::SigningKey::Ed25519("k", SecretBytes::FromView(std::string(64, 'a'))).code() == Code::kInvalidRequest);
  CHECK(signing::SigningKey::Hmac("", SecretBytes::FromView(std::string(32, 'a'))).code() == Code::kInvalidRequest);
  CHECK(signing::SigningKey::Hmac("bad\nid", SecretBytes::FromView(std::string(32, 'a'))).code() == Code::kInvalidRequest);
  auto secret_error = signing::SigningKey::Hmac("k", SecretBytes::FromView("sixteen-chars!!"));
  CHECK(secret_error.status().message().find("sixteen") == std::string::npos);
  // RFC 8032 test 1: the seed 9d61b19d... has the public key d75a9801...
  auto rfc8032 = signing::SigningKey::Ed25519(
      "t", SecretBytes::FromView(from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")));
  REQUIRE(rfc8032.ok());
  CHECK(rfc8032->public_key() == from_hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
  CHECK(rfc8032->sign("") ==
        from_hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"));
  for (auto algorithm : {signing::Algorithm::kHmacSha256, signing::Algorithm::kEd25519}) {
    auto k = signing::SigningKey::Generate("g", algorithm);
    REQUIRE(k.ok());
    CHECK(k->verifying_key().verify("m", k->sign("m")));
    CHECK_FALSE(k->verifying_key().verify("n", k->sign("m")));
  }
  CHECK(signing::algorithm_from_name("rsa-pss-sha512").code() == Code::kInvalidRequest);
}

TEST_CASE("sign and verify: both algorithms, default components, Content-Digest added", "[signing]") {
  for (const signing::SigningKey& key : {hmac_key(), ed_key()}) {
    INFO(signing::algorithm_name(key.algorithm()));
    TestRequest t = typical();
    auto s = signing::sign(t.message(), key, {}, kCreated);
    REQUIRE(s.ok());
    REQUIRE(s->headers.size() == 3);
    CHECK(s->headers[0].first == "Content-Digest");
    CHECK(s->headers[0].second == signing::content_digest(t.body));
    CHECK(s->headers[1].second ==
          "sig1=(\"@method\" \"@target-uri\" \"content-digest\" \"content-type\" \"authorization\");created=1618884473;keyid=\"" +
              key.key_id() + "\";alg=\"" + std::string(signing::algorithm_name(key.algorithm())) + "\"");
    add(t, *s);
    auto v = signing::verify(t.message(), ring_of(key), {}, nullptr, kCreated);
    CHECK(v.code == Code::kValid);
    CHECK(v.key_id == key.key_id());
    CHECK(v.covered.size() == 5);
    CHECK(nlohmann::json::parse(v.to_json()).at("code") == "valid");
  }
}

TEST_CASE("sign and verify: a one-byte change to any covered component fails; uncovered headers may change", "[signing]") {
  signing::SigningKey key = hmac_key();
  TestRequest t = typical();
  auto s = signing::sign(t.message(), key, {}, kCreated);
  REQUIRE(s.ok());
  add(t, *s);
  auto check = [&](const TestRequest& changed) {
    return signing::verify(changed.message(), ring_of(key), {}, nullptr, kCreated).code;
  };
  REQUIRE(check(t) == Code::kValid);
  auto flip = [](std::string& text, std::size_t i) { text[i] = static_cast<char>(text[i] ^ 1); };
  for (std::size_t i = 0; i < t.method.size(); ++i) {
    TestRequest c = t;
    flip(c.method, i);
    CHECK(check(c) != Code::kValid);
  }
  for (std::size_t i = 0; i < t.uri.size(); ++i) {
    TestRequest c = t;
    flip(c.uri, i);
    INFO(c.uri);
    CHECK(check(c) != Code::kValid);
  }
  for (std::size_t i = 0; i < t.body.size(); i += 7) {
    TestRequest c = t;
    flip(c.body, i);
    CHECK(check(c) == Code::kSignatureInvalid);
  }
  for (std::size_t h : {1u, 2u}) {  // content-type, authorization
    for (std::size_t i = 0; i < t.headers[h].second.size(); ++i) {
      TestRequest c = t;
      flip(c.headers[h].second, i);
      CHECK(check(c) != Code::kValid);
    }
  }
  // Every byte of the signature itself.
  std::string& sig = t.headers.back().second;
  for (std::size_t i = 5; i + 2 < sig.size(); ++i) {
    TestRequest c = t;
    c.headers.back().second[i] = c.headers.back().second[i] == 'A' ? 'B' : 'A';
    CHECK(check(c) != Code::kValid);
  }
  // Uncovered: Host and X-Request-Id, and extra headers.
  TestRequest c = t;
  c.headers[0].second = "other.example";
  c.headers[3].second = "changed";
  c.headers.emplace_back("X-Extra", "1");
  CHECK(check(c) == Code::kValid);
  // Header names match case-insensitively.
  c.headers[1].first = "CONTENT-TYPE";
  CHECK(check(c) == Code::kValid);
  // A missing covered header is signature_invalid.
  TestRequest missing = t;
  missing.headers.erase(missing.headers.begin() + 2);
  CHECK(check(missing) == Code::kSignatureInvalid);
}

TEST_CASE("verify: time window, keys, algorithms and labels", "[signing]") {
  signing::SigningKey key = ed_key();
  TestRequest t = typical();
  signing::SignOptions options;
  options.expires_in_seconds = 60;
  options.tag = "app-1";
  auto s = signing::sign(t.message(), key, options, kCreated);
  REQUIRE(s.ok());
  add(t, *s);
  auto at = [&](finfusion::time::Millis now, const signing::KeyRing& ring, signing::VerifyPolicy policy = {}) {
    return signing::verify(t.message(), ring, policy, nullptr, now);
  };
  signing::KeyRing ring = ring_of(key);
  CHECK(at(kCreated + 59000, ring).code == Code::kValid);
  CHECK(at(kCreated + 59000, ring).tag == "app-1");
  CHECK(*at(kCreated, ring).expires == 1618884473 + 60);
  CHECK(at(kCreated + 61000, ring).code == Code::kSignatureExpired);
  CHECK(at(kCreated - 301000, ring).code == Code::kSignatureExpired);   // created in the future
  CHECK(at(kCreated - 299000, ring).code == Code::kValid);              // within the skew
  signing::VerifyPolicy tight;
  tight.tolerance_seconds = 10;
  CHECK(at(kCreated + 11000, ring, tight).code == Code::kSignatureExpired);  // too old

  signing::KeyRing other = ring_of(ed_key("someone-else"));
  CHECK(at(kCreated, other).code == Code::kNotFound);
  // Same keyid, other algorithm: alg says ed25519, so the HMAC key is not tried.
  signing::KeyRing wrong_alg = ring_of(hmac_key("ed-1"));
  CHECK(at(kCreated, wrong_alg).code == Code::kSignatureInvalid);
  // Same keyid, other Ed25519 key: the signature does not verify.
  signing::KeyRing impostor = ring_of(*signing::SigningKey::Ed25519("ed-1", SecretBytes::FromView(std::string(32, '\x08'))));
  CHECK(at(kCreated, impostor).code == Code::kSignatureInvalid);
  // Rotation: the old and new keys share a keyid and either verifies.
  impostor.add(key.verifying_key());
  CHECK(at(kCreated, impostor).code == Code::kValid);

  signing::VerifyPolicy labelled;
  labelled.label = "sig2";
  CHECK(at(kCreated, ring, labelled).code == Code::kSignatureInvalid);
  labelled.label = "sig1";
  CHECK(at(kCreated, ring, labelled).code == Code::kValid);
  signing::VerifyPolicy coverage;
  coverage.required_components = {"@method", "@authority"};
  CHECK(at(kCreated, ring, coverage).code == Code::kSignatureInvalid);
  coverage.required_components = {"@method", "@target-uri"};
  CHECK(at(kCreated, ring, coverage).code == Code::kValid);
  coverage.required_components = {"@bogus"};
  CHECK(at(kCreated, ring, coverage).code == Code::kInvalidRequest);
  // Required components are a set: content-digest named as well as required for the body,
  // and a component named with and without its quotes, are each asked for once.
  coverage.required_components = {"content-digest", "@method", "\"@method\""};
  CHECK(at(kCreated, ring, coverage).code == Code::kValid);
  for (const char* bad : {"@query-param", "@signature-params", "Content-Type", "content type", ""}) {
    coverage.required_components = {bad};
    CHECK(at(kCreated, ring, coverage).code == Code::kInvalidRequest);
  }
  coverage.required_components = {"@query-param;name=\"x\""};
  CHECK(at(kCreated, ring, coverage).code == Code::kSignatureInvalid);  // valid, but not covered

  // A second signature by another key: each verifies under its own label.
  signing::SigningKey second = hmac_key("key-2");
  signing::SignOptions o2;
  o2.label = "sig2";
  o2.components = {"@method", "@path", "content-digest"};
  auto s2 = signing::sign(t.message(), second, o2, kCreated);
  REQUIRE(s2.ok());
  CHECK(s2->headers.size() == 2);  // the Content-Digest is already there
  add(t, *s2);
  CHECK(at(kCreated, ring_of(second)).label == "sig2");
  CHECK(at(kCreated, ring_of(second)).code == Code::kValid);
  CHECK(at(kCreated, ring).label == "sig1");
  // Signing again under a label in use is refused.
  CHECK(signing::sign(t.message(), second, o2, kCreated).code() == Code::kInvalidRequest);
}

TEST_CASE("replay: nonces are remembered for the window, memory is bounded and fails closed", "[signing]") {
  signing::SigningKey key = hmac_key();
  signing::KeyRing ring = ring_of(key);
  signing::NonceCache nonces(3);
  signing::VerifyPolicy policy;
  policy.require_nonce = true;
  auto signed_request = [&](const std::string& nonce, finfusion::time::Millis now) {
    TestRequest t = typical();
    signing::SignOptions o;
    o.nonce = nonce;
    o.generate_nonce = nonce.empty();
    auto s = signing::sign(t.message(), key, o, now);
    REQUIRE(s.ok());
    add(t, *s);
    return t;
  };
  TestRequest a = signed_request("n-1", kCreated);
  CHECK(signing::verify(a.message(), ring, policy, &nonces, kCreated).code == Code::kValid);
  CHECK(signing::verify(a.message(), ring, policy, &nonces, kCreated + 1000).code == Code::kReplayed);
  // A policy that requires nonces without a cache is a configuration error.
  CHECK(signing::verify(a.message(), ring, policy, nullptr, kCreated).code == Code::kInvalidRequest);
  // Generated nonces are distinct.
  TestRequest g1 = signed_request("", kCreated), g2 = signed_request("", kCreated);
  auto v1 = signing::verify(g1.message(), ring, policy, &nonces, kCreated);
  auto v2 = signing::verify(g2.message(), ring, policy, &nonces, kCreated);
  CHECK(v1.code == Code::kValid);
  CHECK(v2.code == Code::kValid);
  CHECK(v1.nonce != v2.nonce);
  CHECK(v1.nonce.size() == 22);
  CHECK(nonces.size() == 3);
  // Full of live nonces: refuse, do not forget one.
  TestRequest d = signed_request("n-4", kCreated);
  CHECK(signing::verify(d.message(), ring, policy, &nonces, kCreated).code == Code::kRateLimited);
  CHECK(signing::verify(a.message(), ring, policy, &nonces, kCreated + 2000).code == Code::kReplayed);
  // Once the window has passed the old entries go, and the old request is too old anyway.
  TestRequest later = signed_request("n-5", kCreated + 400000);
  CHECK(signing::verify(later.message(), ring, policy, &nonces, kCreated + 400000).code == Code::kValid);
  CHECK(nonces.size() == 1);
  CHECK(signing::verify(a.message(), ring, policy, &nonces, kCreated + 400000).code == Code::kSignatureExpired);
  // Without a nonce, a policy that requires one rejects the signature.
  TestRequest plain = typical();
  auto s = signing::sign(plain.message(), key, {}, kCreated);
  REQUIRE(s.ok());
  add(plain, *s);
  CHECK(signing::verify(plain.message(), ring, policy, &nonces, kCreated).code == Code::kSignatureInvalid);
  // Bad nonces are refused when signing.
  signing::SignOptions bad;
  bad.nonce = std::string(300, 'n');
  CHECK(signing::sign(typical().message(), key, bad, kCreated).code() == Code::kInvalidRequest);
  bad.nonce = "x";
  bad.generate_nonce = true;
  CHECK(signing::sign(typical().message(), key, bad, kCreated).code() == Code::kInvalidRequest);
}

TEST_CASE("verify: malformed signature fields are invalid_request, never a crash", "[signing]") {
  signing::KeyRing ring = ring_of(hmac_key());
  TestRequest base = typical();
  base.body.clear();
  auto with = [&](const std::string& input, const std::string& sig) {
    TestRequest t = base;
    t.headers.emplace_back("Signature-Input", input);
    t.headers.emplace_back("Signature", sig);
    signing::Message m = t.message();
    m.body.reset();
    return signing::verify(m, ring, {}, nullptr, kCreated).code;
  };
  const std::string good_sig = "sig1=:" + std::string(43, 'A') + "=:";
  const std::string ok_input = R"(sig1=("@method");created=1618884473;keyid="key-1")";
  CHECK(with(ok_input, good_sig) == Code::kSignatureInvalid);  // well-formed, wrong signature
  const std::pair<std::string, std::string> malformed[] = {
      {"sig1=(\"@method\";created=1", good_sig},                                     // bad dictionary syntax
      {ok_input + ", sig1=(\"@path\");created=1", good_sig},                          // duplicate label
      {R"(sig1=("@method");created=1618884473;keyid="key-1";foo=1)", good_sig},       // unknown parameter
      {R"(sig1=("@method");created="now";keyid="key-1")", good_sig},                  // wrong type
      {R"(sig1=("@method");created=1618884473;keyid=key-1)", good_sig},               // keyid as a token
      {R"(sig1="@method";created=1618884473;keyid="key-1")", good_sig},               // not an inner list
      {R"(sig1=(@method);created=1618884473;keyid="key-1")", good_sig},               // component as a token
      {ok_input, "sig1=\"AAAA\""},                                                    // signature not bytes
      {ok_input, "sig2=:AAAA:"},                                                      // no signature for the label
      {ok_input, "sig1=:AAAA:, sig1=:AAAA:"},                                         // duplicate label
      {ok_input, "sig1=:AAA:"},                                                       // bad base64
      {R"(sig1=("@method" "@method");created=1618884473;keyid="key-1")", good_sig},   // repeated component
      {R"(sig1=("x-a" "@method" "x-a");created=1618884473;keyid="key-1")", good_sig},  // repeated field
      {R"(sig1=("x-a";sf "x-a";sf);created=1618884473;keyid="key-1")", good_sig},     // with its parameter
      {R"(sig1=("@method");created=99999999999999;keyid="key-1")", good_sig},         // created out of range
      {std::string(20000, 'a'), good_sig},                                            // huge
  };
  for (const auto& [input, sig] : malformed) {
    INFO(input.substr(0, 80) << " / " << sig);
    CHECK(with(input, sig) == Code::kInvalidRequest);
  }
  // Unsigned messages and unknown algorithms are signature_invalid; no keyid is not_found.
  signing::Message unsigned_message = base.message();
  CHECK(signing::verify(unsigned_message, ring, {}, nullptr, kCreated).code == Code::kSignatureInvalid);
  CHECK(with(R"(sig1=("@method");created=1618884473;keyid="key-1";alg="rsa-v1_5-sha256")", good_sig) ==
        Code::kSignatureInvalid);
  CHECK(with(R"(sig1=("@method");created=1618884473)", good_sig) == Code::kNotFound);
  CHECK(with(R"(sig1=("@method");keyid="key-1")", good_sig) == Code::kSignatureInvalid);  // no created
}

TEST_CASE("a covered header value with CR, LF or NUL anywhere is refused, at every length", "[signing]") {
  // The check reads sixteen bytes at a time where it can, then a byte at a time.
  signing::SigningKey key = hmac_key();
  signing::SignOptions o;
  o.components = {"@method", "x-a"};
  for (std::size_t length = 1; length <= 40; ++length) {
    TestRequest t = typical();
    t.headers.emplace_back("X-A", std::string(length, 'v'));
    INFO(length);
    REQUIRE(signing::sign(t.message(), key, o, kCreated).ok());
    for (std::size_t at = 0; at < length; ++at) {
      for (char bad : {'\r', '\n', '\0'}) {
        t.headers.back().second = std::string(length, 'v');
        t.headers.back().second[at] = bad;
        INFO(at << " " << static_cast<int>(bad));
        CHECK(signing::sign(t.message(), key, o, kCreated).code() == Code::kInvalidRequest);
      }
    }
  }
}

TEST_CASE("header names match ignoring ASCII case only, at every length and position", "[signing]") {
  // Only 'A'..'Z' fold: the bytes 0x20 away from '`', '|', '~', '^', '_', digits and '-',
  // and a letter with its top bit set, are other names.
  signing::SigningKey key = hmac_key();
  const std::string alphabet = "az`|~^_09-m";
  for (std::size_t length = 1; length <= 24; ++length) {
    std::string name;
    for (std::size_t i = 0; i < length; ++i) name.push_back(alphabet[(i * 7 + length) % alphabet.size()]);
    signing::SignOptions o;
    o.components = {"@method", name};
    auto sign_with = [&](const std::string& header_name) {
      TestRequest t = typical();
      t.headers.emplace_back(header_name, "v");
      return signing::sign(t.message(), key, o, kCreated);
    };
    INFO(name);
    REQUIRE(sign_with(name).ok());
    for (std::size_t at = 0; at < length; ++at) {
      const char c = name[at];
      const bool letter = c >= 'a' && c <= 'z';
      std::string other = name;
      other[at] = static_cast<char>(c ^ 0x20);
      INFO(at << " " << other);
      auto folded = sign_with(other);
      CHECK(folded.ok() == letter);
      if (!letter) CHECK(folded.status().message().find("has no") != std::string::npos);
      other[at] = static_cast<char>(c | 0x80);
      auto high = sign_with(other);
      CHECK_FALSE(high.ok());
      CHECK(high.status().message().find("has no") != std::string::npos);
    }
  }
}

TEST_CASE("sign: bad options and messages are refused before signing", "[signing]") {
  signing::SigningKey key = hmac_key();
  TestRequest t = typical();
  signing::SignOptions o;
  o.label = "Sig";
  CHECK(signing::sign(t.message(), key, o, kCreated).code() == Code::kInvalidRequest);
  o = {};
  o.components = {"x-not-there"};
  CHECK(signing::sign(t.message(), key, o, kCreated).code() == Code::kInvalidRequest);
  o.components = {"@status"};
  CHECK(signing::sign(t.message(), key, o, kCreated).code() == Code::kInvalidRequest);
  o.components = {"@method", "@method"};
  CHECK(signing::sign(t.message(), key, o, kCreated).code() == Code::kInvalidRequest);
  // A name and its quoted identifier are the same component, a default one or not.
  o.components = {"content-type", "\"content-type\""};
  CHECK(signing::sign(t.message(), key, o, kCreated).code() == Code::kInvalidRequest);
  o.components = {"x-request-id", "@method", "\"x-request-id\""};
  CHECK(signing::sign(t.message(), key, o, kCreated).code() == Code::kInvalidRequest);
  o.components = {"content-type;sf", "content-type"};  // two components
  CHECK(signing::sign(t.message(), key, o, kCreated).ok());
  o.components = {"\"@method\"", "content-type", "\"x-request-id\""};
  auto quoted = signing::sign(t.message(), key, o, kCreated);
  o.components = {"@method", "\"content-type\"", "x-request-id"};
  auto plain = signing::sign(t.message(), key, o, kCreated);
  REQUIRE((quoted.ok() && plain.ok()));
  CHECK(quoted->signature_base == plain->signature_base);
  o = {};
  o.expires_in_seconds = 0;
  CHECK(signing::sign(t.message(), key, o, kCreated).code() == Code::kInvalidRequest);
  // Instants outside the calendar are refused, never wrapped.
  CHECK(signing::sign(t.message(), key, {}, -1).code() == Code::kInvalidTimestamp);
  CHECK(signing::sign(t.message(), key, {}, INT64_MAX).code() == Code::kInvalidTimestamp);
  CHECK(signing::verify(t.message(), ring_of(key), {}, nullptr, INT64_MAX).code == Code::kInvalidTimestamp);
  CHECK(signing::verify(t.message(), ring_of(key), {}, nullptr, INT64_MIN).code == Code::kInvalidTimestamp);
  // A Content-Digest that does not match the body is not signed.
  TestRequest lying = t;
  lying.headers.emplace_back("Content-Digest", signing::content_digest("other"));
  CHECK(signing::sign(lying.message(), key, {}, kCreated).code() == Code::kInvalidRequest);
  // Header values with CR or LF, and relative URIs.
  TestRequest crlf = t;
  crlf.headers[1].second = "application/json\r\nX-Evil: 1";
  CHECK(signing::sign(crlf.message(), key, {}, kCreated).code() == Code::kInvalidRequest);
  TestRequest relative = t;
  relative.uri = "/v1/payments";
  CHECK(signing::sign(relative.message(), key, {}, kCreated).code() == Code::kInvalidRequest);
  // Responses sign @status by default.
  signing::Message resp;
  resp.status = 201;
  resp.headers = {{"Content-Type", "application/json"}};
  resp.body = std::string_view("{}");
  auto s = signing::sign(resp, key, {}, kCreated);
  REQUIRE(s.ok());
  CHECK(s->signature_input == "(\"@status\" \"content-digest\" \"content-type\");created=1618884473;keyid=\"key-1\";alg=\"hmac-sha256\"");
}
