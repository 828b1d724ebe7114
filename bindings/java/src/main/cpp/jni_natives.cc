// The native methods of cloud.finfusion.keys.Native: each converts its arguments, calls the
// core and converts the result. Records, decisions and events cross as the core's canonical
// JSON (the Java classes read it into records), as they do for Python. Core objects
// (Hasher, Registry, keys, caches) live behind `long` handles that the Java classes own and
// free exactly once; the Java side also guarantees a handle is live and, for objects the core
// does not make thread-safe, used by one thread at a time.
#include <jni.h>

#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "finfusion/client.h"
#include "finfusion/hash.h"
#include "finfusion/key.h"
#include "finfusion/key_type.h"
#include "finfusion/lifecycle.h"
#include "finfusion/ratelimit.h"
#include "finfusion/registry.h"
#include "finfusion/scope.h"
#include "finfusion/signing.h"
#include "finfusion/store.h"
#include "finfusion/time.h"
#include "finfusion/vault.h"
#include "finfusion/version.h"
#include "finfusion/webhooks.h"
#include "jni_support.h"

#define NATIVE(ret, name) extern "C" JNIEXPORT ret JNICALL Java_cloud_finfusion_keys_Native_##name

using namespace finfusion;
using namespace finfusion::java;

namespace {

keys::KeyType type_arg(JNIEnv* env, jstring name) {
  return unwrap(env, keys::type_from_name(Text(env, name, "type").view()));
}

// cloud.finfusion.keys.ApiKey(id, type, environment, byte[] text): the key text crosses as
// bytes so that the Java object can wipe its copy.
jobject api_key(JNIEnv* env, const keys::ApiKey& key) {
  jclass cls = env->FindClass("cloud/finfusion/keys/ApiKey");
  if (!cls) throw Pending{};
  jmethodID ctor = env->GetMethodID(cls, "<init>", "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;[B)V");
  if (!ctor) throw Pending{};
  jstring id = to_java(env, key.id());
  jstring type = to_java(env, keys::type_name(key.type()));
  jstring environment = to_java(env, keys::environment_name(key.environment()));
  jbyteArray text = to_java_bytes(env, key.reveal());
  jobject out = env->NewObject(cls, ctor, id, type, environment, text);
  // The local copy of the key in the byte[] is the Java object's to wipe now.
  env->DeleteLocalRef(id);
  env->DeleteLocalRef(type);
  env->DeleteLocalRef(environment);
  env->DeleteLocalRef(text);
  env->DeleteLocalRef(cls);
  if (!out) throw Pending{};
  return out;
}

// A rotation as Object[]{ApiKey, previous record JSON, current record JSON}.
jobjectArray rotated(JNIEnv* env, const registry::Rotated& rot) {
  return objects(env, {api_key(env, rot.key), to_java(env, rot.previous.to_json()), to_java(env, rot.current.to_json())});
}

jobjectArray parsed(JNIEnv* env, const keys::ParsedKey& k) {
  return to_java(env, {k.id, std::string(keys::type_name(k.type)), std::string(keys::environment_name(k.environment)),
                       std::to_string(k.format_version)});
}

template <typename T>
jlong own(T&& value) {
  return release_to_java(new std::decay_t<T>(std::forward<T>(value)));
}

template <typename T>
void free_handle(jlong h) {
  delete &handle<T>(h);
}

std::vector<std::pair<std::string, SecretBytes>> keyed_secrets(JNIEnv* env, jobjectArray ids, jobjectArray values,
                                                                 const char* what) {
  std::vector<std::string> names = strings_of(env, ids, "ids");
  if (!values) raise_java(env, "java/lang/NullPointerException", std::string(what) + " must not be null");
  if (env->GetArrayLength(values) != static_cast<jsize>(names.size())) {
    raise_java(env, "java/lang/IllegalArgumentException", "ids and values differ in length");
  }
  std::vector<std::pair<std::string, SecretBytes>> out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto bytes = static_cast<jbyteArray>(env->GetObjectArrayElement(values, static_cast<jsize>(i)));
    out.emplace_back(std::move(names[i]), secret_of(env, bytes, what));
    env->DeleteLocalRef(bytes);
  }
  return out;
}

// One message's text held for the call: Object[]{String method, String uri, Integer status,
// String[] headers as name, value, name, value..., byte[] body or null}, and the request a
// response answers (the same shape, or null).
class MessageArg {
 public:
  MessageArg(JNIEnv* env, jobjectArray parts, jobjectArray request) : MessageArg(env, parts) {
    if (request) {
      request_ = std::make_unique<MessageArg>(env, request);
      message.request = &request_->message;
    }
  }

  MessageArg(JNIEnv* env, jobjectArray parts) {
    if (!parts || env->GetArrayLength(parts) != 5) raise_java(env, "java/lang/IllegalArgumentException", "bad message");
    auto element = [&](jsize i) { return env->GetObjectArrayElement(parts, i); };
    jobject method = element(0), uri = element(1), status = element(2), headers = element(3), body = element(4);
    texts_.reserve(2);
    texts_.emplace_back(env, static_cast<jstring>(method), "method");
    texts_.emplace_back(env, static_cast<jstring>(uri), "url");
    header_texts_ = strings_of(env, static_cast<jobjectArray>(headers), "header");
    if (header_texts_.size() % 2 != 0) raise_java(env, "java/lang/IllegalArgumentException", "headers come in pairs");
    if (body) body_ = bytes_of(env, static_cast<jbyteArray>(body), "body");
    if (!status) raise_java(env, "java/lang/NullPointerException", "status must not be null");
    jclass integer = env->FindClass("java/lang/Integer");
    if (!integer) throw Pending{};
    jmethodID int_value = env->GetMethodID(integer, "intValue", "()I");
    if (!int_value) throw Pending{};
    message.status = env->CallIntMethod(status, int_value);
    if (env->ExceptionCheck()) throw Pending{};
    for (jobject o : {method, uri, status, headers, body, static_cast<jobject>(integer)}) {
      if (o) env->DeleteLocalRef(o);
    }
    message.method = texts_[0].view();
    message.target_uri = texts_[1].view();
    for (std::size_t i = 0; i + 1 < header_texts_.size(); i += 2) {
      message.headers.push_back({header_texts_[i], header_texts_[i + 1]});
    }
    if (body_) message.body = *body_;
  }

  signing::Message message;

 private:
  std::vector<Text> texts_;
  std::vector<std::string> header_texts_;
  std::optional<std::string> body_;
  std::unique_ptr<MessageArg> request_;
};

std::vector<webhooks::Secret> webhook_secrets(JNIEnv* env, jlongArray handles) {
  if (!handles) raise_java(env, "java/lang/NullPointerException", "secrets must not be null");
  const jsize n = env->GetArrayLength(handles);
  std::vector<jlong> hs(static_cast<std::size_t>(n));
  env->GetLongArrayRegion(handles, 0, n, hs.data());
  std::vector<webhooks::Secret> out;
  for (jlong h : hs) out.push_back(handle<webhooks::Secret>(h));
  return out;
}

// Records, events or notifications as a String[] of their canonical JSON texts.
template <class T>
jobjectArray json_list(JNIEnv* env, const std::vector<T>& values) {
  std::vector<std::string> out;
  out.reserve(values.size());
  for (const auto& v : values) out.push_back(v.to_json());
  return to_java(env, out);
}

// A count from Java (a limit): never negative.
std::size_t count_arg(JNIEnv* env, jlong value, const char* what) {
  if (value < 0) raise(env, Status(Code::kInvalidRequest, std::string(what) + " must not be negative"));
  return static_cast<std::size_t>(value);
}

jobjectArray pairs(JNIEnv* env, const std::vector<std::pair<std::string, std::string>>& fields) {
  std::vector<std::string> flat;
  for (const auto& [name, value] : fields) {
    flat.push_back(name);
    flat.push_back(value);
  }
  return to_java(env, flat);
}

}  // namespace

// --- status and version -------------------------------------------------------------------

NATIVE(jobjectArray, codes)(JNIEnv* env, jclass) {
  return guarded<jobjectArray>(env, [&] {
    std::vector<std::string> out;
    for (Code c : all_codes()) out.emplace_back(code_name(c));
    return to_java(env, out);
  });
}

NATIVE(jstring, version)(JNIEnv* env, jclass) {
  return guarded<jstring>(env, [&] { return to_java(env, finfusion::version()); });
}

// --- keys ---------------------------------------------------------------------------------

NATIVE(jobject, keyGenerate)(JNIEnv* env, jclass, jstring type) {
  return guarded<jobject>(env, [&] { return api_key(env, unwrap(env, keys::generate(type_arg(env, type)))); });
}

NATIVE(jobject, keyGenerateFromEntropy)(JNIEnv* env, jclass, jstring type, jbyteArray entropy) {
  return guarded<jobject>(env, [&] {
    keys::KeyType t = type_arg(env, type);
    SecretBytes bytes = secret_of(env, entropy, "entropy");
    return api_key(env, unwrap(env, keys::generate_from_entropy(t, bytes.view())));
  });
}

NATIVE(jstring, keyCheckFormat)(JNIEnv* env, jclass, jstring key) {
  return guarded<jstring>(env, [&] { return to_java(env, code_name(keys::check_format(Text(env, key, "key").view()))); });
}

NATIVE(jobjectArray, keyParse)(JNIEnv* env, jclass, jstring key) {
  return guarded<jobjectArray>(env, [&] { return parsed(env, unwrap(env, keys::parse(Text(env, key, "key").view()))); });
}

NATIVE(jobjectArray, keyParseId)(JNIEnv* env, jclass, jstring id) {
  return guarded<jobjectArray>(env, [&] { return parsed(env, unwrap(env, keys::parse_id(Text(env, id, "key id").view()))); });
}

NATIVE(jstring, keyMask)(JNIEnv* env, jclass, jstring key) {
  return guarded<jstring>(env, [&] { return to_java(env, unwrap(env, keys::mask(Text(env, key, "key").view()))); });
}

NATIVE(jobjectArray, keyTypeInfo)(JNIEnv* env, jclass, jstring name) {
  return guarded<jobjectArray>(env, [&] {
    keys::KeyType t = type_arg(env, name);
    return to_java(env, {std::string(keys::type_prefix(t)), std::string(keys::environment_name(keys::type_environment(t)))});
  });
}

NATIVE(jobjectArray, keyTypes)(JNIEnv* env, jclass) {
  return guarded<jobjectArray>(env, [&] {
    std::vector<std::string> out;
    for (keys::KeyType t : keys::kAllTypes) out.emplace_back(keys::type_name(t));
    return to_java(env, out);
  });
}

NATIVE(jstring, keyScannerPattern)(JNIEnv* env, jclass) {
  return guarded<jstring>(env, [&] { return to_java(env, keys::scanner_pattern()); });
}

NATIVE(jint, keyMaxLength)(JNIEnv*, jclass) { return static_cast<jint>(keys::kMaxKeyLength); }

NATIVE(jlong, typeTableCreate)(JNIEnv* env, jclass, jstring overrides) {
  return guarded<jlong>(env, [&] { return own(unwrap(env, keys::TypeTable::Create(Text(env, overrides, "overrides").view()))); });
}

NATIVE(jstring, typeTableJson)(JNIEnv* env, jclass, jlong table) {
  return guarded<jstring>(env, [&] { return to_java(env, handle<keys::TypeTable>(table).to_json()); });
}

NATIVE(void, typeTableFree)(JNIEnv*, jclass, jlong table) { free_handle<keys::TypeTable>(table); }

// --- scopes -------------------------------------------------------------------------------

NATIVE(jobjectArray, scopeParse)(JNIEnv* env, jclass, jobjectArray texts) {
  return guarded<jobjectArray>(env, [&] {
    return to_java(env, unwrap(env, scopes::parse(strings_of(env, texts, "scope"))).to_strings());
  });
}

NATIVE(jboolean, scopeAllows)(JNIEnv* env, jclass, jobjectArray granted, jstring required) {
  return guarded<jboolean>(env, [&] {
    auto set = unwrap(env, scopes::parse(strings_of(env, granted, "scope")));
    return static_cast<jboolean>(unwrap(env, scopes::allows(set, Text(env, required, "required").view())));
  });
}

NATIVE(jboolean, scopeAllowsAll)(JNIEnv* env, jclass, jobjectArray granted, jobjectArray required) {
  return guarded<jboolean>(env, [&] {
    auto g = unwrap(env, scopes::parse(strings_of(env, granted, "scope")));
    auto r = unwrap(env, scopes::parse(strings_of(env, required, "scope")));
    return static_cast<jboolean>(scopes::allows_all(g, r));
  });
}

NATIVE(jboolean, scopeIsSubset)(JNIEnv* env, jclass, jobjectArray child, jobjectArray parent) {
  return guarded<jboolean>(env, [&] {
    auto c = unwrap(env, scopes::parse(strings_of(env, child, "scope")));
    auto p = unwrap(env, scopes::parse(strings_of(env, parent, "scope")));
    return static_cast<jboolean>(scopes::is_subset(c, p));
  });
}

// --- hashing ------------------------------------------------------------------------------

NATIVE(jlong, hasherCreate)(JNIEnv* env, jclass, jobjectArray ids, jobjectArray peppers, jstring current,
                            jstring algorithm) {
  return guarded<jlong>(env, [&] {
    auto list = keyed_secrets(env, ids, peppers, "pepper");
    return own(unwrap(env, hashing::Hasher::Create(std::move(list), Text(env, current, "current").view(),
                                                   Text(env, algorithm, "algorithm").view())));
  });
}

NATIVE(jstring, hasherHash)(JNIEnv* env, jclass, jlong h, jstring key) {
  return guarded<jstring>(env, [&] { return to_java(env, unwrap(env, handle<hashing::Hasher>(h).hash(Text(env, key, "key").view()))); });
}

NATIVE(jboolean, hasherVerify)(JNIEnv* env, jclass, jlong h, jstring key, jstring stored) {
  return guarded<jboolean>(env, [&] {
    Text k(env, key, "key"), s(env, stored, "stored");
    return static_cast<jboolean>(unwrap(env, handle<hashing::Hasher>(h).verify(k.view(), s.view())));
  });
}

NATIVE(jboolean, hasherNeedsRehash)(JNIEnv* env, jclass, jlong h, jstring stored) {
  return guarded<jboolean>(env, [&] {
    return static_cast<jboolean>(unwrap(env, handle<hashing::Hasher>(h).needs_rehash(Text(env, stored, "stored").view())));
  });
}

NATIVE(jstring, hasherCurrent)(JNIEnv* env, jclass, jlong h) {
  return guarded<jstring>(env, [&] { return to_java(env, handle<hashing::Hasher>(h).current_pepper_id()); });
}

NATIVE(jstring, hasherAlgorithm)(JNIEnv* env, jclass, jlong h) {
  return guarded<jstring>(env, [&] { return to_java(env, handle<hashing::Hasher>(h).algorithm()); });
}

NATIVE(void, hasherFree)(JNIEnv*, jclass, jlong h) { free_handle<hashing::Hasher>(h); }

NATIVE(jobjectArray, hashParseStored)(JNIEnv* env, jclass, jstring stored) {
  return guarded<jobjectArray>(env, [&] {
    auto parts = unwrap(env, hashing::parse_stored(Text(env, stored, "stored").view()));
    return to_java(env, {parts.algorithm, parts.pepper_id});
  });
}

NATIVE(jbyteArray, randomSecret)(JNIEnv* env, jclass, jint size) {
  return guarded<jbyteArray>(env, [&] {
    if (size < 0) raise(env, Status(Code::kInvalidRequest, "size must not be negative"));
    SecretBytes s = unwrap(env, random_secret(static_cast<std::size_t>(size)));
    return to_java_bytes(env, s.view());
  });
}

NATIVE(jint, pepperBytes)(JNIEnv*, jclass) { return static_cast<jint>(hashing::kPepperBytes); }

// --- time ---------------------------------------------------------------------------------

NATIVE(jlong, timeParseDuration)(JNIEnv* env, jclass, jstring text) {
  return guarded<jlong>(env, [&] { return unwrap(env, time::parse_duration(Text(env, text, "duration").view())); });
}

NATIVE(jstring, timeFormatDuration)(JNIEnv* env, jclass, jlong ms) {
  return guarded<jstring>(env, [&] { return to_java(env, unwrap(env, time::format_duration(ms))); });
}

NATIVE(jlong, timeParseTimestamp)(JNIEnv* env, jclass, jstring text) {
  return guarded<jlong>(env, [&] { return unwrap(env, time::parse_timestamp(Text(env, text, "timestamp").view())); });
}

NATIVE(jlong, timeParseUntil)(JNIEnv* env, jclass, jstring text) {
  return guarded<jlong>(env, [&] { return unwrap(env, time::parse_until(Text(env, text, "timestamp").view())); });
}

NATIVE(jstring, timeFormatTimestamp)(JNIEnv* env, jclass, jlong ms) {
  return guarded<jstring>(env, [&] { return to_java(env, unwrap(env, time::format_timestamp(ms))); });
}

// --- lifecycle, rate limits, client -------------------------------------------------------

NATIVE(jstring, parseCreateRequest)(JNIEnv* env, jclass, jstring request, jlong now, jlong table) {
  return guarded<jstring>(env, [&] {
    return to_java(env, unwrap(env, lifecycle::parse_create_request(Text(env, request, "request").view(), now,
                                                                    handle<keys::TypeTable>(table)))
                            .to_json());
  });
}

NATIVE(jlongArray, ratelimitCheck)(JNIEnv* env, jclass, jlong requests, jlong window, jboolean fresh, jlong tat,
                                   jlong frac, jlong now, jlong cost) {
  return guarded<jlongArray>(env, [&] {
    ratelimit::State state;
    if (!fresh) state = {tat, frac};
    auto d = unwrap(env, ratelimit::check({requests, window}, state, now, cost));
    const jlong out[] = {d.allowed ? 1 : 0, d.limit, d.remaining, d.retry_after, d.reset_after, d.state.tat_ms, d.state.tat_frac};
    jlongArray arr = env->NewLongArray(7);
    if (!arr) throw Pending{};
    env->SetLongArrayRegion(arr, 0, 7, out);
    return arr;
  });
}

NATIVE(jobjectArray, clientConfigure)(JNIEnv* env, jclass, jstring api_key, jstring environment, jstring options) {
  return guarded<jobjectArray>(env, [&] {
    auto c = unwrap(env, client::configure(Text(env, api_key, "apiKey").view(), Text(env, environment, "environment").view(),
                                           Text(env, options, "options").view()));
    return to_java(env, {c.key_id, std::string(keys::type_name(c.type)), std::string(keys::environment_name(c.environment)),
                         std::to_string(c.timeout_ms), std::to_string(c.retries)});
  });
}

// --- registry -----------------------------------------------------------------------------

NATIVE(jlong, registryNew)(JNIEnv* env, jclass, jlong hasher, jlong table, jbyteArray seed, jstring store) {
  return guarded<jlong>(env, [&] {
    std::optional<keys::RandomSource> random;
    if (seed) random = keys::deterministic_random(bytes_of(env, seed, "seed"));
    auto opened = unwrap(env, registry::open_store(Text(env, store, "store").view()));
    return release_to_java(new registry::Registry(handle<hashing::Hasher>(hasher), handle<keys::TypeTable>(table),
                                                  std::move(opened), random));
  });
}

NATIVE(void, registryFree)(JNIEnv*, jclass, jlong r) { free_handle<registry::Registry>(r); }

NATIVE(jobjectArray, registryCreate)(JNIEnv* env, jclass, jlong r, jstring request, jlong now, jstring actor) {
  return guarded<jobjectArray>(env, [&] {
    auto c = unwrap(env, handle<registry::Registry>(r).create(Text(env, request, "request").view(), now,
                                                              Text(env, actor, "actor").view()));
    return objects(env, {api_key(env, c.key), to_java(env, c.record.to_json())});
  });
}

// The context Registry.verify packs into one string: environment, service, actor, signedBy,
// then each required scope, each text after its length in UTF-16 units and a ':' (one JNI
// read instead of one or two for each text). Read into a context kept per thread and reused
// while the same text comes back, as it does from a service's few contexts.
registry::VerifyContext& context_of(JNIEnv* env, jstring packed) {
  if (!packed) raise_java(env, "java/lang/NullPointerException", "context must not be null");
  thread_local std::vector<jchar> seen, text;
  thread_local registry::VerifyContext context;
  const jsize n = env->GetStringLength(packed);
  text.resize(static_cast<std::size_t>(n));
  if (n > 0) env->GetStringRegion(packed, 0, n, text.data());
  if (!seen.empty() && text == seen) return context;
  registry::VerifyContext read;
  std::size_t at = 0;
  auto field = [&](std::string& out) {
    std::size_t length = 0, digits = 0;
    for (; at < text.size() && text[at] >= '0' && text[at] <= '9' && digits < 10; ++at, ++digits) {
      length = length * 10 + static_cast<std::size_t>(text[at] - '0');
    }
    if (digits == 0 || at >= text.size() || text[at] != ':' || text.size() - at - 1 < length) {
      raise_java(env, "java/lang/IllegalArgumentException", "malformed verification context");
    }
    utf8_of(text.data() + at + 1, length, out);
    at += 1 + length;
  };
  for (std::string* t : {&read.environment, &read.service, &read.actor, &read.signed_by}) field(*t);
  while (at < text.size()) field(read.required.emplace_back());
  context = std::move(read);
  seen.swap(text);
  return context;
}

// The hot path: the decision's texts as one String (code, keyId, type, environment,
// replacedBy, then each permission, joined by U+0001) and its numbers written into `numbers`
// ({valid, expiresAt, inGrace, graceUntil, limit, remaining, retryAfterMs}, an absent instant
// as Long.MIN_VALUE), which Registry.verify makes into a Decision without the JSON round trip
// the other calls take. One string and no array: each object JNI makes costs more than
// Java's making it.
NATIVE(jstring, registryVerify)(JNIEnv* env, jclass, jlong r, jstring key, jstring context, jlong cost,
                                jdouble latency_ms, jlong now, jlongArray numbers) {
  return guarded<jstring>(env, [&] {
    Text k(env, key, "key");
    registry::VerifyContext& ctx = context_of(env, context);
    ctx.cost = cost;
    ctx.latency_ms = latency_ms;
    // One per thread, reused: the core fills it without allocating (the Java side serialises
    // a registry's calls, and the fields are copied out before this call returns).
    thread_local registry::Decision d;
    check(env, handle<registry::Registry>(r).verify(k.view(), ctx, now, d));
    constexpr jlong kNone = std::numeric_limits<jlong>::min();
    const jlong values[] = {d.valid ? 1 : 0, d.has_expiry() ? d.expires_at : kNone, d.in_grace ? 1 : 0,
                            d.has_grace() ? d.grace_until : kNone, d.rate_limit, d.rate_remaining, d.retry_after};
    if (!numbers || env->GetArrayLength(numbers) != 7) {
      raise_java(env, "java/lang/IllegalArgumentException", "numbers must hold 7");
    }
    env->SetLongArrayRegion(numbers, 0, 7, values);
    // The texts are validated ids, names and scopes, which never hold the separator; one that
    // did would be split wrongly, so it is refused rather than passed.
    thread_local std::string texts;
    texts.assign(code_name(d.code));
    auto add = [&](std::string_view t) {
      if (std::memchr(t.data(), '\x01', t.size()) != nullptr) raise_java(env, "java/lang/IllegalStateException", "internal error");
      texts.append(1, '\x01').append(t);
    };
    for (const std::string* t : {&d.key_id, &d.type, &d.environment, &d.replaced_by}) add(*t);
    for (const std::string& scope : d.scopes) add(scope);
    return to_java(env, texts);
  });
}

NATIVE(jstring, registryGetUsage)(JNIEnv* env, jclass, jlong r, jstring query) {
  return guarded<jstring>(env, [&] {
    return to_java(env, unwrap(env, handle<registry::Registry>(r).get_usage(Text(env, query, "query").view())));
  });
}

NATIVE(jstring, registryStatus)(JNIEnv* env, jclass, jlong r, jstring id, jlong now) {
  return guarded<jstring>(env, [&] {
    return to_java(env, unwrap(env, handle<registry::Registry>(r).status(Text(env, id, "key id").view(), now)).to_json());
  });
}

NATIVE(jobjectArray, registryRotate)(JNIEnv* env, jclass, jlong r, jstring id, jlong grace, jobjectArray emails,
                                     jboolean force, jlong now, jstring actor) {
  return guarded<jobjectArray>(env, [&] {
    auto rot = unwrap(env, handle<registry::Registry>(r).rotate(Text(env, id, "key id").view(), grace,
                                                                strings_of(env, emails, "notify email"), force, now,
                                                                Text(env, actor, "actor").view()));
    return rotated(env, rot);
  });
}

NATIVE(jobjectArray, registryRotateDue)(JNIEnv* env, jclass, jlong r, jlong grace, jobjectArray emails, jlong now,
                                        jstring actor) {
  return guarded<jobjectArray>(env, [&] {
    auto made = unwrap(env, handle<registry::Registry>(r).rotate_due(grace, strings_of(env, emails, "notify email"), now,
                                                                     Text(env, actor, "actor").view()));
    jobjectArray out = new_array(env, static_cast<jsize>(made.size()), ArrayOf::kObject);
    for (std::size_t i = 0; i < made.size(); ++i) {
      jobjectArray item = rotated(env, made[i]);
      env->SetObjectArrayElement(out, static_cast<jsize>(i), item);
      env->DeleteLocalRef(item);
    }
    return out;
  });
}

NATIVE(jstring, registryRevoke)(JNIEnv* env, jclass, jlong r, jstring id, jstring reason, jlong now, jstring actor) {
  return guarded<jstring>(env, [&] {
    return to_java(env, unwrap(env, handle<registry::Registry>(r).revoke(Text(env, id, "key id").view(),
                                                                         Text(env, reason, "reason").view(), now,
                                                                         Text(env, actor, "actor").view()))
                            .to_json());
  });
}

NATIVE(jstring, registryGet)(JNIEnv* env, jclass, jlong r, jstring id) {
  return guarded<jstring>(env, [&] {
    return to_java(env, unwrap(env, handle<registry::Registry>(r).get(Text(env, id, "key id").view())).to_json());
  });
}

NATIVE(jobjectArray, registryList)(JNIEnv* env, jclass, jlong r) {
  return guarded<jobjectArray>(env, [&] { return json_list(env, unwrap(env, handle<registry::Registry>(r).list())); });
}

NATIVE(jobjectArray, registryLogs)(JNIEnv* env, jclass, jlong r, jstring key_id, jobjectArray types, jlong limit) {
  return guarded<jobjectArray>(env, [&] {
    return json_list(env, unwrap(env, handle<registry::Registry>(r).logs({Text(env, key_id, "key id").str(),
                                                                          strings_of(env, types, "event type"),
                                                                          count_arg(env, limit, "limit")})));
  });
}

NATIVE(void, registrySetAlertRecipients)(JNIEnv* env, jclass, jlong r, jobjectArray recipients) {
  guarded<int>(env, [&] {
    check(env, handle<registry::Registry>(r).set_alert_recipients(strings_of(env, recipients, "recipient")));
    return 0;
  });
}

NATIVE(jlong, registryQueueWarnings)(JNIEnv* env, jclass, jlong r, jlong now) {
  return guarded<jlong>(env, [&] { return static_cast<jlong>(unwrap(env, handle<registry::Registry>(r).queue_warnings(now))); });
}

NATIVE(jobjectArray, registryClaimNotifications)(JNIEnv* env, jclass, jlong r, jstring worker, jlong limit, jlong lease,
                                                 jlong now) {
  return guarded<jobjectArray>(env, [&] {
    return json_list(env, unwrap(env, handle<registry::Registry>(r).claim_notifications(
                                          Text(env, worker, "worker").view(), count_arg(env, limit, "limit"), lease, now)));
  });
}

NATIVE(jstring, registrySettleNotification)(JNIEnv* env, jclass, jlong r, jstring id, jstring worker, jboolean delivered,
                                            jstring error, jlong now) {
  return guarded<jstring>(env, [&] {
    return to_java(env, unwrap(env, handle<registry::Registry>(r).settle_notification(
                                        Text(env, id, "id").view(), Text(env, worker, "worker").view(), delivered,
                                        Text(env, error, "error").view(), now))
                            .to_json());
  });
}

NATIVE(jobjectArray, registryNotifications)(JNIEnv* env, jclass, jlong r, jstring id, jstring status, jlong limit) {
  return guarded<jobjectArray>(env, [&] {
    return json_list(env, unwrap(env, handle<registry::Registry>(r).notifications(
                                          {Text(env, id, "id").str(), Text(env, status, "status").str(), 0,
                                           count_arg(env, limit, "limit")})));
  });
}

NATIVE(jobjectArray, registryEmergencyRevoke)(JNIEnv* env, jclass, jlong r, jstring id, jstring reason, jboolean replace,
                                              jlong now, jstring actor) {
  return guarded<jobjectArray>(env, [&] {
    auto out = unwrap(env, handle<registry::Registry>(r).emergency_revoke(Text(env, id, "key id").view(),
                                                                          Text(env, reason, "reason").view(), replace,
                                                                          now, Text(env, actor, "actor").view()));
    std::vector<std::string> revoked;
    for (const auto& k : out.revoked) revoked.push_back(k.to_json());
    jobjectArray replacements = new_array(env, static_cast<jsize>(out.replacements.size()), ArrayOf::kObject);
    for (std::size_t i = 0; i < out.replacements.size(); ++i) {
      const auto& rep = out.replacements[i];
      jobjectArray item = objects(env, {to_java(env, rep.previous_id), api_key(env, rep.key), to_java(env, rep.record.to_json())});
      env->SetObjectArrayElement(replacements, static_cast<jsize>(i), item);
      env->DeleteLocalRef(item);
    }
    return objects(env, {to_java(env, revoked), replacements});
  });
}

NATIVE(jstring, registryPolicyReport)(JNIEnv* env, jclass, jlong r, jlong now) {
  return guarded<jstring>(env, [&] { return to_java(env, unwrap(env, handle<registry::Registry>(r).policy_report(now))); });
}

NATIVE(jstring, registryVerifyChain)(JNIEnv* env, jclass, jlong r) {
  return guarded<jstring>(env, [&] { return to_java(env, unwrap(env, handle<registry::Registry>(r).verify_chain()).to_json()); });
}

NATIVE(void, registryFlush)(JNIEnv* env, jclass, jlong r) {
  guarded<int>(env, [&] {
    check(env, handle<registry::Registry>(r).flush());
    return 0;
  });
}

NATIVE(jstring, registryExport)(JNIEnv* env, jclass, jlong r, jbyteArray key, jlong now) {
  return guarded<jstring>(env, [&] {
    return to_java(env, unwrap(env, handle<registry::Registry>(r).export_encrypted(secret_of(env, key, "key"), now)));
  });
}

NATIVE(void, registryImport)(JNIEnv* env, jclass, jlong r, jstring text, jbyteArray key) {
  guarded<int>(env, [&] {
    check(env, handle<registry::Registry>(r).import_encrypted(Text(env, text, "text").view(), secret_of(env, key, "key")));
    return 0;
  });
}

NATIVE(void, registrySetMasterKeys)(JNIEnv* env, jclass, jlong r, jobjectArray ids, jobjectArray keys_, jstring current) {
  guarded<int>(env, [&] {
    auto list = keyed_secrets(env, ids, keys_, "master key");
    handle<registry::Registry>(r).set_master_keys(
        unwrap(env, vault::MasterKeys::Create(std::move(list), Text(env, current, "current").str())));
    return 0;
  });
}

NATIVE(jlong, registryIssueSigningSecret)(JNIEnv* env, jclass, jlong r, jstring id, jstring algorithm, jlong now,
                                          jstring actor) {
  return guarded<jlong>(env, [&] {
    auto a = unwrap(env, signing::algorithm_from_name(Text(env, algorithm, "algorithm").view()));
    return own(unwrap(env, handle<registry::Registry>(r).issue_signing_secret(Text(env, id, "key id").view(), a, now,
                                                                              Text(env, actor, "actor").view())));
  });
}

NATIVE(jlong, registrySigningKey)(JNIEnv* env, jclass, jlong r, jstring id) {
  return guarded<jlong>(env, [&] { return own(unwrap(env, handle<registry::Registry>(r).signing_key(Text(env, id, "key id").view()))); });
}

NATIVE(jlong, registryIssueWebhookSecret)(JNIEnv* env, jclass, jlong r, jstring endpoint, jlong now, jstring actor) {
  return guarded<jlong>(env, [&] {
    return own(unwrap(env, handle<registry::Registry>(r).issue_webhook_secret(Text(env, endpoint, "endpoint id").view(), now,
                                                                              Text(env, actor, "actor").view())));
  });
}

NATIVE(jlong, registryWebhookSecret)(JNIEnv* env, jclass, jlong r, jstring endpoint) {
  return guarded<jlong>(env, [&] {
    return own(unwrap(env, handle<registry::Registry>(r).webhook_secret(Text(env, endpoint, "endpoint id").view())));
  });
}

NATIVE(jlong, registryReencryptSecrets)(JNIEnv* env, jclass, jlong r, jlong now, jstring actor) {
  return guarded<jlong>(env, [&] {
    return static_cast<jlong>(unwrap(env, handle<registry::Registry>(r).reencrypt_secrets(now, Text(env, actor, "actor").view())));
  });
}

// --- request signing ----------------------------------------------------------------------

NATIVE(jlong, verifyingKeyHmac)(JNIEnv* env, jclass, jstring id, jbyteArray secret) {
  return guarded<jlong>(env, [&] {
    return own(unwrap(env, signing::VerifyingKey::Hmac(Text(env, id, "keyId").str(), secret_of(env, secret, "secret"))));
  });
}

NATIVE(jlong, verifyingKeyEd25519)(JNIEnv* env, jclass, jstring id, jbyteArray public_key) {
  return guarded<jlong>(env, [&] {
    return own(unwrap(env, signing::VerifyingKey::Ed25519(Text(env, id, "keyId").str(), bytes_of(env, public_key, "publicKey"))));
  });
}

NATIVE(jstring, verifyingKeyId)(JNIEnv* env, jclass, jlong k) {
  return guarded<jstring>(env, [&] { return to_java(env, handle<signing::VerifyingKey>(k).key_id()); });
}

NATIVE(jstring, verifyingKeyAlgorithm)(JNIEnv* env, jclass, jlong k) {
  return guarded<jstring>(env, [&] { return to_java(env, signing::algorithm_name(handle<signing::VerifyingKey>(k).algorithm())); });
}

NATIVE(jboolean, verifyingKeyVerify)(JNIEnv* env, jclass, jlong k, jbyteArray message, jbyteArray signature) {
  return guarded<jboolean>(env, [&] {
    return static_cast<jboolean>(handle<signing::VerifyingKey>(k).verify(bytes_of(env, message, "message"),
                                                                         bytes_of(env, signature, "signature")));
  });
}

NATIVE(void, verifyingKeyFree)(JNIEnv*, jclass, jlong k) { free_handle<signing::VerifyingKey>(k); }

NATIVE(jlong, signingKeyHmac)(JNIEnv* env, jclass, jstring id, jbyteArray secret) {
  return guarded<jlong>(env, [&] {
    return own(unwrap(env, signing::SigningKey::Hmac(Text(env, id, "keyId").str(), secret_of(env, secret, "secret"))));
  });
}

NATIVE(jlong, signingKeyEd25519)(JNIEnv* env, jclass, jstring id, jbyteArray seed) {
  return guarded<jlong>(env, [&] {
    return own(unwrap(env, signing::SigningKey::Ed25519(Text(env, id, "keyId").str(), secret_of(env, seed, "seed"))));
  });
}

NATIVE(jlong, signingKeyGenerate)(JNIEnv* env, jclass, jstring id, jstring algorithm) {
  return guarded<jlong>(env, [&] {
    Text key_id(env, id, "keyId");
    auto a = unwrap(env, signing::algorithm_from_name(Text(env, algorithm, "algorithm").view()));
    return own(unwrap(env, signing::SigningKey::Generate(key_id.str(), a)));
  });
}

NATIVE(jstring, signingKeyId)(JNIEnv* env, jclass, jlong k) {
  return guarded<jstring>(env, [&] { return to_java(env, handle<signing::SigningKey>(k).key_id()); });
}

NATIVE(jstring, signingKeyAlgorithm)(JNIEnv* env, jclass, jlong k) {
  return guarded<jstring>(env, [&] { return to_java(env, signing::algorithm_name(handle<signing::SigningKey>(k).algorithm())); });
}

NATIVE(jbyteArray, signingKeyPublic)(JNIEnv* env, jclass, jlong k) {
  return guarded<jbyteArray>(env, [&] { return to_java_bytes(env, handle<signing::SigningKey>(k).public_key()); });
}

NATIVE(jbyteArray, signingKeySecret)(JNIEnv* env, jclass, jlong k) {
  return guarded<jbyteArray>(env, [&] { return to_java_bytes(env, handle<signing::SigningKey>(k).secret().view()); });
}

NATIVE(jlong, signingKeyVerifying)(JNIEnv* env, jclass, jlong k) {
  return guarded<jlong>(env, [&] { return own(handle<signing::SigningKey>(k).verifying_key()); });
}

NATIVE(jbyteArray, signingKeySign)(JNIEnv* env, jclass, jlong k, jbyteArray message) {
  return guarded<jbyteArray>(env, [&] {
    return to_java_bytes(env, handle<signing::SigningKey>(k).sign(bytes_of(env, message, "message")));
  });
}

NATIVE(void, signingKeyFree)(JNIEnv*, jclass, jlong k) { free_handle<signing::SigningKey>(k); }

NATIVE(jlong, keyRingNew)(JNIEnv* env, jclass) {
  return guarded<jlong>(env, [&] { return own(signing::KeyRing()); });
}

NATIVE(void, keyRingAdd)(JNIEnv* env, jclass, jlong ring, jlong key) {
  guarded<int>(env, [&] {
    handle<signing::KeyRing>(ring).add(handle<signing::VerifyingKey>(key));
    return 0;
  });
}

NATIVE(jint, keyRingSize)(JNIEnv*, jclass, jlong ring) { return static_cast<jint>(handle<signing::KeyRing>(ring).size()); }

NATIVE(jboolean, keyRingContains)(JNIEnv* env, jclass, jlong ring, jstring id) {
  return guarded<jboolean>(env, [&] {
    return static_cast<jboolean>(handle<signing::KeyRing>(ring).contains(Text(env, id, "keyId").view()));
  });
}

NATIVE(void, keyRingFree)(JNIEnv*, jclass, jlong ring) { free_handle<signing::KeyRing>(ring); }

NATIVE(jlong, nonceCacheNew)(JNIEnv* env, jclass, jlong max_entries) {
  return guarded<jlong>(env, [&] {
    if (max_entries < 1) raise(env, Status(Code::kInvalidRequest, "maxEntries must be at least 1"));
    return release_to_java(new signing::NonceCache(static_cast<std::size_t>(max_entries)));
  });
}

NATIVE(jlong, nonceCacheSize)(JNIEnv*, jclass, jlong c) { return static_cast<jlong>(handle<signing::NonceCache>(c).size()); }

NATIVE(jlong, nonceCacheMax)(JNIEnv*, jclass, jlong c) {
  return static_cast<jlong>(handle<signing::NonceCache>(c).max_entries());
}

NATIVE(void, nonceCacheFree)(JNIEnv*, jclass, jlong c) { free_handle<signing::NonceCache>(c); }

NATIVE(jobjectArray, signingSign)(JNIEnv* env, jclass, jobjectArray message, jobjectArray request, jlong key,
                                  jstring label, jobjectArray components, jboolean has_expires, jlong expires_in,
                                  jstring nonce, jboolean generate_nonce, jstring tag, jboolean include_alg,
                                  jstring digest, jlong now) {
  return guarded<jobjectArray>(env, [&] {
    MessageArg msg(env, message, request);
    signing::SignOptions o;
    o.label = Text(env, label, "label").str();
    if (components) o.components = strings_of(env, components, "component");
    if (has_expires) o.expires_in_seconds = expires_in;
    o.nonce = Text(env, nonce, "nonce").str();
    o.generate_nonce = generate_nonce;
    o.tag = Text(env, tag, "tag").str();
    o.include_alg = include_alg;
    o.digest = unwrap(env, signing::digest_from_name(Text(env, digest, "digest").view()));
    signing::Signed s = unwrap(env, signing::sign(msg.message, handle<signing::SigningKey>(key), o, now));
    return objects(env, {pairs(env, s.headers), to_java(env, s.signature_base), to_java(env, s.signature_input)});
  });
}

NATIVE(jobjectArray, signingVerify)(JNIEnv* env, jclass, jobjectArray message, jobjectArray request, jlong ring,
                                    jlong tolerance, jboolean require_nonce, jobjectArray required, jstring label,
                                    jboolean require_digest, jlong nonces, jlong now) {
  return guarded<jobjectArray>(env, [&] {
    MessageArg msg(env, message, request);
    signing::VerifyPolicy p;
    p.tolerance_seconds = tolerance;
    p.require_nonce = require_nonce;
    p.required_components = strings_of(env, required, "required component");
    p.label = Text(env, label, "label").str();
    p.require_content_digest = require_digest;
    signing::NonceCache* cache = nonces ? &handle<signing::NonceCache>(nonces) : nullptr;
    signing::Verification v = signing::verify(msg.message, handle<signing::KeyRing>(ring), p, cache, now);
    return to_java(env, {v.to_json(), v.message, v.signature_base});
  });
}

NATIVE(jstring, contentDigest)(JNIEnv* env, jclass, jbyteArray body, jstring algorithm) {
  return guarded<jstring>(env, [&] {
    auto a = unwrap(env, signing::digest_from_name(Text(env, algorithm, "algorithm").view()));
    return to_java(env, signing::content_digest(bytes_of(env, body, "body"), a));
  });
}

NATIVE(jboolean, verifyContentDigest)(JNIEnv* env, jclass, jstring field, jbyteArray body) {
  return guarded<jboolean>(env, [&] {
    Status s = signing::verify_content_digest(Text(env, field, "field").view(), bytes_of(env, body, "body"));
    if (s.code() == Code::kSignatureInvalid) return static_cast<jboolean>(false);
    check(env, s);
    return static_cast<jboolean>(true);
  });
}

// --- webhooks -----------------------------------------------------------------------------

NATIVE(jlong, webhookSecretParse)(JNIEnv* env, jclass, jstring text) {
  return guarded<jlong>(env, [&] { return own(unwrap(env, webhooks::Secret::Parse(Text(env, text, "secret").view()))); });
}

NATIVE(jlong, webhookSecretFromBytes)(JNIEnv* env, jclass, jbyteArray raw) {
  return guarded<jlong>(env, [&] { return own(unwrap(env, webhooks::Secret::FromBytes(secret_of(env, raw, "secret")))); });
}

NATIVE(jlong, webhookSecretGenerate)(JNIEnv* env, jclass) {
  return guarded<jlong>(env, [&] { return own(unwrap(env, webhooks::Secret::Generate())); });
}

NATIVE(jstring, webhookSecretReveal)(JNIEnv* env, jclass, jlong s) {
  return guarded<jstring>(env, [&] { return to_java(env, handle<webhooks::Secret>(s).reveal()); });
}

NATIVE(void, webhookSecretFree)(JNIEnv*, jclass, jlong s) { free_handle<webhooks::Secret>(s); }

NATIVE(jstring, webhookSign)(JNIEnv* env, jclass, jlong secret, jstring msg_id, jlong timestamp, jbyteArray payload) {
  return guarded<jstring>(env, [&] {
    return to_java(env, unwrap(env, webhooks::sign(handle<webhooks::Secret>(secret), Text(env, msg_id, "msgId").view(),
                                                   timestamp, bytes_of(env, payload, "payload"))));
  });
}

NATIVE(jobjectArray, webhookHeaders)(JNIEnv* env, jclass, jlongArray secrets, jstring msg_id, jlong timestamp,
                                     jbyteArray payload) {
  return guarded<jobjectArray>(env, [&] {
    return pairs(env, unwrap(env, webhooks::headers(webhook_secrets(env, secrets), Text(env, msg_id, "msgId").view(), timestamp,
                                                    bytes_of(env, payload, "payload"))));
  });
}

NATIVE(jobjectArray, webhookVerify)(JNIEnv* env, jclass, jlongArray secrets, jstring msg_id, jstring timestamp,
                                    jstring signature, jbyteArray payload, jlong now, jlong tolerance) {
  return guarded<jobjectArray>(env, [&] {
    auto v = webhooks::verify(webhook_secrets(env, secrets), Text(env, msg_id, "webhook-id").view(),
                              Text(env, timestamp, "webhook-timestamp").view(),
                              Text(env, signature, "webhook-signature").view(), bytes_of(env, payload, "payload"), now,
                              tolerance);
    return to_java(env, {v.valid ? "true" : "false", std::string(code_name(v.code)), v.message, v.msg_id,
                         std::to_string(v.timestamp)});
  });
}
