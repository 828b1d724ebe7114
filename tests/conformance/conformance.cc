#include "conformance.h"

#include <stdexcept>
#include <vector>

#include "finfusion/hash.h"
#include "finfusion/key.h"
#include "finfusion/lifecycle.h"
#include "finfusion/ratelimit.h"
#include "finfusion/registry.h"
#include "finfusion/scope.h"
#include "finfusion/signing.h"
#include "finfusion/time.h"
#include "finfusion/webhooks.h"

namespace finfusion::conformance {
namespace {

struct BadCase : std::runtime_error {
  using std::runtime_error::runtime_error;
};

Json error(const Status& status) { return Json{{"error", std::string(status.code_name())}}; }

template <typename T>
Json expect(T&& value) {
  return Json{{"expect", std::forward<T>(value)}};
}

const Json& field(const Json& input, const char* name) {
  auto it = input.find(name);
  if (it == input.end()) throw BadCase(std::string("missing input field ") + name);
  return *it;
}

std::string str(const Json& input, const char* name) {
  const Json& v = field(input, name);
  if (!v.is_string()) throw BadCase(std::string(name) + " must be a string");
  return v.get<std::string>();
}

std::string from_hex(const std::string& hex) {
  if (hex.size() % 2) throw BadCase("odd hex length");
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

// A string input given as text ("key") or as hex bytes ("key_hex", for bytes JSON
// strings cannot carry, such as invalid UTF-8).
std::string text_or_hex(const Json& input, const char* name) {
  std::string hex_name = std::string(name) + "_hex";
  if (std::string(name) == "request_text") hex_name = "request_hex";
  if (input.contains(hex_name)) return from_hex(str(input, hex_name.c_str()));
  return str(input, name);
}

std::vector<std::string> strings(const Json& input, const char* name) {
  const Json& v = field(input, name);
  if (!v.is_array()) throw BadCase(std::string(name) + " must be an array");
  std::vector<std::string> out;
  for (const Json& item : v) out.push_back(item.get<std::string>());
  return out;
}

Json parsed_key(const keys::ParsedKey& k) {
  return Json{{"id", k.id},
              {"type", std::string(keys::type_name(k.type))},
              {"environment", std::string(keys::environment_name(k.environment))},
              {"format_version", k.format_version}};
}

Json answer_key(const std::string& op, const Json& in) {
  if (op == "check_format") {
    return expect(std::string(code_name(keys::check_format(text_or_hex(in, "key")))));
  }
  if (op == "parse") {
    auto r = keys::parse(text_or_hex(in, "key"));
    return r.ok() ? expect(parsed_key(*r)) : error(r.status());
  }
  if (op == "parse_id") {
    auto r = keys::parse_id(text_or_hex(in, "id"));
    return r.ok() ? expect(parsed_key(*r)) : error(r.status());
  }
  if (op == "mask") {
    auto r = keys::mask(text_or_hex(in, "key"));
    return r.ok() ? expect(*r) : error(r.status());
  }
  if (op == "generate") {
    auto type = keys::type_from_name(str(in, "type"));
    if (!type.ok()) return error(type.status());
    auto r = keys::generate_from_entropy(*type, from_hex(str(in, "entropy_hex")));
    if (!r.ok()) return error(r.status());
    return expect(Json{{"key", std::string(r->reveal())}, {"id", r->id()}});
  }
  if (op == "type") {
    auto r = keys::type_from_name(str(in, "name"));
    if (!r.ok()) return error(r.status());
    return expect(Json{{"prefix", std::string(keys::type_prefix(*r))},
                       {"environment", std::string(keys::environment_name(keys::type_environment(*r)))}});
  }
  if (op == "type_table") {
    std::string text = in.contains("overrides_text") ? str(in, "overrides_text")
                                                     : field(in, "overrides").dump();
    auto r = keys::TypeTable::Create(text);
    if (!r.ok()) return error(r.status());
    return expect(Json::parse(r->to_json()));
  }
  throw BadCase("unknown key op " + op);
}

Json answer_scope(const std::string& op, const Json& in) {
  if (op == "parse") {
    auto r = scopes::parse(strings(in, "scopes"));
    return r.ok() ? expect(r->to_strings()) : error(r.status());
  }
  auto granted_or_child = [&](const char* name) {
    auto r = scopes::parse(strings(in, name));
    if (!r.ok()) throw r.status();
    return std::move(r).value();
  };
  try {
    if (op == "allows") {
      auto granted = granted_or_child("granted");
      auto r = scopes::allows(granted, str(in, "required"));
      return r.ok() ? expect(*r) : error(r.status());
    }
    if (op == "allows_all") {
      auto granted = granted_or_child("granted");
      auto required = granted_or_child("required");
      return expect(scopes::allows_all(granted, required));
    }
    if (op == "is_subset") {
      auto child = granted_or_child("child");
      auto parent = granted_or_child("parent");
      return expect(scopes::is_subset(child, parent));
    }
  } catch (const Status& s) {
    return error(s);
  }
  throw BadCase("unknown scope op " + op);
}

Json answer_hash(const std::string& op, const Json& in) {
  std::vector<std::pair<std::string, SecretBytes>> peppers;
  for (const Json& p : field(in, "peppers")) {
    peppers.emplace_back(p.at(0).get<std::string>(),
                         SecretBytes::FromView(from_hex(p.at(1).get<std::string>())));
  }
  const std::string algorithm = in.contains("algorithm") ? str(in, "algorithm") : std::string(hashing::kAlgorithmHmacSha256);
  auto hasher = hashing::Hasher::Create(std::move(peppers), str(in, "current"), algorithm);
  if (!hasher.ok()) return error(hasher.status());
  if (op == "hash") {
    auto r = hasher->hash(text_or_hex(in, "key"));
    return r.ok() ? expect(*r) : error(r.status());
  }
  if (op == "verify") {
    auto r = hasher->verify(text_or_hex(in, "key"), str(in, "stored"));
    return r.ok() ? expect(*r) : error(r.status());
  }
  if (op == "needs_rehash") {
    auto r = hasher->needs_rehash(str(in, "stored"));
    return r.ok() ? expect(*r) : error(r.status());
  }
  throw BadCase("unknown hash op " + op);
}

Json instant(Result<time::Millis> r) {
  if (!r.ok()) return error(r.status());
  auto text = time::format_timestamp(*r);
  return expect(Json{{"ms", *r}, {"text", text.ok() ? Json(*text) : Json(nullptr)}});
}

Json answer_time(const std::string& op, const Json& in) {
  if (op == "parse_duration") {
    auto r = time::parse_duration(text_or_hex(in, "text"));
    return r.ok() ? expect(*r) : error(r.status());
  }
  if (op == "format_duration") {
    auto r = time::format_duration(field(in, "ms").get<std::int64_t>());
    return r.ok() ? expect(*r) : error(r.status());
  }
  if (op == "parse_timestamp") return instant(time::parse_timestamp(text_or_hex(in, "text")));
  if (op == "parse_until") return instant(time::parse_until(text_or_hex(in, "text")));
  if (op == "format_timestamp") {
    auto r = time::format_timestamp(field(in, "ms").get<std::int64_t>());
    return r.ok() ? expect(*r) : error(r.status());
  }
  throw BadCase("unknown time op " + op);
}

Json answer_create(const std::string& op, const Json& in) {
  if (op != "parse_create_request") throw BadCase("unknown create op " + op);
  // The request as an object, as text ("request_text") or as bytes ("request_hex").
  std::string text = in.contains("request") ? field(in, "request").dump() : text_or_hex(in, "request_text");
  auto now = time::parse_timestamp(str(in, "now"));
  if (!now.ok()) throw BadCase("bad now");
  auto table = keys::TypeTable::Create(in.contains("overrides") ? field(in, "overrides").dump() : "{}");
  if (!table.ok()) throw BadCase("bad overrides");
  auto r = lifecycle::parse_create_request(text, *now, *table);
  return r.ok() ? expect(Json::parse(r->to_json())) : error(r.status());
}

// A sequence of requests against one limit, threading the state from step to step.
Json answer_ratelimit(const std::string& op, const Json& in) {
  if (op != "sequence") throw BadCase("unknown ratelimit op " + op);
  const Json& limit = field(in, "limit");
  keys::RateLimit rl{limit.at("requests").get<std::int64_t>(), limit.at("window_ms").get<std::int64_t>()};
  ratelimit::State state;
  if (in.contains("state")) {
    state = {field(in, "state").at("tat_ms").get<std::int64_t>(), field(in, "state").at("tat_frac").get<std::int64_t>()};
  }
  Json out = Json::array();
  for (const Json& step : field(in, "steps")) {
    std::int64_t cost = step.contains("cost") ? step.at("cost").get<std::int64_t>() : 1;
    auto d = ratelimit::check(rl, state, step.at("at_ms").get<std::int64_t>(), cost);
    if (!d.ok()) return error(d.status());
    state = d->state;
    out.push_back(Json{{"allowed", d->allowed}, {"remaining", d->remaining}, {"retry_after_ms", d->retry_after},
                       {"reset_after_ms", d->reset_after}, {"tat_ms", d->state.tat_ms}, {"tat_frac", d->state.tat_frac}});
  }
  return expect(out);
}

// A scenario against one registry: steps in order, each answered {"ok": value} or
// {"error": code}; "key_of"/"id_of" name the key made by an earlier step (create or rotate),
// "parent_of" sets a create request's parentKeyId to such a key's id.
Json answer_registry(const std::string& op, const Json& in) {
  if (op != "scenario") throw BadCase("unknown registry op " + op);
  std::vector<std::pair<std::string, SecretBytes>> peppers;
  for (const Json& p : field(in, "peppers")) {
    peppers.emplace_back(p.at(0).get<std::string>(), SecretBytes::FromView(from_hex(p.at(1).get<std::string>())));
  }
  auto hasher = hashing::Hasher::Create(std::move(peppers), str(in, "current"));
  if (!hasher.ok()) throw BadCase("bad peppers");
  auto table = keys::TypeTable::Create(in.contains("table") ? in.at("table").dump() : "{}");
  if (!table.ok()) throw BadCase("bad table");
  registry::Registry reg(*hasher, *table, nullptr, keys::deterministic_random(str(in, "seed")));
  std::vector<std::string> made_keys, made_ids;
  auto ref = [&](const Json& step, const char* name, const std::vector<std::string>& made) -> std::string {
    if (!step.contains(name)) return "";
    auto i = step.at(name).get<std::size_t>();
    if (i >= made.size() || made[i].empty()) throw BadCase(std::string(name) + " names no key");
    return made[i];
  };
  auto at = [&](const Json& step) {
    auto t = time::parse_timestamp(step.at("at").get<std::string>());
    if (!t.ok()) throw BadCase("bad at");
    return *t;
  };
  auto list_of = [](const Json& step, const char* name) {
    std::vector<std::string> out;
    if (step.contains(name)) for (const auto& s : step.at(name)) out.push_back(s.get<std::string>());
    return out;
  };
  Json out = Json::array();
  for (const Json& step : field(in, "steps")) {
    std::string action = step.at("do").get<std::string>();
    std::string key = ref(step, "key_of", made_keys);
    std::string id = step.contains("id") ? step.at("id").get<std::string>() : ref(step, "id_of", made_ids);
    if (step.contains("key")) key = step.at("key").get<std::string>();
    std::string actor = step.contains("actor") ? step.at("actor").get<std::string>() : "system";
    Json result;
    std::string new_key, new_id;
    auto record_json = [](const registry::KeyRecord& r) { return Json::parse(r.to_json()); };
    if (action == "create") {
      Json body = step.at("request");
      if (step.contains("parent_of")) body["parentKeyId"] = ref(step, "parent_of", made_ids);
      std::string request = body.dump();
      auto r = reg.create(request, at(step), actor);
      if (r.ok()) {
        new_key = std::string(r->key.reveal());
        new_id = r->record.id;
        result = Json{{"ok", Json{{"key", new_key}, {"record", record_json(r->record)}}}};
      } else {
        result = error(r.status());
      }
    } else if (action == "verify") {
      registry::VerifyContext ctx{list_of(step, "required"), step.value("environment", ""), step.value("service", ""),
                                  step.value("cost", std::int64_t{1}), step.value("actor", ""),
                                  step.value("latency_ms", -1.0), ref(step, "signed_by_id_of", made_ids)};
      auto r = reg.verify(key, ctx, at(step));
      result = r.ok() ? Json{{"ok", Json::parse(r->to_json())}} : error(r.status());
    } else if (action == "status") {
      auto r = reg.status(id, at(step));
      result = r.ok() ? Json{{"ok", Json::parse(r->to_json())}} : error(r.status());
    } else if (action == "rotate") {
      auto grace = time::parse_duration(step.at("grace").get<std::string>());
      if (!grace.ok()) throw BadCase("bad grace");
      auto r = reg.rotate(id, *grace, list_of(step, "notify"), step.value("force", false), at(step), actor);
      if (r.ok()) {
        new_key = std::string(r->key.reveal());
        new_id = r->current.id;
        result = Json{{"ok", Json{{"key", new_key}, {"previous", record_json(r->previous)}, {"current", record_json(r->current)}}}};
      } else {
        result = error(r.status());
      }
    } else if (action == "revoke") {
      auto r = reg.revoke(id, step.value("reason", ""), at(step), actor);
      result = r.ok() ? Json{{"ok", record_json(*r)}} : error(r.status());
    } else if (action == "logs") {
      auto r = reg.logs({id, list_of(step, "types"), step.value("limit", std::size_t{100})});
      if (r.ok()) {
        Json events = Json::array();
        for (const auto& e : *r) events.push_back(Json::parse(e.to_json()));
        result = Json{{"ok", events}};
      } else {
        result = error(r.status());
      }
    } else if (action == "emergency_revoke") {
      auto r = reg.emergency_revoke(id, step.value("reason", ""), step.value("replace", true), at(step), actor);
      if (r.ok()) {
        Json revoked = Json::array(), replacements = Json::array();
        for (const auto& k : r->revoked) revoked.push_back(record_json(k));
        for (const auto& rep : r->replacements) {
          replacements.push_back(Json{{"previousId", rep.previous_id}, {"key", std::string(rep.key.reveal())},
                                      {"record", record_json(rep.record)}});
        }
        if (!r->replacements.empty()) {
          new_key = std::string(r->replacements.front().key.reveal());
          new_id = r->replacements.front().record.id;
        }
        result = Json{{"ok", Json{{"revoked", revoked}, {"replacements", replacements}}}};
      } else {
        result = error(r.status());
      }
    } else if (action == "policy") {
      auto r = reg.policy_report(at(step));
      result = r.ok() ? Json{{"ok", Json::parse(*r)}} : error(r.status());
    } else if (action == "usage") {
      Json query = step.at("query");
      if (step.contains("id_of")) query["keyId"] = id;
      auto r = reg.get_usage(query.dump());
      result = r.ok() ? Json{{"ok", Json::parse(*r)}} : error(r.status());
    } else if (action == "verify_chain") {
      auto r = reg.verify_chain();
      result = Json{{"ok", Json::parse(r->to_json())}};
    } else {
      throw BadCase("unknown step " + action);
    }
    made_keys.push_back(new_key);
    made_ids.push_back(new_id);
    out.push_back(result);
  }
  return expect(out);
}

// ---- signing: keys, messages and options as the vector files write them ----

std::int64_t integer(const Json& in, const char* name, std::int64_t fallback) {
  auto it = in.find(name);
  if (it == in.end() || it->is_null()) return fallback;
  if (!it->is_number_integer()) throw BadCase(std::string(name) + " must be an integer");
  return it->get<std::int64_t>();
}

bool flag(const Json& in, const char* name, bool fallback) {
  auto it = in.find(name);
  return it == in.end() ? fallback : it->get<bool>();
}

std::string text_or(const Json& in, const char* name, const std::string& fallback) {
  auto it = in.find(name);
  return it == in.end() ? fallback : it->get<std::string>();
}

Result<signing::SigningKey> signing_key(const Json& k) {
  auto algorithm = signing::algorithm_from_name(str(k, "algorithm"));
  if (!algorithm.ok()) return algorithm.status();
  SecretBytes secret = SecretBytes::FromView(from_hex(str(k, "secret_hex")));
  if (*algorithm == signing::Algorithm::kEd25519) return signing::SigningKey::Ed25519(str(k, "key_id"), secret);
  return signing::SigningKey::Hmac(str(k, "key_id"), std::move(secret));
}

Result<signing::KeyRing> key_ring(const Json& list) {
  signing::KeyRing ring;
  for (const Json& k : list) {
    if (k.contains("public_hex")) {
      auto v = signing::VerifyingKey::Ed25519(str(k, "key_id"), from_hex(str(k, "public_hex")));
      if (!v.ok()) return v.status();
      ring.add(std::move(*v));
    } else {
      auto s = signing_key(k);
      if (!s.ok()) return s.status();
      ring.add(s->verifying_key());
    }
  }
  return ring;
}

// A message's text, owned: {method, url, status, headers: [[name, value]...], body|null}.
struct OwnedMessage {
  std::string method, url;
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::string> body;

  explicit OwnedMessage(const Json& m) {
    method = text_or(m, "method", "");
    url = text_or(m, "url", "");
    status = static_cast<int>(integer(m, "status", 0));
    for (const Json& h : field(m, "headers")) headers.emplace_back(h.at(0).get<std::string>(), h.at(1).get<std::string>());
    if (m.contains("body") && !m.at("body").is_null()) body = m.at("body").get<std::string>();
  }
  signing::Message view() const {
    signing::Message out;
    out.method = method;
    out.target_uri = url;
    out.status = status;
    for (const auto& [n, v] : headers) out.headers.push_back({n, v});
    if (body) out.body = *body;
    return out;
  }
};

Result<signing::SignOptions> sign_options(const Json& in) {
  signing::SignOptions o;
  const Json o_json = in.contains("options") ? in.at("options") : Json::object();
  o.label = text_or(o_json, "label", "sig1");
  if (o_json.contains("components")) o.components = strings(o_json, "components");
  if (o_json.contains("expires_in")) o.expires_in_seconds = integer(o_json, "expires_in", 0);
  o.nonce = text_or(o_json, "nonce", "");
  o.tag = text_or(o_json, "tag", "");
  o.include_alg = flag(o_json, "include_alg", true);
  auto digest = signing::digest_from_name(text_or(o_json, "digest", "sha-256"));
  if (!digest.ok()) return digest.status();
  o.digest = *digest;
  return o;
}

signing::VerifyPolicy verify_policy(const Json& in) {
  signing::VerifyPolicy p;
  const Json p_json = in.contains("policy") ? in.at("policy") : Json::object();
  p.tolerance_seconds = integer(p_json, "tolerance", 300);
  p.require_nonce = flag(p_json, "require_nonce", false);
  if (p_json.contains("required_components")) p.required_components = strings(p_json, "required_components");
  p.label = text_or(p_json, "label", "");
  p.require_content_digest = flag(p_json, "require_content_digest", true);
  return p;
}

Json verification_json(const signing::Verification& v) {
  Json j = Json::parse(v.to_json());
  j["signatureBase"] = v.signature_base;
  return j;
}

Json answer_signing(const std::string& op, const Json& in) {
  if (op == "content_digest") {
    auto a = signing::digest_from_name(str(in, "algorithm"));
    if (!a.ok()) return error(a.status());
    return expect(signing::content_digest(str(in, "body"), *a));
  }
  if (op == "verify_content_digest") {
    Status s = signing::verify_content_digest(str(in, "field"), str(in, "body"));
    if (s.code() == Code::kSignatureInvalid) return expect(false);
    return s.ok() ? expect(true) : error(s);
  }
  OwnedMessage message(field(in, "message"));
  std::optional<OwnedMessage> request;
  if (in.contains("request")) request.emplace(in.at("request"));
  const time::Millis now = integer(in, "now", 0);
  if (op == "sign" || op == "sign_verify") {
    auto key = signing_key(field(in, "key"));
    if (!key.ok()) return error(key.status());
    auto options = sign_options(in);
    if (!options.ok()) return error(options.status());
    signing::Message request_view;
    signing::Message m = message.view();
    if (request) {
      request_view = request->view();
      m.request = &request_view;
    }
    auto signed_ = signing::sign(m, *key, *options, now);
    if (!signed_.ok()) return error(signed_.status());
    if (op == "sign") {
      Json headers = Json::array();
      for (const auto& [n, v] : signed_->headers) headers.push_back(Json::array({n, v}));
      return expect(Json{{"headers", headers}});
    }
    // sign_verify: add the headers, apply the tampering, verify.
    OwnedMessage received = message;
    for (const auto& [n, v] : signed_->headers) received.headers.emplace_back(n, v);
    if (in.contains("tamper")) {
      const Json& t = in.at("tamper");
      if (t.contains("method")) received.method = str(t, "method");
      if (t.contains("url")) received.url = str(t, "url");
      if (t.contains("body")) received.body = str(t, "body");
      if (t.contains("set_header")) {
        const std::string name = t.at("set_header").at(0);
        for (auto& [n, v] : received.headers) {
          if (n == name) v = t.at("set_header").at(1).get<std::string>();
        }
      }
      if (t.contains("add_header")) received.headers.emplace_back(t.at("add_header").at(0), t.at("add_header").at(1));
      if (t.contains("remove_header")) {
        const std::string name = str(t, "remove_header");
        std::vector<std::pair<std::string, std::string>> kept;
        for (auto& h : received.headers) {
          if (h.first != name) kept.push_back(h);
        }
        received.headers = kept;
      }
    }
    auto ring = in.contains("keys") ? key_ring(in.at("keys")) : Result<signing::KeyRing>(signing::KeyRing());
    if (!ring.ok()) return error(ring.status());
    if (!in.contains("keys")) ring->add(key->verifying_key());
    signing::Message rm = received.view();
    if (request) rm.request = &request_view;
    signing::NonceCache nonces;
    return expect(verification_json(signing::verify(rm, *ring, verify_policy(in), &nonces, integer(in, "verify_at", now))));
  }
  if (op == "verify") {
    auto ring = key_ring(field(in, "keys"));
    if (!ring.ok()) return error(ring.status());
    signing::Message request_view;
    signing::Message m = message.view();
    if (request) {
      request_view = request->view();
      m.request = &request_view;
    }
    const std::int64_t times = integer(in, "times", 1);
    if (times == 1) return expect(verification_json(signing::verify(m, *ring, verify_policy(in), nullptr, now)));
    signing::NonceCache nonces(static_cast<std::size_t>(integer(in, "nonce_cache", 100000)));
    Json codes = Json::array();
    for (std::int64_t i = 0; i < times; ++i) {
      codes.push_back(std::string(code_name(signing::verify(m, *ring, verify_policy(in), &nonces, now).code)));
    }
    return expect(codes);
  }
  throw BadCase("unknown signing op " + op);
}

Result<std::vector<webhooks::Secret>> webhook_secrets(const Json& in) {
  std::vector<webhooks::Secret> out;
  for (const std::string& text : strings(in, "secrets")) {
    auto s = webhooks::Secret::Parse(text);
    if (!s.ok()) return s.status();
    out.push_back(std::move(*s));
  }
  return out;
}

Json answer_webhooks(const std::string& op, const Json& in) {
  if (op == "parse_secret") {
    auto s = webhooks::Secret::Parse(str(in, "secret"));
    return s.ok() ? expect(s->reveal()) : error(s.status());
  }
  auto secrets = webhook_secrets(in);
  if (!secrets.ok()) return error(secrets.status());
  if (op == "sign") {
    auto h = webhooks::headers(*secrets, str(in, "msg_id"), integer(in, "timestamp", 0), str(in, "payload"));
    if (!h.ok()) return error(h.status());
    Json out = Json::object();
    for (const auto& [n, v] : *h) out[n] = v;
    return expect(out);
  }
  if (op == "verify") {
    const Json& h = field(in, "headers");
    auto v = webhooks::verify(*secrets, text_or(h, "webhook-id", ""), text_or(h, "webhook-timestamp", ""),
                              text_or(h, "webhook-signature", ""), str(in, "payload"), integer(in, "now", 0),
                              integer(in, "tolerance", webhooks::kDefaultToleranceSeconds));
    return expect(Json{{"valid", v.valid}, {"code", std::string(code_name(v.code))}, {"msgId", v.msg_id},
                       {"timestamp", v.timestamp}});
  }
  throw BadCase("unknown webhooks op " + op);
}

}  // namespace

Json answer(std::string_view file, const Json& input) {
  try {
    std::string op = str(input, "op");
    if (file == "key") return answer_key(op, input);
    if (file == "scope") return answer_scope(op, input);
    if (file == "hash") return answer_hash(op, input);
    if (file == "time") return answer_time(op, input);
    if (file == "create") return answer_create(op, input);
    if (file == "ratelimit") return answer_ratelimit(op, input);
    if (file == "registry") return answer_registry(op, input);
    if (file == "signing") return answer_signing(op, input);
    if (file == "webhooks") return answer_webhooks(op, input);
    throw BadCase("unknown vector file");
  } catch (const BadCase& e) {
    return Json{{"bad_case", e.what()}};
  } catch (const nlohmann::json::exception& e) {
    return Json{{"bad_case", e.what()}};
  }
}

}  // namespace finfusion::conformance
