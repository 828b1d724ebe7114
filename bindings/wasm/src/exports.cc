// The plain exports on the per-request paths (key verification, format checks, hashing,
// request signing and webhooks): the facade writes their input into WebAssembly memory and
// reads their answer there, with no embind on the way. This file is compiled with inlining,
// as the core's files on these paths (CMakeLists.txt); embind.cc, optimised for size, holds
// everything else.
#include <emscripten/emscripten.h>

#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exports.h"
#include "finfusion/hash.h"
#include "finfusion/key.h"
#include "finfusion/registry.h"
#include "finfusion/secret.h"
#include "finfusion/signing.h"
#include "finfusion/status.h"
#include "finfusion/time.h"
#include "finfusion/webhooks.h"

namespace ff = finfusion;
namespace sg = ff::signing;
namespace wh = ff::webhooks;
using finfusion_wasm::FastResult;
using finfusion_wasm::FastVerify;

namespace {

// ---- calls through one buffer each way ----
// Through embind, each field of a message, each header and each option is a round trip into
// JavaScript (about a microsecond each; some sixty for a typical request, most of a signing's
// time). Instead, the facade writes a call's texts and bytes into `Packed::in` (api.js's
// Pack) and calls a plain export, which answers in `Packed::out`. In the input, an item is a
// little-endian u32 length, then that many bytes; kNone for an absent item; counts are bare
// u32 words. The message's fields are views into `in`: nothing is copied. An answer holds
// the same words and items, but its items' bytes come after all its words, in order: its
// head is its length and the offset of those bytes, so that the facade can decode every
// text of an answer in one call (api.js, answer.open).
constexpr std::uint32_t kNone = 0xFFFFFFFF;

struct Packed {
  std::string in;
  std::size_t in_used = 0;  // what the call being answered was given: what its answer wipes
  std::string out;
  std::string texts;  // the answer's items' bytes while it is written (finish appends them)
};

Packed& packed() {
  static Packed p;
  return p;
}

class Unpack {
 public:
  // The call's input: the first `length` bytes the facade wrote.
  static Unpack Input(int length) {
    Packed& p = packed();
    const std::string_view in = std::string_view(p.in).substr(0, static_cast<std::size_t>(length));
    p.in_used = in.size();
    return Unpack(in);
  }
  bool bad() const { return bad_; }
  std::uint32_t word() {
    if (data_.size() - at_ < 4) {
      bad_ = true;
      return 0;
    }
    std::uint32_t w = 0;
    for (int i = 3; i >= 0; --i) w = w << 8 | static_cast<unsigned char>(data_[at_ + static_cast<std::size_t>(i)]);
    at_ += 4;
    return w;
  }
  // A count of items still to come: each takes at least a word, so a larger one is malformed
  // (and would otherwise be allocated for).
  std::uint32_t count() {
    const std::uint32_t n = word();
    if (n > (data_.size() - at_) / 4) bad_ = true;
    return bad_ ? 0 : n;
  }
  std::optional<std::string_view> item() {
    const std::uint32_t n = word();
    if (n == kNone || bad_) return std::nullopt;
    if (data_.size() - at_ < n) {
      bad_ = true;
      return std::nullopt;
    }
    std::string_view v = data_.substr(at_, n);
    at_ += n;
    return v;
  }
  std::string_view text() { return item().value_or(std::string_view()); }
  std::vector<std::string> texts() {
    std::vector<std::string> out(count());
    for (auto& t : out) t = text();
    return out;
  }
  // method, url, body (or none), the header count, then each header's name and value.
  void message(int status, sg::Message& m) {
    m.status = status;
    m.method = text();
    m.target_uri = text();
    m.body = item();
    m.headers.resize(count());
    for (sg::Field& f : m.headers) {
      f.name = text();
      f.value = text();
    }
  }

 private:
  explicit Unpack(std::string_view data) : data_(data) {}
  std::string_view data_;
  std::size_t at_ = 0;
  bool bad_ = false;
};

void put_word(std::string& out, std::uint32_t w) {
  const char bytes[4] = {static_cast<char>(w & 0xFF), static_cast<char>(w >> 8 & 0xFF), static_cast<char>(w >> 16 & 0xFF),
                         static_cast<char>(w >> 24)};
  out.append(bytes, sizeof bytes);
}
void put(std::string& out, std::string_view item) {
  put_word(out, static_cast<std::uint32_t>(item.size()));
  std::string& texts = packed().texts;
  ff::reserve_wiping(texts, item.size());
  texts.append(item);
}
// Headers to send: their count, then each name and value.
void put_headers(std::string& out, const std::vector<std::pair<std::string, std::string>>& headers) {
  put_word(out, static_cast<std::uint32_t>(headers.size()));
  for (const auto& [name, value] : headers) {
    put(out, name);
    put(out, value);
  }
}

// The answer's head: its length and where its items' bytes start (filled in by finish),
// then 0 or the failure's code index and message. The call's input is wiped first (a
// request's headers may hold a key): the bytes the facade wrote for it, not the whole
// buffer, which it reserves 4 KiB of at least (wiping all of it was a tenth of a key hash in
// Node). The facade wipes a filling no call took (api.js, pack.start).
void wipe_input() {
  Packed& p = packed();
  sodium_memzero(p.in.data(), p.in_used);
  p.in_used = 0;
}
std::string& answer(const ff::Status& status) {
  wipe_input();
  std::string& out = packed().out;
  out.clear();
  packed().texts.clear();
  put_word(out, 0);
  put_word(out, 0);
  put_word(out, static_cast<std::uint32_t>(status.code()));
  if (!status.ok()) put(out, status.message());
  return out;
}
const char* finish(std::string& out) {
  std::string& texts = packed().texts;
  const auto texts_at = static_cast<std::uint32_t>(out.size());
  out.append(texts);  // growing, it frees a buffer of words only
  sodium_memzero(texts.data(), texts.size());  // a signature base may hold a key; `out` is wiped by ff_packed_done
  texts.clear();
  const auto n = static_cast<std::uint32_t>(out.size());
  for (int i = 0; i < 4; ++i) {
    out[static_cast<std::size_t>(i)] = static_cast<char>(n >> (8 * i) & 0xFF);
    out[static_cast<std::size_t>(4 + i)] = static_cast<char>(texts_at >> (8 * i) & 0xFF);
  }
  return out.data();
}
const char* malformed() { return finish(answer(ff::Status(ff::Code::kInternal, "a malformed packed call"))); }

// A message (and, when `related`, the request it answers) from `in`.
struct Messages {
  sg::Message message, request;
};
bool unpack_messages(Unpack& in, int status, bool related, Messages& m) {
  in.message(status, m.message);
  if (related) {
    in.message(0, m.request);
    m.message.request = &m.request;
  }
  return !in.bad();
}

// Secrets named in `in` by the addresses of the facade's WebhookSecret objects: a count, then
// each address.
std::vector<wh::Secret> unpack_secrets(Unpack& in) {
  std::vector<wh::Secret> out;
  for (std::uint32_t n = in.count(); n > 0; --n) {
    out.push_back(*reinterpret_cast<const wh::Secret*>(static_cast<std::uintptr_t>(in.word())));
  }
  return out;
}

// The code's index in codes() (its value: status.h).
std::int32_t code_index(ff::Code code) { return static_cast<std::int32_t>(code); }

}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE FastResult* ff_fast_verify(FastVerify* f, int key_len, double now, double cost,
                                                          double latency_ms) {
  FastResult& out = f->result;
  f->context.cost = static_cast<std::int64_t>(cost);
  f->context.latency_ms = latency_ms;
  const std::string_view key(f->key, static_cast<std::size_t>(key_len));
  ff::Status s = f->registry->verify(key, f->context, static_cast<ff::time::Millis>(now), f->decision);
  sodium_memzero(f->key, static_cast<std::size_t>(key_len));
  if (!s.ok()) {
    out.status = code_index(s.code());
    f->error = s.message();
    return &out;
  }
  const ff::registry::Decision& v = f->decision;
  out.status = 0;
  out.valid = v.valid;
  out.code = code_index(v.code);
  out.in_grace = v.in_grace;
  out.key_id_len = static_cast<std::int32_t>(v.key_id.size());
  auto type = ff::keys::type_from_name(v.type);
  out.type = type.ok() ? 1 + static_cast<std::int32_t>(*type) : 0;
  out.environment = v.environment == "sandbox" ? 1 : v.environment == "production" ? 2 : 0;
  out.has_expiry = v.has_expiry();
  out.expires_at = static_cast<double>(v.expires_at);
  out.has_grace = v.has_grace();
  out.grace_until = static_cast<double>(v.grace_until);
  out.replaced_by = static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(v.replaced_by.data()));
  out.replaced_by_len = static_cast<std::int32_t>(v.replaced_by.size());
  out.rate_limit = static_cast<double>(v.rate_limit);
  out.rate_remaining = static_cast<double>(v.rate_remaining);
  out.retry_after = static_cast<double>(v.retry_after);
  out.scopes_same = v.scopes == f->last_scopes;
  if (!out.scopes_same) {
    f->last_scopes = v.scopes;
    f->scopes_text.clear();
    for (const auto& scope : v.scopes) f->scopes_text.append(f->scopes_text.empty() ? "" : "\n").append(scope);
  }
  out.scopes = static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(f->scopes_text.data()));
  out.scopes_len = static_cast<std::int32_t>(f->scopes_text.size());
  return &out;
}

// Wipes the last answer (a signature base may hold a key), once the facade has read it.
extern "C" EMSCRIPTEN_KEEPALIVE void ff_packed_done() {
  std::string& out = packed().out;
  sodium_memzero(out.data(), out.size());
}

extern "C" EMSCRIPTEN_KEEPALIVE char* ff_packed_reserve(int size) {
  std::string& in = packed().in;
  if (in.size() < static_cast<std::size_t>(size)) {
    ff::reserve_wiping(in, static_cast<std::size_t>(size) - in.size());  // the facade may have written part of a call
    in.resize(static_cast<std::size_t>(size));
  }
  return in.data();
}

// A presented key's format and checksum: in holds the key. The code's index comes back as
// the return value (-1 for a malformed packed call), with no answer to read: a format check
// runs on every request, and the answer buffer and the call to wipe it cost as much as the
// check. The key is wiped before it returns. Keys cross this way, not as embind strings.
extern "C" EMSCRIPTEN_KEEPALIVE int ff_check_format(int length) {
  Unpack in = Unpack::Input(length);
  const std::string_view key = in.text();
  const int code = in.bad() ? -1 : code_index(ff::keys::check_format(key));
  wipe_input();
  return code;
}

// A key's stored hash under `hasher`: in holds the key; the answer, the stored form.
extern "C" EMSCRIPTEN_KEEPALIVE const char* ff_hash(const ff::hashing::Hasher* hasher, int length) {
  Unpack in = Unpack::Input(length);
  const std::string_view key = in.text();
  if (in.bad()) return malformed();
  ff::Result<std::string> stored = hasher->hash(key);
  if (!stored.ok()) return finish(answer(stored.status()));
  std::string& out = answer(ff::Status::Ok());
  put(out, *stored);
  return finish(out);
}

// Whether a key matches a stored hash: in holds the key and the stored form; the answer, 1
// or 0 (a word).
extern "C" EMSCRIPTEN_KEEPALIVE const char* ff_hash_verify(const ff::hashing::Hasher* hasher, int length) {
  Unpack in = Unpack::Input(length);
  const std::string_view key = in.text(), stored = in.text();
  if (in.bad()) return malformed();
  ff::Result<bool> matches = hasher->verify(key, stored);
  if (!matches.ok()) return finish(answer(matches.status()));
  std::string& out = answer(ff::Status::Ok());
  put_word(out, *matches ? 1 : 0);
  return finish(out);
}

// Signs: in holds the message (and the request), the label, components, nonce, tag and
// digest algorithm. The answer: the headers to add (count, then names and values).
extern "C" EMSCRIPTEN_KEEPALIVE const char* ff_sign(const sg::SigningKey* key, int length, double now, int status,
                                                   int related, double expires_in, int generate_nonce,
                                                   int include_alg) {
  Unpack in = Unpack::Input(length);
  Messages m;
  if (!unpack_messages(in, status, related != 0, m)) return malformed();
  sg::SignOptions options;
  options.label = in.text();
  options.components = in.texts();
  options.nonce = in.text();
  options.tag = in.text();
  const std::string_view digest_name = in.text();
  if (in.bad()) return malformed();
  if (expires_in >= 0) options.expires_in_seconds = static_cast<std::int64_t>(expires_in);
  options.generate_nonce = static_cast<bool>(generate_nonce);
  options.include_alg = static_cast<bool>(include_alg);
  auto digest = sg::digest_from_name(digest_name);
  if (!digest.ok()) return finish(answer(digest.status()));
  options.digest = *digest;
  auto signed_ = sg::sign(m.message, *key, options, static_cast<ff::time::Millis>(now));
  if (!signed_.ok()) return finish(answer(signed_.status()));
  std::string& out = answer(ff::Status::Ok());
  put_headers(out, signed_->headers);
  sodium_memzero(signed_->signature_base.data(), signed_->signature_base.size());  // it holds the covered headers
  return finish(out);
}

// Verifies: in holds the message (and the request), the required components and the label.
// The answer: valid, code (words), then message, label, keyId, alg, nonce, tag, created and
// expires (decimal seconds; expires none when absent), the covered components (count, then
// each), the signature base and the signer.
extern "C" EMSCRIPTEN_KEEPALIVE const char* ff_verify(const sg::KeyRing* keys, sg::NonceCache* nonces, int length,
                                                     double now, int status, int related, double tolerance,
                                                     int require_nonce, int require_content_digest) {
  Unpack in = Unpack::Input(length);
  Messages m;
  if (!unpack_messages(in, status, related != 0, m)) return malformed();
  sg::VerifyPolicy policy;
  policy.required_components = in.texts();
  policy.label = in.text();
  if (in.bad()) return malformed();
  policy.tolerance_seconds = static_cast<std::int64_t>(tolerance);
  policy.require_nonce = static_cast<bool>(require_nonce);
  policy.require_content_digest = static_cast<bool>(require_content_digest);
  sg::Verification v = sg::verify(m.message, *keys, policy, nonces, static_cast<ff::time::Millis>(now));
  std::string& out = answer(ff::Status::Ok());
  put_word(out, v.valid ? 1 : 0);
  put_word(out, static_cast<std::uint32_t>(v.code));
  for (std::string_view t : {std::string_view(v.message), std::string_view(v.label), std::string_view(v.key_id),
                             std::string_view(v.alg), std::string_view(v.nonce), std::string_view(v.tag)}) {
    put(out, t);
  }
  put(out, std::to_string(v.created));
  if (v.expires) {
    put(out, std::to_string(*v.expires));
  } else {
    put_word(out, kNone);
  }
  put_word(out, static_cast<std::uint32_t>(v.covered.size()));
  for (const std::string& c : v.covered) put(out, c);
  put(out, v.signature_base);
  put(out, v.signer());
  sodium_memzero(v.signature_base.data(), v.signature_base.size());  // it holds the covered headers
  return finish(out);
}

// Webhooks through one buffer each way, as request signing (ff_sign): in holds the secrets,
// the message id and the payload; the answer, the headers to send (count, names, values).
extern "C" EMSCRIPTEN_KEEPALIVE const char* ff_webhook_headers(int length, double timestamp) {
  Unpack in = Unpack::Input(length);
  const std::vector<wh::Secret> secrets = unpack_secrets(in);
  const std::string_view id = in.text(), payload = in.text();
  if (in.bad()) return malformed();
  auto headers = wh::headers(secrets, id, static_cast<std::int64_t>(timestamp), payload);
  if (!headers.ok()) return finish(answer(headers.status()));
  std::string& out = answer(ff::Status::Ok());
  put_headers(out, *headers);
  return finish(out);
}

// in holds the secrets, the webhook-id, webhook-timestamp and webhook-signature values and the
// payload; the answer: valid, code (words), the message, the message id and the timestamp
// (decimal seconds).
extern "C" EMSCRIPTEN_KEEPALIVE const char* ff_webhook_verify(int length, double now, double tolerance) {
  Unpack in = Unpack::Input(length);
  const std::vector<wh::Secret> secrets = unpack_secrets(in);
  const std::string_view id = in.text(), timestamp = in.text(), signature = in.text(), payload = in.text();
  if (in.bad()) return malformed();
  const wh::Verification v = wh::verify(secrets, id, timestamp, signature, payload, static_cast<ff::time::Millis>(now),
                                        static_cast<std::int64_t>(tolerance));
  std::string& out = answer(ff::Status::Ok());
  put_word(out, v.valid ? 1 : 0);
  put_word(out, static_cast<std::uint32_t>(v.code));
  put(out, v.message);
  put(out, v.msg_id);
  put(out, std::to_string(v.timestamp));
  return finish(out);
}
