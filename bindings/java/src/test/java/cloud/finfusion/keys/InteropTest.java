package cloud.finfusion.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java and Python on the same things: a request signed in Java verifies in Python and the
 * other way round, and a SQLite registry written by one is read by the other with the same
 * decisions. Python is the package `make test` installed (FINFUSION_PYTHON, or the
 * repository's .venv).
 */
class InteropTest {
  static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");

  static String python() {
    String configured = System.getenv("FINFUSION_PYTHON");
    Path path = configured != null && !configured.isEmpty() ? Path.of(configured) : TestSupport.repo().resolve(".venv/bin/python");
    assertTrue(Files.isExecutable(path), "no Python with finfusion installed at " + path + " (run make test, or set FINFUSION_PYTHON)");
    return path.toString();
  }

  /** Runs a Python script with a JSON document on stdin; returns its stdout parsed as JSON. */
  static Object runPython(String script, Object input) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(python(), "-c", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    p.getOutputStream().write(Json.write(input).getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "python failed");
    return Json.parse(out.strip());
  }

  static final String PY_VERIFY = String.join("\n",
      "import json, sys",
      "from finfusion import signing",
      "d = json.load(sys.stdin)",
      "secret = bytes.fromhex(d['secret'])",
      "key = signing.SigningKey.hmac(d['keyId'], secret) if d['alg'] == 'hmac-sha256' else None",
      "vk = key.verifying_key() if key else signing.VerifyingKey.ed25519(d['keyId'], bytes.fromhex(d['public']))",
      "headers = [tuple(h) for h in d['headers']]",
      "v = signing.verify_request(d['method'], d['url'], headers, d['body'].encode(), keys=[vk], now=d['now'])",
      "print(json.dumps({'valid': v.valid, 'code': v.code, 'base': v.signature_base}))");

  @Test
  void aRequestSignedInJavaVerifiesInPython() throws Exception {
    for (String alg : List.of("hmac-sha256", "ed25519")) {
      try (SigningKey key = SigningKey.generate("key_java_" + alg.substring(0, 3), alg)) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(Map.entry("Content-Type", "application/json"),
            Map.entry("Authorization", "Bearer prod_not_a_real_key")));
        String body = "{\"amount\":1000,\"currency\":\"EUR\"}";
        Signing.Request req = new Signing.Request("POST", "https://api.example.com/v1/payments?x=1", headers,
            body.getBytes(StandardCharsets.UTF_8));
        Map<String, String> added = Signing.signRequest(req, key, SignOptions.builder().generateNonce().now(NOW).build());
        added.forEach((n, v) -> headers.add(Map.entry(n, v)));
        List<Object> pairs = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) pairs.add(List.of(h.getKey(), h.getValue()));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("alg", alg);
        doc.put("keyId", key.keyId());
        doc.put("secret", HexFormat.of().formatHex(key.revealSecret()));
        doc.put("public", HexFormat.of().formatHex(key.publicKey()));
        doc.put("method", "POST");
        doc.put("url", "https://api.example.com/v1/payments?x=1");
        doc.put("headers", pairs);
        doc.put("body", body);
        doc.put("now", NOW.toEpochMilli());
        Map<String, Object> answer = Json.object(runPython(PY_VERIFY, doc));
        assertEquals(true, answer.get("valid"), alg);
        try (KeyRing ring = KeyRing.of(key)) {
          SignatureVerification mine = Signing.verifyRequest(new Signing.Request("POST", "https://api.example.com/v1/payments?x=1",
              headers, body.getBytes(StandardCharsets.UTF_8)), ring, VerifyPolicy.builder().now(NOW).build());
          assertTrue(mine.valid());
          assertEquals(mine.signatureBase(), answer.get("base"), "both rebuild the same signature base");
        }
        doc.put("body", body + " ");
        assertEquals("signature_invalid", Json.object(runPython(PY_VERIFY, doc)).get("code"));
      }
    }
  }

  @Test
  void aRequestSignedInPythonVerifiesInJava() throws Exception {
    String script = String.join("\n",
        "import json, sys",
        "from finfusion import signing",
        "d = json.load(sys.stdin)",
        "key = signing.SigningKey.ed25519('key_py', bytes.fromhex(d['seed']))",
        "added = signing.sign_request('PUT', 'https://api.example.com/v1/keys/1', {'Content-Type': 'text/plain'}, b'hello',",
        "                             key=key, nonce=True, now=d['now'])",
        "print(json.dumps({'headers': list(added.items()), 'public': key.public_key.hex()}))");
    byte[] seed = Hashing.generatePepper();
    Map<String, Object> out = Json.object(runPython(script, Map.of("seed", HexFormat.of().formatHex(seed), "now", NOW.toEpochMilli())));
    List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(Map.entry("Content-Type", "text/plain")));
    for (Object h : Json.array(out.get("headers"))) {
      headers.add(Map.entry((String) Json.array(h).get(0), (String) Json.array(h).get(1)));
    }
    try (VerifyingKey vk = VerifyingKey.ed25519("key_py", HexFormat.of().parseHex((String) out.get("public")));
        SigningKey same = SigningKey.ed25519("key_py", seed);
        NonceCache nonces = new NonceCache()) {
      assertEquals(out.get("public"), HexFormat.of().formatHex(same.publicKey()));
      Signing.Request received = new Signing.Request("PUT", "https://api.example.com/v1/keys/1", headers,
          "hello".getBytes(StandardCharsets.UTF_8));
      VerifyPolicy policy = VerifyPolicy.builder().nonces(nonces).requireNonce(true).now(NOW.plusSeconds(2)).build();
      SignatureVerification v = Signing.verifyRequest(received, List.of(vk), policy);
      assertTrue(v.valid(), v.message());
      assertEquals("key_py", v.signer());
      assertEquals("replayed", Signing.verifyRequest(received, List.of(vk), policy).code());
    }
  }

  /** A new database on the throwaway PostgreSQL server `make test` starts (FINFUSION_TEST_POSTGRES). */
  static String freshPostgres() throws IOException, InterruptedException {
    String server = System.getenv("FINFUSION_TEST_POSTGRES");
    assertTrue(server != null && !server.isEmpty(), "FINFUSION_TEST_POSTGRES is not set (make test runs this under scripts/with-postgres.sh)");
    String name = "java_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
    Process p = new ProcessBuilder("psql", "-q", server, "-c", "CREATE DATABASE " + name).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return server.substring(0, server.lastIndexOf('/') + 1) + name;
  }

  @Test
  void javaAndPythonShareAPostgresRegistry() throws Exception {
    shareARegistry(freshPostgres());
  }

  @Test
  void javaAndPythonShareASqliteRegistry(@TempDir Path dir) throws Exception {
    shareARegistry("sqlite:" + dir.resolve("fleet.db"));
  }

  // Python creates a key; Java verifies it and revokes it; Python then sees it revoked.
  void shareARegistry(String store) throws Exception {
    byte[] pepper = Hashing.generatePepper();
    String script = String.join("\n",
        "import json, sys, datetime",
        "from finfusion import registry, hashing",
        "d = json.load(sys.stdin)",
        "reg = registry.Registry(hashing.Hasher({'fleet': bytes.fromhex(d['pepper'])}, current='fleet'), store=d['store'])",
        "now = d['now']",
        "if d['do'] == 'create':",
        "    c = reg.create({'name': 'from python', 'type': 'production', 'permissions': ['payments']}, now=now, actor='py')",
        "    print(json.dumps({'key': c.key.reveal(), 'id': c.record.id}))",
        "else:",
        "    v = reg.verify(d['key'], now=now, required=['payments'])",
        "    print(json.dumps({'valid': v.valid, 'code': v.code}))");
    Map<String, Object> base = Map.of("pepper", HexFormat.of().formatHex(pepper), "store", store, "now", NOW.toEpochMilli());
    Map<String, Object> made = new LinkedHashMap<>(base);
    made.put("do", "create");
    Map<String, Object> created = Json.object(runPython(script, made));
    String key = (String) created.get("key");
    try (Hasher hasher = new Hasher(Map.of("fleet", pepper), "fleet");
        Registry reg = Registry.builder(hasher).store(store).open()) {
      Decision d = reg.verify(key, VerifyContext.builder().required("payments").build(), NOW.plusSeconds(1));
      assertTrue(d.valid());
      assertEquals(created.get("id"), d.keyId());
      reg.revoke(d.keyId(), "revoked from Java", NOW.plusSeconds(2), "java");
    }
    Map<String, Object> check = new LinkedHashMap<>(base);
    check.put("do", "verify");
    check.put("key", key);
    check.put("now", NOW.plusSeconds(3).toEpochMilli());
    assertEquals(Map.of("valid", false, "code", "revoked"), runPython(script, check));
  }
}
