package cloud.finfusion.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every case of tests/vectors/*.json through the Java API and demands the answers the
 * C++ core wrote there, as the Python and Node suites do.
 */
class VectorsTest {
  static final List<String> FILES =
      List.of("key", "scope", "hash", "time", "create", "ratelimit", "registry", "signing", "webhooks");

  @TestFactory
  Stream<DynamicTest> everyVector() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String file : FILES) {
      Map<String, Object> doc = Json.object(TestSupport.readJson(TestSupport.repo().resolve("tests/vectors/" + file + ".json")));
      assertEquals(1L, doc.get("version"));
      for (Object c : Json.array(doc.get("cases"))) {
        Map<String, Object> kase = Json.object(c);
        tests.add(DynamicTest.dynamicTest(file + ": " + kase.get("name"), () -> {
          Map<String, Object> expected = new LinkedHashMap<>();
          if (kase.containsKey("expect")) expected.put("expect", kase.get("expect"));
          if (kase.containsKey("error")) expected.put("error", kase.get("error"));
          Object actual = answer(file, Json.object(kase.get("input")));
          assertTrue(TestSupport.sameJson(expected, actual),
              () -> "expected " + Json.write(expected) + "\n     got " + Json.write(actual));
        }));
      }
    }
    return tests.stream();
  }

  @Test
  void everyFileHasNegativeCases() {
    for (String file : FILES) {
      Map<String, Object> doc = Json.object(TestSupport.readJson(TestSupport.repo().resolve("tests/vectors/" + file + ".json")));
      long negative = Json.array(doc.get("cases")).stream().map(Json::object).filter(c -> {
        String expect = Json.write(c.get("expect"));
        return c.containsKey("error") || expect.contains("\"error\"") || expect.contains("\"allowed\":false")
            || expect.contains("\"valid\":false");
      }).count();
      assertTrue(negative >= 5, file);
    }
  }

  static Map<String, Object> answer(String file, Map<String, Object> in) {
    Map<String, Object> out = new LinkedHashMap<>();
    try {
      String op = (String) in.get("op");
      Object value = switch (file) {
        case "key" -> key(op, in);
        case "scope" -> scope(op, in);
        case "hash" -> hash(op, in);
        case "time" -> time(op, in);
        case "create" -> create(in);
        case "ratelimit" -> ratelimit(in);
        case "registry" -> registry(in);
        case "signing" -> signing(op, in);
        case "webhooks" -> webhooks(op, in);
        default -> throw new AssertionError(file);
      };
      out.put("expect", TestSupport.tree(value));
    } catch (FinFusionException e) {
      out.put("error", e.code());
    }
    return out;
  }

  static String text(Map<String, Object> in, String name) {
    if (in.containsKey(name + "_hex")) return TestSupport.surrogateEscape(TestSupport.hex((String) in.get(name + "_hex")));
    return (String) in.get(name);
  }

  static Object key(String op, Map<String, Object> in) {
    switch (op) {
      case "check_format":
        return Keys.checkFormat(text(in, "key"));
      case "parse":
        return parsed(Keys.parse(text(in, "key")));
      case "parse_id":
        return parsed(Keys.parseId(text(in, "id")));
      case "mask":
        return Keys.mask(text(in, "key"));
      case "generate": {
        try (ApiKey k = Keys.generateFromEntropy((String) in.get("type"), TestSupport.hex((String) in.get("entropy_hex")))) {
          return map("key", k.reveal(), "id", k.id());
        }
      }
      case "type": {
        Keys.TypeInfo info = Keys.typeInfo((String) in.get("name"));
        return map("prefix", info.prefix(), "environment", info.environment());
      }
      case "type_table": {
        String source = in.containsKey("overrides_text") ? (String) in.get("overrides_text") : Json.write(in.get("overrides"));
        try (TypeTable t = TypeTable.create(source)) {
          return Json.parse(t.toJson());
        }
      }
      default:
        throw new AssertionError(op);
    }
  }

  static Map<String, Object> parsed(ParsedKey k) {
    return map("id", k.id(), "type", k.type(), "environment", k.environment(), "format_version", (long) k.formatVersion());
  }

  @SuppressWarnings("unchecked")
  static List<String> strings(Object v) {
    return (List<String>) (List<?>) Json.array(v);
  }

  static Object scope(String op, Map<String, Object> in) {
    return switch (op) {
      case "parse" -> new ArrayList<>(Scopes.parse(strings(in.get("scopes"))));
      case "allows" -> Scopes.allows(strings(in.get("granted")), (String) in.get("required"));
      case "allows_all" -> Scopes.allowsAll(strings(in.get("granted")), strings(in.get("required")));
      case "is_subset" -> Scopes.isSubset(strings(in.get("child")), strings(in.get("parent")));
      default -> throw new AssertionError(op);
    };
  }

  static Hasher hasher(Map<String, Object> in, String algorithm) {
    Map<String, byte[]> peppers = new LinkedHashMap<>();
    for (Object p : Json.array(in.get("peppers"))) {
      List<Object> pair = Json.array(p);
      peppers.put((String) pair.get(0), TestSupport.hex((String) pair.get(1)));
    }
    return new Hasher(peppers, (String) in.get("current"), algorithm);
  }

  static Object hash(String op, Map<String, Object> in) {
    try (Hasher h = hasher(in, (String) in.getOrDefault("algorithm", "hs256"))) {
      return switch (op) {
        case "hash" -> h.hash(text(in, "key"));
        case "verify" -> h.verify(text(in, "key"), (String) in.get("stored"));
        case "needs_rehash" -> h.needsRehash((String) in.get("stored"));
        default -> throw new AssertionError(op);
      };
    }
  }

  static Object time(String op, Map<String, Object> in) {
    return switch (op) {
      case "parse_duration" -> Times.parseDuration(text(in, "text")).toMillis();
      case "format_duration" -> Times.formatDuration(Duration.ofMillis((Long) in.get("ms")));
      case "parse_timestamp" -> instant(Times.parseTimestamp(text(in, "text")));
      case "parse_until" -> instant(Times.parseUntil(text(in, "text")));
      case "format_timestamp" -> Times.formatTimestamp(Instant.ofEpochMilli((Long) in.get("ms")));
      default -> throw new AssertionError(op);
    };
  }

  static Map<String, Object> instant(Instant at) {
    return map("ms", at.toEpochMilli(), "text", Times.formatTimestamp(at));
  }

  static Object create(Map<String, Object> in) {
    String request;
    if (in.containsKey("request")) {
      request = Json.write(in.get("request"));
    } else if (in.containsKey("request_text")) {
      request = (String) in.get("request_text");
    } else {
      request = TestSupport.surrogateEscape(TestSupport.hex((String) in.get("request_hex")));
    }
    try (TypeTable table = TypeTable.create(Json.write(in.getOrDefault("overrides", Map.of())))) {
      return Lifecycle.parseCreateRequest(request, Times.parseTimestamp((String) in.get("now")), table);
    }
  }

  static Object ratelimit(Map<String, Object> in) {
    Map<String, Object> l = Json.object(in.get("limit"));
    RateLimits.RateLimit limit = new RateLimits.RateLimit((Long) l.get("requests"), Duration.ofMillis((Long) l.get("window_ms")));
    RateLimits.State state = null;
    if (in.containsKey("state")) {
      Map<String, Object> s = Json.object(in.get("state"));
      state = new RateLimits.State((Long) s.get("tat_ms"), (Long) s.get("tat_frac"));
    }
    List<Object> out = new ArrayList<>();
    for (Object st : Json.array(in.get("steps"))) {
      Map<String, Object> step = Json.object(st);
      RateLimits.Decision d = RateLimits.check(limit, state, Instant.ofEpochMilli((Long) step.get("at_ms")),
          (Long) step.getOrDefault("cost", 1L));
      state = d.state();
      out.add(map("allowed", d.allowed(), "remaining", d.remaining(), "retry_after_ms", d.retryAfter().toMillis(),
          "reset_after_ms", d.resetAfter().toMillis(), "tat_ms", d.state().tatMs(), "tat_frac", d.state().tatFrac()));
    }
    return out;
  }

  static Object registry(Map<String, Object> in) {
    try (Hasher h = hasher(in, "hs256");
        TypeTable table = in.containsKey("table") ? TypeTable.create(Json.write(in.get("table"))) : TypeTable.defaults();
        Registry reg = Registry.builder(h).table(table)
            .seed(((String) in.get("seed")).getBytes(StandardCharsets.UTF_8)).open()) {
      List<String> madeKeys = new ArrayList<>();
      List<String> madeIds = new ArrayList<>();
      List<Object> out = new ArrayList<>();
      for (Object s : Json.array(in.get("steps"))) {
        Map<String, Object> step = Json.object(s);
        String key = step.containsKey("key") ? (String) step.get("key")
            : step.containsKey("key_of") ? madeKeys.get(index(step, "key_of")) : "";
        String id = step.containsKey("id") ? (String) step.get("id")
            : step.containsKey("id_of") ? madeIds.get(index(step, "id_of")) : "";
        Instant now = step.containsKey("at") ? Times.parseTimestamp((String) step.get("at")) : null;
        String actor = (String) step.getOrDefault("actor", "system");
        String newKey = "";
        String newId = "";
        try {
          Object result;
          switch ((String) step.get("do")) {
            case "create": {
              Map<String, Object> body = new LinkedHashMap<>(Json.object(step.get("request")));
              if (step.containsKey("parent_of")) body.put("parentKeyId", madeIds.get(index(step, "parent_of")));
              Registry.Created c = reg.create(body, now, actor);
              newKey = c.key().reveal();
              newId = c.record().id();
              result = map("key", newKey, "record", c.record());
              break;
            }
            case "verify": {
              VerifyContext.Builder ctx = VerifyContext.builder()
                  .required(strings(step.getOrDefault("required", List.of())))
                  .environment(step.get("environment") == null ? "" : (String) step.get("environment"))
                  .service(step.get("service") == null ? "" : (String) step.get("service"))
                  .cost((Long) step.getOrDefault("cost", 1L))
                  .actor(step.get("actor") == null ? "" : (String) step.get("actor"));
              if (step.get("latency_ms") != null) ctx.latencyMs(((Number) step.get("latency_ms")).doubleValue());
              if (step.containsKey("signed_by_id_of")) ctx.signedBy(madeIds.get(index(step, "signed_by_id_of")));
              result = reg.verify(key, ctx.build(), now);
              break;
            }
            case "status":
              result = reg.status(id, now);
              break;
            case "rotate": {
              Registry.Rotated r = reg.rotate(id, (String) step.get("grace"), strings(step.getOrDefault("notify", List.of())),
                  (Boolean) step.getOrDefault("force", false), now, actor);
              newKey = r.key().reveal();
              newId = r.current().id();
              result = map("key", newKey, "previous", r.previous(), "current", r.current());
              break;
            }
            case "revoke":
              result = reg.revoke(id, (String) step.getOrDefault("reason", ""), now, actor);
              break;
            case "logs":
              result = reg.logs(id.isEmpty() ? null : id, ((Long) step.getOrDefault("limit", 100L)).intValue(),
                  strings(step.getOrDefault("types", List.of())));
              break;
            case "emergency_revoke": {
              Registry.EmergencyRevocation er = reg.emergencyRevoke(id, (String) step.getOrDefault("reason", ""),
                  (Boolean) step.getOrDefault("replace", true), now, actor);
              if (!er.replacements().isEmpty()) {
                newKey = er.replacements().get(0).key().reveal();
                newId = er.replacements().get(0).record().id();
              }
              List<Object> reps = new ArrayList<>();
              for (Registry.Replacement rep : er.replacements()) {
                reps.add(map("previousId", rep.previousId(), "key", rep.key().reveal(), "record", rep.record()));
              }
              result = map("revoked", er.revoked(), "replacements", reps);
              break;
            }
            case "policy":
              result = reg.policyReport(now);
              break;
            case "usage": {
              Map<String, Object> q = Json.object(step.get("query"));
              Map<String, Object> tf = Json.object(q.get("timeframe"));
              result = reg.getUsage(id.isEmpty() ? (String) q.get("keyId") : id, (String) tf.get("start"),
                  (String) tf.get("end"), q.containsKey("metrics") ? strings(q.get("metrics")) : null);
              break;
            }
            case "verify_chain":
              result = reg.verifyChain();
              break;
            default:
              throw new AssertionError(step.get("do"));
          }
          out.add(map("ok", result));
        } catch (FinFusionException e) {
          out.add(map("error", e.code()));
        }
        madeKeys.add(newKey);
        madeIds.add(newId);
      }
      return out;
    }
  }

  static int index(Map<String, Object> step, String field) {
    return ((Long) step.get(field)).intValue();
  }

  static byte[] body(Object body) {
    return body == null ? null : ((String) body).getBytes(StandardCharsets.UTF_8);
  }

  static List<Map.Entry<String, String>> headers(Object list) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (Object h : Json.array(list)) {
      List<Object> pair = Json.array(h);
      out.add(Map.entry((String) pair.get(0), (String) pair.get(1)));
    }
    return out;
  }

  static SigningKey signingKey(Map<String, Object> k) {
    byte[] secret = TestSupport.hex((String) k.get("secret_hex"));
    String algorithm = (String) k.get("algorithm");
    if (algorithm.equals("ed25519")) return SigningKey.ed25519((String) k.get("key_id"), secret);
    if (!algorithm.equals("hmac-sha256")) return SigningKey.generate((String) k.get("key_id"), algorithm);
    return SigningKey.hmac((String) k.get("key_id"), secret);
  }

  static KeyRing ring(List<Object> keys) {
    KeyRing ring = new KeyRing();
    for (Object o : keys) {
      Map<String, Object> k = Json.object(o);
      if (k.containsKey("public_hex")) {
        try (VerifyingKey v = VerifyingKey.ed25519((String) k.get("key_id"), TestSupport.hex((String) k.get("public_hex")))) {
          ring.add(v);
        }
      } else {
        try (SigningKey s = signingKey(k); VerifyingKey v = s.verifyingKey()) {
          ring.add(v);
        }
      }
    }
    return ring;
  }

  static Map<String, Object> verification(SignatureVerification v) {
    return map("valid", v.valid(), "code", v.code(), "label", v.label(), "keyId", v.keyId(), "alg", v.alg(),
        "created", v.created(), "expires", v.expires(), "nonce", v.nonce(), "tag", v.tag(), "covered", v.covered(),
        "signatureBase", v.signatureBase());
  }

  static Signing.Request request(Map<String, Object> m) {
    return new Signing.Request((String) m.get("method"), (String) m.get("url"), headers(m.get("headers")), body(m.get("body")));
  }

  static Map<String, String> sign(Map<String, Object> m, Map<String, Object> req, SigningKey key, Map<String, Object> o,
      long now) {
    SignOptions.Builder b = SignOptions.builder().label((String) o.getOrDefault("label", "sig1"))
        .includeAlg((Boolean) o.getOrDefault("include_alg", true)).digest((String) o.getOrDefault("digest", "sha-256"))
        .now(Instant.ofEpochMilli(now));
    if (o.containsKey("components")) b.components(strings(o.get("components")));
    if (o.containsKey("expires_in")) b.expiresIn(Duration.ofSeconds((Long) o.get("expires_in")));
    if (o.containsKey("nonce")) b.nonce((String) o.get("nonce"));
    if (o.containsKey("tag")) b.tag((String) o.get("tag"));
    if (m.get("status") != null && ((Long) m.get("status")) != 0) {
      return Signing.signResponse(new Signing.Response(((Long) m.get("status")).intValue(), headers(m.get("headers")),
          body(m.get("body")), req == null ? null : request(req)), key, b.build());
    }
    return Signing.signRequest(request(m), key, b.build());
  }

  static SignatureVerification verify(Map<String, Object> m, Map<String, Object> req, KeyRing keys,
      Map<String, Object> p, NonceCache nonces, long now) {
    VerifyPolicy.Builder b = VerifyPolicy.builder().tolerance(Duration.ofSeconds((Long) p.getOrDefault("tolerance", 300L)))
        .requireNonce((Boolean) p.getOrDefault("require_nonce", false))
        .requiredComponents(strings(p.getOrDefault("required_components", List.of())))
        .label((String) p.getOrDefault("label", ""))
        .requireContentDigest((Boolean) p.getOrDefault("require_content_digest", true))
        .nonces(nonces).now(Instant.ofEpochMilli(now));
    if (m.get("status") != null && ((Long) m.get("status")) != 0) {
      return Signing.verifyResponse(new Signing.Response(((Long) m.get("status")).intValue(), headers(m.get("headers")),
          body(m.get("body")), req == null ? null : request(req)), keys, b.build());
    }
    return Signing.verifyRequest(request(m), keys, b.build());
  }

  static Object signing(String op, Map<String, Object> in) {
    if (op.equals("content_digest")) return Signing.contentDigest(body(in.get("body")), (String) in.get("algorithm"));
    if (op.equals("verify_content_digest")) return Signing.verifyContentDigest((String) in.get("field"), body(in.get("body")));
    Map<String, Object> m = Json.object(in.get("message"));
    Map<String, Object> req = in.containsKey("request") ? Json.object(in.get("request")) : null;
    long now = (Long) in.get("now");
    Map<String, Object> policy = in.containsKey("policy") ? Json.object(in.get("policy")) : Map.of();
    if (op.equals("sign") || op.equals("sign_verify")) {
      Map<String, String> added;
      try (SigningKey key = signingKey(Json.object(in.get("key")))) {
        added = sign(m, req, key, in.containsKey("options") ? Json.object(in.get("options")) : Map.of(), now);
      }
      if (op.equals("sign")) {
        List<Object> pairs = new ArrayList<>();
        added.forEach((n, v) -> pairs.add(List.of(n, v)));
        return map("headers", pairs);
      }
      Map<String, Object> received = new LinkedHashMap<>(m);
      List<Object> hs = new ArrayList<>(Json.array(m.get("headers")));
      for (Map.Entry<String, String> e : added.entrySet()) hs.add(List.of(e.getKey(), e.getValue()));
      Map<String, Object> t = in.containsKey("tamper") ? Json.object(in.get("tamper")) : Map.of();
      for (String field : List.of("method", "url", "body")) {
        if (t.containsKey(field)) received.put(field, t.get(field));
      }
      if (t.containsKey("set_header")) {
        List<Object> set = Json.array(t.get("set_header"));
        List<Object> changed = new ArrayList<>();
        for (Object h : hs) {
          List<Object> pair = Json.array(h);
          changed.add(pair.get(0).equals(set.get(0)) ? List.of(pair.get(0), set.get(1)) : pair);
        }
        hs = changed;
      }
      if (t.containsKey("add_header")) hs.add(t.get("add_header"));
      Object removed = t.get("remove_header");
      if (removed != null) hs.removeIf(h -> Json.array(h).get(0).equals(removed));
      received.put("headers", hs);
      try (KeyRing keys = in.containsKey("keys") ? ring(Json.array(in.get("keys"))) : ring(List.of(in.get("key")));
          NonceCache nonces = new NonceCache()) {
        long at = in.containsKey("verify_at") ? (Long) in.get("verify_at") : now;
        return verification(verify(received, req, keys, policy, nonces, at));
      }
    }
    if (op.equals("verify")) {
      try (KeyRing keys = ring(Json.array(in.get("keys")))) {
        long times = (Long) in.getOrDefault("times", 1L);
        if (times == 1) return verification(verify(m, req, keys, policy, null, now));
        try (NonceCache nonces = new NonceCache((Long) in.getOrDefault("nonce_cache", 100000L))) {
          List<Object> codes = new ArrayList<>();
          for (long i = 0; i < times; i++) codes.add(verify(m, req, keys, policy, nonces, now).code());
          return codes;
        }
      }
    }
    throw new AssertionError(op);
  }

  static Object webhooks(String op, Map<String, Object> in) {
    if (op.equals("parse_secret")) {
      try (WebhookSecret s = WebhookSecret.parse((String) in.get("secret"))) {
        return s.reveal();
      }
    }
    List<WebhookSecret> secrets = new ArrayList<>();
    try {
      for (Object s : Json.array(in.get("secrets"))) secrets.add(WebhookSecret.parse((String) s));
      byte[] payload = body(in.get("payload"));
      if (op.equals("sign")) {
        return Webhooks.sign(secrets, (String) in.get("msg_id"), payload, Instant.ofEpochSecond((Long) in.get("timestamp")));
      }
      if (op.equals("verify")) {
        Map<String, String> headers = new LinkedHashMap<>();
        Json.object(in.get("headers")).forEach((k, v) -> headers.put(k, (String) v));
        WebhookVerification v = Webhooks.verify(secrets, headers, payload, Instant.ofEpochMilli((Long) in.get("now")),
            Duration.ofSeconds((Long) in.getOrDefault("tolerance", 300L)));
        return map("valid", v.valid(), "code", v.code(), "msgId", v.msgId(), "timestamp", v.timestamp());
      }
      throw new AssertionError(op);
    } finally {
      secrets.forEach(WebhookSecret::close);
    }
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) out.put((String) kv[i], kv[i + 1]);
    return out;
  }
}
