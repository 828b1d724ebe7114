// finfusion-keys: the registry from the command line. A shell over the core: it parses
// arguments, reads the clock and the peppers, calls the Registry and prints what came back.
// Exit codes: 0 done, 1 a negative verdict (a refused key, a broken chain), 2 a usage, input
// or storage error. Human output by default, --json for machines; a key's secret is printed
// only by create and rotate, once.
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "finfusion/hash.h"
#include "finfusion/registry.h"
#include "finfusion/secret.h"
#include "finfusion/signing.h"
#include "finfusion/store.h"
#include "finfusion/time.h"
#include "finfusion/vault.h"
#include "finfusion/version.h"

namespace ff = finfusion;
using Json = nlohmann::ordered_json;

namespace {

constexpr int kOk = 0;
constexpr int kNegative = 1;
constexpr int kError = 2;

struct Globals {
  std::string registry;
  std::string pepper_file;
  std::string now;
  std::string actor;
  bool json = false;
};

// A failure from the core: "error: <code>: <message>" (messages never hold a secret).
int fail(const ff::Status& s) {
  std::cerr << "error: " << s.code_name() << ": " << s.message() << "\n";
  return kError;
}

int fail(const std::string& message) {
  std::cerr << "error: " << message << "\n";
  return kError;
}

void print(const Globals& g, const Json& json, const std::string& human) {
  if (g.json) {
    std::cout << json.dump() << "\n";
  } else {
    std::cout << human;
  }
}

std::string b64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();
  return out;
}

std::optional<std::string> unb64(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

// The peppers: FINFUSION_PEPPERS ("id=base64,id2=base64", the first is current), else a
// pepper file (JSON {"current", "peppers": {id: base64}}), created with mode 0600 beside a
// SQLite registry on first use. An in-memory registry gets a fresh random pepper; a
// PostgreSQL one must be given its peppers (the fleet shares them).
// "id=base64[,id=base64...]" (FINFUSION_PEPPERS, FINFUSION_SECRET_KEYS): the keys, and the
// first id (the current one). The decoded bytes are wiped once copied.
ff::Status parse_keyed_list(const std::string& text, const char* what,
                            std::vector<std::pair<std::string, ff::SecretBytes>>& keys, std::string& current) {
  std::stringstream list(text);
  std::string item;
  while (std::getline(list, item, ',')) {
    const auto eq = item.find('=');
    auto raw = eq == std::string::npos ? std::nullopt : unb64(std::string_view(item).substr(eq + 1));
    std::string id = item.substr(0, eq);
    sodium_memzero(item.data(), item.size());
    if (!raw) return ff::Status(ff::Code::kInvalidRequest, std::string(what) + ": expected id=base64[,id=base64...]");
    if (current.empty()) current = id;
    keys.emplace_back(std::move(id), ff::SecretBytes::FromView(*raw));
    sodium_memzero(raw->data(), raw->size());
  }
  return ff::Status::Ok();
}

ff::Result<ff::hashing::Hasher> load_hasher(const Globals& g) {
  std::vector<std::pair<std::string, ff::SecretBytes>> peppers;
  std::string current;
  if (const char* env = std::getenv("FINFUSION_PEPPERS"); env != nullptr && *env != '\0') {
    if (ff::Status s = parse_keyed_list(env, "FINFUSION_PEPPERS", peppers, current); !s.ok()) return s;
    return ff::hashing::Hasher::Create(std::move(peppers), current);
  }
  if (g.pepper_file.empty() && g.registry != "memory:") {
    // A fleet's registry: every host must hash with the same peppers, so none is made up.
    return ff::Status(ff::Code::kInvalidRequest,
                      "this registry needs its peppers: set FINFUSION_PEPPERS or --pepper-file");
  }
  if (g.pepper_file.empty()) {
    auto fresh = ff::random_secret(ff::hashing::kPepperBytes);
    if (!fresh.ok()) return fresh.status();
    peppers.emplace_back("local", std::move(*fresh));
    return ff::hashing::Hasher::Create(std::move(peppers), "local");
  }
  std::ifstream in(g.pepper_file);
  if (!in) {
    auto fresh = ff::random_secret(ff::hashing::kPepperBytes);
    if (!fresh.ok()) return fresh.status();
    const std::string id = "p" + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                                    std::chrono::system_clock::now().time_since_epoch())
                                                    .count());
    Json doc = {{"current", id}, {"peppers", {{id, b64(fresh->view())}}}};
    int fd = ::open(g.pepper_file.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) return ff::Status(ff::Code::kStorageUnavailable, "cannot create the pepper file " + g.pepper_file);
    std::string text = doc.dump(2) + "\n";
    bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!written) return ff::Status(ff::Code::kStorageUnavailable, "cannot write the pepper file " + g.pepper_file);
    peppers.emplace_back(id, std::move(*fresh));
    return ff::hashing::Hasher::Create(std::move(peppers), id);
  }
  Json doc = Json::parse(in, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("current") || !doc["peppers"].is_object()) {
    return ff::Status(ff::Code::kInvalidRequest, "the pepper file is not {\"current\", \"peppers\": {id: base64}}");
  }
  for (auto& [id, value] : doc["peppers"].items()) {
    auto raw = value.is_string() ? unb64(value.get<std::string>()) : std::nullopt;
    if (!raw) return ff::Status(ff::Code::kInvalidRequest, "the pepper file holds a pepper that is not base64");
    peppers.emplace_back(id, ff::SecretBytes::FromView(*raw));
  }
  return ff::hashing::Hasher::Create(std::move(peppers), doc["current"].get<std::string>());
}

// A secret's text from the environment variable `env`, else the first line of `file`;
// nothing when neither is given.
ff::Result<std::optional<std::string>> env_or_file(const char* env, const std::string& file) {
  if (const char* value = std::getenv(env); value != nullptr && *value != '\0') return std::optional<std::string>(value);
  if (file.empty()) return std::optional<std::string>();
  std::ifstream in(file);
  if (!in) return ff::Status(ff::Code::kInvalidRequest, "cannot read " + file);
  std::string text;
  std::getline(in, text);
  return std::optional<std::string>(std::move(text));
}

// The master key for export and import: FINFUSION_MASTER_KEY (base64 of 32 bytes), else
// the file named by --key-file holding the same text.
ff::Result<ff::SecretBytes> master_key(const std::string& key_file) {
  auto text = env_or_file("FINFUSION_MASTER_KEY", key_file);
  if (!text.ok()) return text.status();
  if (!*text) return ff::Status(ff::Code::kInvalidRequest, "no master key: set FINFUSION_MASTER_KEY or --key-file");
  auto raw = unb64(**text);
  sodium_memzero((*text)->data(), (*text)->size());
  if (!raw) return ff::Status(ff::Code::kInvalidRequest, "the master key is not base64");
  ff::SecretBytes key = ff::SecretBytes::FromView(*raw);
  sodium_memzero(raw->data(), raw->size());
  return key;
}

// The master keys that seal kept secrets: FINFUSION_SECRET_KEYS ("id=base64,...", the first
// is current), else the file named by --secret-keys-file holding the same text; nothing when
// neither is given (the secrets subcommands then say so).
ff::Result<std::optional<ff::vault::MasterKeys>> secret_keys(const std::string& file) {
  auto text = env_or_file("FINFUSION_SECRET_KEYS", file);
  if (!text.ok()) return text.status();
  if (!*text) return std::optional<ff::vault::MasterKeys>();
  std::vector<std::pair<std::string, ff::SecretBytes>> keys;
  std::string current;
  ff::Status parsed = parse_keyed_list(**text, "the secret keys", keys, current);
  sodium_memzero((*text)->data(), (*text)->size());
  if (!parsed.ok()) return parsed;
  auto masters = ff::vault::MasterKeys::Create(std::move(keys), current);
  if (!masters.ok()) return masters.status();
  return std::optional<ff::vault::MasterKeys>(std::move(*masters));
}

ff::Result<ff::time::Millis> now_of(const Globals& g) {
  if (!g.now.empty()) return ff::time::parse_timestamp(g.now);
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string record_line(const Json& r) {
  std::string line = r.value("id", "") + "  " + r.value("type", "") + "  " + r.value("status", "") + "  " +
                     r.value("name", "");
  if (r.contains("expiresAt") && r["expiresAt"].is_string()) line += "  expires " + r["expiresAt"].get<std::string>();
  if (r.contains("replacedBy") && !r["replacedBy"].get<std::string>().empty()) {
    line += "  replaced by " + r["replacedBy"].get<std::string>();
  }
  return line + "\n";
}

std::string fields(const Json& j, const std::string& indent = "  ") {
  std::string out;
  for (auto& [k, v] : j.items()) out += indent + k + ": " + (v.is_string() ? v.get<std::string>() : v.dump()) + "\n";
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"finfusion-keys " + std::string(ff::version()) + ": API keys on the FinFusion core"};
  app.fallthrough();  // global flags work after the subcommand too
  app.require_subcommand(1);
  Globals g;
  const char* env_registry = std::getenv("FINFUSION_REGISTRY");
  g.registry = env_registry != nullptr && *env_registry != '\0' ? env_registry : "sqlite:finfusion-keys.db";
  app.add_option("--registry", g.registry, "memory:, sqlite:PATH or postgresql://... (env FINFUSION_REGISTRY; default sqlite:finfusion-keys.db)");
  app.add_option("--pepper-file", g.pepper_file, "peppers (default: PATH.peppers beside a SQLite registry)");
  app.add_option("--now", g.now, "the instant to act at (RFC 3339; default the clock)");
  app.add_option("--actor", g.actor, "who acts, for the audit log (default cli:$USER)");
  app.add_flag("--json", g.json, "machine-readable output");
  app.set_version_flag("--version", std::string(ff::version()));

  std::string name, type, expiration, service, parent, owner, purpose, request, id, key, reason, grace = "48h", start,
      end, environment;
  std::vector<std::string> permissions, required, notify, metrics, types;
  bool force = false, due = false, no_replace = false;
  std::size_t limit = 100;

  auto* create = app.add_subcommand("create", "create a key (prints it once)");
  create->add_option("--name", name, "the key's name");
  create->add_option("--type", type, "development, production or restricted");
  create->add_option("--permissions", permissions, "scopes")->delimiter(',');
  create->add_option("--expiration", expiration, "YYYY-MM-DD or RFC 3339");
  create->add_option("--service", service, "restricted keys: the service they serve");
  create->add_option("--parent", parent, "restricted keys: the parent key id");
  create->add_option("--owner", owner, "who owns it");
  create->add_option("--purpose", purpose, "what it is for");
  create->add_option("--request", request, "the whole create request as JSON (instead of the options)");
  auto* list = app.add_subcommand("list", "list keys");
  auto* show = app.add_subcommand("show", "a key's record and state");
  show->add_option("id", id, "key id")->required();
  auto* verify = app.add_subcommand("verify", "verify a presented key (exit 1 when refused)");
  verify->add_option("key", key, "the full key (or - to read it from standard input)")->required();
  verify->add_option("--required", required, "scopes the request needs")->delimiter(',');
  verify->add_option("--environment", environment, "sandbox or production");
  verify->add_option("--service", service, "the calling service");
  auto* rotate = app.add_subcommand("rotate", "rotate a key (prints the new key once), or every key due");
  rotate->add_option("id", id, "key id");
  rotate->add_option("--grace", grace, "how long the old key keeps working (default 48h)");
  rotate->add_option("--notify", notify, "emails to notify")->delimiter(',');
  rotate->add_flag("--force", force, "rotate even a revoked or expired key");
  rotate->add_flag("--due", due, "rotate every key whose rotation is due or overdue (idempotent)");
  auto* revoke = app.add_subcommand("revoke", "revoke a key now");
  revoke->add_option("id", id, "key id")->required();
  revoke->add_option("--reason", reason, "why");
  auto* emergency = app.add_subcommand("emergency-revoke", "revoke a key, its chain and its restricted children");
  emergency->add_option("id", id, "key id")->required();
  emergency->add_option("--reason", reason, "why");
  emergency->add_flag("--no-replace", no_replace, "do not issue replacements");
  auto* usage = app.add_subcommand("usage", "requests, errors and latency of a key");
  usage->add_option("id", id, "key id")->required();
  usage->add_option("--start", start, "YYYY-MM-DD or RFC 3339")->required();
  usage->add_option("--end", end, "YYYY-MM-DD or RFC 3339 (a date covers that day)")->required();
  usage->add_option("--metrics", metrics, "requests, errors, latency")->delimiter(',');
  auto* logs = app.add_subcommand("logs", "the audit log, newest last");
  logs->add_option("id", id, "key id (default every key)");
  logs->add_option("--limit", limit, "how many events (1-1000)");
  logs->add_option("--type", types, "event types")->delimiter(',');
  std::string status_filter;
  std::vector<std::string> alert_to;
  bool queue_warnings = false;
  auto* notifications = app.add_subcommand("notifications", "the outbox: rotation notices, warnings and alerts");
  notifications->add_option("--status", status_filter, "pending, sent or failed");
  notifications->add_option("--limit", limit, "how many, newest first (1-1000)");
  notifications->add_flag("--queue-warnings", queue_warnings, "first queue the expiry and rotation-due warnings due now");
  notifications->add_option("--alert-to", alert_to, "who gets the warnings besides each key's owner")->delimiter(',');
  auto* policy = app.add_subcommand("policy", "the rotation inventory: due, overdue, expiring");
  std::string key_file, out_file, in_file;
  auto* exporter = app.add_subcommand("export", "the whole registry, encrypted under the master key");
  exporter->add_option("--key-file", key_file, "the master key (base64 of 32 bytes; or FINFUSION_MASTER_KEY)");
  exporter->add_option("--out", out_file, "write here (mode 0600) instead of standard output");
  auto* importer = app.add_subcommand("import", "load an export into an empty registry");
  importer->add_option("file", in_file, "the export (- for standard input)")->required();
  importer->add_option("--key-file", key_file, "the master key (base64 of 32 bytes; or FINFUSION_MASTER_KEY)");
  // RFC 9421 request signing, for scripts and for checking what a service sends.
  std::string key_id, secret_file, algorithm = "hmac-sha256", method, url, body_text, body_file, nonce;
  std::vector<std::string> headers, components;
  bool require_nonce = false;
  auto signing_options = [&](CLI::App* sub) {
    sub->add_option("--key-id", key_id, "the keyid (for API keys, the key's id)")->required();
    sub->add_option("--secret-file", secret_file, "base64 of the HMAC secret or Ed25519 seed")->required();
    sub->add_option("--algorithm", algorithm, "hmac-sha256 (default) or ed25519");
    sub->add_option("--method", method, "the request method")->required();
    sub->add_option("--url", url, "the absolute target URI")->required();
    sub->add_option("--header", headers, "a header line 'Name: value' (repeatable)");
    sub->add_option("--body", body_text, "the body text");
    sub->add_option("--body-file", body_file, "the body, from a file");
  };
  auto* sign_cmd = app.add_subcommand("sign", "sign a request (RFC 9421); prints the headers to add");
  signing_options(sign_cmd);
  sign_cmd->add_option("--component", components, "covered components (repeatable; default @method, @target-uri, ...)");
  sign_cmd->add_option("--nonce", nonce, "a nonce, or 'random'");
  auto* verify_sig = app.add_subcommand("verify-signature", "verify a signed request (exit 1 when it does not verify)");
  signing_options(verify_sig);
  verify_sig->add_flag("--require-nonce", require_nonce, "refuse signatures without a nonce");
  // Secrets kept sealed in the registry (request-signing and webhook secrets).
  std::string secret_keys_file, endpoint;
  auto* secrets = app.add_subcommand("secrets", "request-signing and webhook secrets, sealed under master keys");
  secrets->add_option("--secret-keys-file", secret_keys_file, "master keys, id=base64[,...] (or FINFUSION_SECRET_KEYS)");
  auto* issue_signing = secrets->add_subcommand("issue-signing", "a new request-signing secret for a key (shown once)");
  issue_signing->add_option("id", id, "key id")->required();
  issue_signing->add_option("--algorithm", algorithm, "hmac-sha256 (default) or ed25519");
  auto* issue_webhook = secrets->add_subcommand("issue-webhook", "a new webhook secret for an endpoint (shown once)");
  issue_webhook->add_option("endpoint", endpoint, "endpoint id")->required();
  auto* reencrypt = secrets->add_subcommand("reencrypt", "re-seal every secret under the current master key");
  secrets->require_subcommand(1);
  auto* audit = app.add_subcommand("audit", "audit log checks");
  auto* chain = audit->add_subcommand("verify-chain", "check the audit log's hash chain (exit 1 when broken)");
  audit->require_subcommand(1);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kOk : kError;  // CLI11's 1xx codes are usage errors: 2
  }

  if (sign_cmd->parsed() || verify_sig->parsed()) {
    auto now = now_of(g);
    if (!now.ok()) return fail(now.status());
    std::string secret_text;
    {
      std::ifstream in(secret_file);
      if (!in) return fail("cannot read " + secret_file);
      std::getline(in, secret_text);
    }
    auto raw = unb64(secret_text);
    sodium_memzero(secret_text.data(), secret_text.size());
    if (!raw) return fail("the secret file does not hold base64");
    ff::SecretBytes secret = ff::SecretBytes::FromView(*raw);
    sodium_memzero(raw->data(), raw->size());
    auto alg = ff::signing::algorithm_from_name(algorithm);
    if (!alg.ok()) return fail(alg.status());
    auto signer = *alg == ff::signing::Algorithm::kEd25519 ? ff::signing::SigningKey::Ed25519(key_id, secret)
                                                            : ff::signing::SigningKey::Hmac(key_id, std::move(secret));
    if (!signer.ok()) return fail(signer.status());
    if (!body_file.empty()) {
      std::ifstream in(body_file, std::ios::binary);
      if (!in) return fail("cannot read " + body_file);
      body_text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    std::vector<std::pair<std::string, std::string>> lines;
    for (const std::string& h : headers) {
      auto colon = h.find(':');
      if (colon == std::string::npos) return fail("a header is 'Name: value'");
      lines.emplace_back(h.substr(0, colon), h.substr(h.find_first_not_of(' ', colon + 1) == std::string::npos
                                                          ? h.size()
                                                          : h.find_first_not_of(' ', colon + 1)));
    }
    ff::signing::Message m;
    m.method = method;
    m.target_uri = url;
    for (const auto& [n, v] : lines) m.headers.push_back({n, v});
    if (!body_text.empty() || !body_file.empty()) m.body = body_text;
    if (sign_cmd->parsed()) {
      ff::signing::SignOptions o;
      o.components = components;
      o.generate_nonce = nonce == "random";
      if (!o.generate_nonce) o.nonce = nonce;
      auto s = ff::signing::sign(m, *signer, o, *now);
      if (!s.ok()) return fail(s.status());
      Json out = Json::object();
      std::string human;
      for (const auto& [n, v] : s->headers) {
        out[n] = v;
        human += n + ": " + v + "\n";
      }
      print(g, out, human);
      return kOk;
    }
    ff::signing::KeyRing ring;
    ring.add(signer->verifying_key());
    ff::signing::VerifyPolicy rules;
    rules.require_nonce = require_nonce;
    ff::signing::NonceCache nonces;
    ff::signing::Verification v = ff::signing::verify(m, ring, rules, &nonces, *now);
    print(g, Json::parse(v.to_json()), v.valid ? "valid: signed by " + v.key_id + "\n"
                                               : "refused: " + std::string(ff::code_name(v.code)) + ": " + v.message + "\n");
    return v.valid ? kOk : kNegative;
  }

  if (g.actor.empty()) {
    const char* user = std::getenv("USER");
    g.actor = std::string("cli:") + (user != nullptr && *user != '\0' ? user : "unknown");
  }
  constexpr std::string_view kSqlite = "sqlite:";
  if (g.pepper_file.empty() && g.registry.rfind(kSqlite, 0) == 0) {
    g.pepper_file = g.registry.substr(kSqlite.size()) + ".peppers";
  }
  auto now = now_of(g);
  if (!now.ok()) return fail(now.status());
  auto hasher = load_hasher(g);
  if (!hasher.ok()) return fail(hasher.status());
  auto store = ff::registry::open_store(g.registry);
  if (!store.ok()) return fail(store.status());
  ff::registry::Registry reg(std::move(*hasher), ff::keys::TypeTable::Defaults(), std::move(*store));
  auto masters = secret_keys(secret_keys_file);
  if (!masters.ok()) return fail(masters.status());
  if (*masters) reg.set_master_keys(std::move(**masters));

  if (create->parsed()) {
    Json body;
    if (!request.empty()) {
      body = Json::parse(request, nullptr, false);
      if (body.is_discarded()) return fail("--request is not JSON");
    } else {
      body = {{"name", name}, {"type", type}, {"permissions", permissions}};
      if (!expiration.empty()) body["expiration"] = expiration;
      if (!service.empty()) body["service"] = service;
      if (!parent.empty()) body["parentKeyId"] = parent;
      if (!owner.empty()) body["owner"] = owner;
      if (!purpose.empty()) body["purpose"] = purpose;
    }
    auto c = reg.create(body.dump(), *now, g.actor);
    if (!c.ok()) return fail(c.status());
    Json record = Json::parse(c->record.to_json());
    print(g, {{"key", std::string(c->key.reveal())}, {"record", record}},
          "created " + record_line(record) + "key (shown once, store it now): " + std::string(c->key.reveal()) + "\n");
    return kOk;
  }
  if (list->parsed()) {
    auto all = reg.list();
    if (!all.ok()) return fail(all.status());
    Json out = Json::array();
    std::string human;
    for (const auto& r : *all) {
      out.push_back(Json::parse(r.to_json()));
      human += record_line(out.back());
    }
    print(g, out, human.empty() ? "no keys\n" : human);
    return kOk;
  }
  if (show->parsed()) {
    auto s = reg.status(id, *now);
    if (!s.ok()) return fail(s.status());
    Json j = Json::parse(s->to_json());
    print(g, j, "state: " + j["code"].get<std::string>() + (j["inGrace"].get<bool>() ? " (in grace)" : "") + "\n" +
                    fields(j["key"]));
    return kOk;
  }
  if (verify->parsed()) {
    if (key == "-") std::getline(std::cin, key);
    ff::registry::VerifyContext ctx;
    ctx.required = required;
    ctx.environment = environment;
    ctx.service = service;
    ctx.actor = g.actor;
    auto d = reg.verify(key, ctx, *now);
    if (!d.ok()) return fail(d.status());
    Json j = Json::parse(d->to_json());
    print(g, j, (d->valid ? "valid " + d->key_id : "refused: " + std::string(ff::code_name(d->code))) +
                    (d->in_grace ? " (in its rotation grace window)" : "") + "\n");
    return d->valid ? kOk : kNegative;
  }
  if (rotate->parsed()) {
    auto grace_ms = ff::time::parse_duration(grace);
    if (!grace_ms.ok()) return fail(grace_ms.status());
    if (due == !id.empty()) return fail("give a key id or --due, not both or neither");
    std::vector<ff::registry::Rotated> rotations;
    if (due) {
      auto made = reg.rotate_due(*grace_ms, notify, *now, g.actor);
      if (!made.ok()) return fail(made.status());
      rotations = std::move(*made);
    } else {
      auto made = reg.rotate(id, *grace_ms, notify, force, *now, g.actor);
      if (!made.ok()) return fail(made.status());
      rotations.push_back(std::move(*made));
    }
    Json out = Json::array();
    std::string human;
    for (const auto& r : rotations) {
      Json current = Json::parse(r.current.to_json());
      out.push_back({{"previousId", r.previous.id}, {"key", std::string(r.key.reveal())}, {"record", current}});
      human += "rotated " + r.previous.id + " -> " + r.current.id + " (old key works until " +
               *ff::time::format_timestamp(r.previous.grace_until) + ")\nkey (shown once, store it now): " +
               std::string(r.key.reveal()) + "\n";
    }
    if (due) {
      print(g, out, human.empty() ? "nothing due\n" : human);
    } else {
      print(g, out.at(0), human);
    }
    return kOk;
  }
  if (revoke->parsed()) {
    auto r = reg.revoke(id, reason, *now, g.actor);
    if (!r.ok()) return fail(r.status());
    Json j = Json::parse(r->to_json());
    print(g, j, "revoked " + record_line(j));
    return kOk;
  }
  if (emergency->parsed()) {
    auto r = reg.emergency_revoke(id, reason, !no_replace, *now, g.actor);
    if (!r.ok()) return fail(r.status());
    Json revoked = Json::array(), replacements = Json::array();
    std::string human;
    for (const auto& k : r->revoked) {
      revoked.push_back(k.id);
      human += "revoked " + k.id + "\n";
    }
    for (const auto& rep : r->replacements) {
      replacements.push_back({{"previousId", rep.previous_id}, {"key", std::string(rep.key.reveal())},
                              {"record", Json::parse(rep.record.to_json())}});
      human += "replaced " + rep.previous_id + " -> " + rep.record.id + "\nkey (shown once, store it now): " +
               std::string(rep.key.reveal()) + "\n";
    }
    print(g, {{"revoked", revoked}, {"replacements", replacements}}, human);
    return kOk;
  }
  if (usage->parsed()) {
    Json query = {{"keyId", id}, {"timeframe", {{"start", start}, {"end", end}}}};
    if (!metrics.empty()) query["metrics"] = metrics;
    auto u = reg.get_usage(query.dump());
    if (!u.ok()) return fail(u.status());
    Json j = Json::parse(*u);
    print(g, j, j.dump(2) + "\n");
    return kOk;
  }
  if (logs->parsed()) {
    auto events = reg.logs({id, types, limit});
    if (!events.ok()) return fail(events.status());
    Json out = Json::array();
    std::string human;
    for (const auto& e : *events) {
      out.push_back(Json::parse(e.to_json()));
      human += std::to_string(e.seq) + "  " + *ff::time::format_timestamp(e.at) + "  " + e.type + "  " +
               (e.key_id.empty() ? "-" : e.key_id) + "  " + e.actor + "  " + e.outcome + "\n";
    }
    print(g, out, human.empty() ? "no events\n" : human);
    return kOk;
  }
  if (notifications->parsed()) {
    if (ff::Status s = reg.set_alert_recipients(alert_to); !s.ok()) return fail(s);
    if (queue_warnings) {
      auto queued = reg.queue_warnings(*now);
      if (!queued.ok()) return fail(queued.status());
    }
    auto outbox = reg.notifications({"", status_filter, 0, limit});
    if (!outbox.ok()) return fail(outbox.status());
    Json out = Json::array();
    std::string human;
    for (const auto& n : *outbox) {
      out.push_back(Json::parse(n.to_json()));
      human += *ff::time::format_timestamp(n.created_at) + "  " + n.kind + "  " + n.key_id + "  " + n.status +
               " (" + std::to_string(n.attempts) + " attempts)  " + n.subject + "\n";
    }
    print(g, out, human.empty() ? "no notifications\n" : human);
    return kOk;
  }
  if (policy->parsed()) {
    auto report = reg.policy_report(*now);
    if (!report.ok()) return fail(report.status());
    Json j = Json::parse(*report);
    std::string human;
    for (const auto& k : j["keys"]) {
      human += k.value("id", "") + "  " + k.value("type", "") + "  " + k.value("state", "") + "  rotation " +
               k.value("rotation", "") + "\n";
    }
    human += "summary: " + j["summary"].dump() + "\n";
    print(g, j, human);
    return kOk;
  }
  if (exporter->parsed()) {
    auto master = master_key(key_file);
    if (!master.ok()) return fail(master.status());
    auto text = reg.export_encrypted(*master, *now);
    if (!text.ok()) return fail(text.status());
    if (out_file.empty()) {
      std::cout << *text << "\n";
      return kOk;
    }
    int fd = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    bool written = fd >= 0 && ::write(fd, text->data(), text->size()) == static_cast<ssize_t>(text->size());
    if (fd >= 0) ::close(fd);
    if (!written) return fail("cannot write " + out_file);
    print(g, {{"written", out_file}, {"bytes", text->size()}}, "exported to " + out_file + "\n");
    return kOk;
  }
  if (importer->parsed()) {
    auto master = master_key(key_file);
    if (!master.ok()) return fail(master.status());
    std::string text;
    if (in_file == "-") {
      std::getline(std::cin, text);
    } else {
      std::ifstream in(in_file);
      if (!in) return fail("cannot read " + in_file);
      std::getline(in, text);
    }
    if (ff::Status s = reg.import_encrypted(text, *master); !s.ok()) return fail(s);
    auto all = reg.list();
    if (!all.ok()) return fail(all.status());
    print(g, {{"imported", all->size()}}, "imported " + std::to_string(all->size()) + " keys\n");
    return kOk;
  }
  if (issue_signing->parsed()) {
    auto alg = ff::signing::algorithm_from_name(algorithm);
    if (!alg.ok()) return fail(alg.status());
    auto issued = reg.issue_signing_secret(id, *alg, *now, g.actor);
    if (!issued.ok()) return fail(issued.status());
    // The form `sign --secret-file` reads: base64 of the HMAC secret or the Ed25519 seed.
    const std::string secret = b64(issued->secret().view());
    Json j = {{"keyId", issued->key_id()}, {"algorithm", algorithm}, {"secret", secret}};
    if (*alg == ff::signing::Algorithm::kEd25519) j["publicKey"] = b64(issued->public_key());
    print(g, j, "issued a " + algorithm + " signing secret for " + issued->key_id() +
                    "\nsecret (shown once, base64; give it to the client): " + secret + "\n");
    return kOk;
  }
  if (issue_webhook->parsed()) {
    auto issued = reg.issue_webhook_secret(endpoint, *now, g.actor);
    if (!issued.ok()) return fail(issued.status());
    print(g, {{"endpoint", endpoint}, {"secret", issued->reveal()}},
          "issued a webhook secret for " + endpoint + "\nsecret (shown once): " + issued->reveal() + "\n");
    return kOk;
  }
  if (reencrypt->parsed()) {
    auto n = reg.reencrypt_secrets(*now, g.actor);
    if (!n.ok()) return fail(n.status());
    print(g, {{"reencrypted", *n}}, "re-sealed " + std::to_string(*n) + " secret(s) under the current master key\n");
    return kOk;
  }
  if (chain->parsed()) {
    auto report = reg.verify_chain();
    if (!report.ok()) return fail(report.status());
    const Json j = Json::parse(report->to_json());
    const std::string where = report->writer.empty() ? "" : " of writer " + report->writer;
    print(g, j, report->ok ? "chain ok: " + std::to_string(report->checked) + " events in " +
                                 std::to_string(report->chains) + " chain(s), last hash " + report->head + "\n"
                           : "chain BROKEN at seq " + std::to_string(report->first_bad) + where + "\n");
    return report->ok ? kOk : kNegative;
  }
  return fail("no subcommand");
}
