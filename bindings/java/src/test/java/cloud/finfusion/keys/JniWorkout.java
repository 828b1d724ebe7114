package cloud.finfusion.keys;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A program (run by NativeTest in a JVM of its own, under -Xcheck:jni, loading the library
 * from an explicit path) that makes every kind of native call many times, with results large
 * enough to need many local references in one call: the JVM reports any JNI misuse and any
 * local-reference overflow on its output, which the test demands to be empty.
 */
public final class JniWorkout {
  private JniWorkout() {}

  public static void main(String[] args) {
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    try (Hasher h = new Hasher(Map.of("p", Hashing.generatePepper()), "p"); Registry reg = Registry.builder(h).open()) {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 600; i++) {
        keys.add(reg.create(Map.of("name", "k" + i, "type", "production", "permissions", List.of("payments")), t0)
            .key().reveal());
      }
      Registry.Created parent = reg.create(Map.of("name", "parent", "type", "production", "permissions",
          List.of("payments")), t0);
      for (int i = 0; i < 300; i++) {
        reg.create(Map.of("name", "child" + i, "type", "restricted", "permissions", List.of("payments"), "service",
            "svc", "parentKeyId", parent.record().id()), t0);
      }
      for (int round = 0; round < 50; round++) {
        if (reg.list().size() != 901) throw new AssertionError("list");
        if (reg.logs(null, 1000, List.of()).size() != 901) throw new AssertionError("logs");
        reg.policyReport(t0.plusSeconds(round));
      }
      for (int i = 0; i < 100_000; i++) {
        reg.verify(keys.get(i % keys.size()), t0.plusSeconds(1 + i / 600));
        Keys.checkFormat(keys.get(i % keys.size()));
        Keys.parse(keys.get(i % keys.size()));
        try {
          Keys.parse("prod_bad");
          throw new AssertionError("parsed a bad key");
        } catch (FinFusionException expected) {
          // thrown from native code, 100k times
        }
      }
      if (reg.emergencyRevoke(parent.record().id(), "drill", true, t0.plusSeconds(500), "drill").revoked().size() != 301) {
        throw new AssertionError("emergency");
      }
    }
    List<WebhookSecret> secrets = new ArrayList<>();
    for (int i = 0; i < 40; i++) secrets.add(WebhookSecret.generate());
    byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 2000; i++) Webhooks.sign(secrets, "msg_" + i, payload, t0);
    secrets.forEach(WebhookSecret::close);
    try (SigningKey key = SigningKey.generate("k", "hmac-sha256")) {
      List<Map.Entry<String, String>> headers = new ArrayList<>();
      for (int i = 0; i < 60; i++) headers.add(Map.entry("X-H" + i, "v" + i));
      Signing.Request req = new Signing.Request("POST", "https://e.example/x", headers, payload);
      for (int i = 0; i < 5000; i++) Signing.signRequest(req, key, SignOptions.builder().now(t0).build());
    }
    for (int i = 0; i < 20000; i++) Scopes.parse(List.of("a", "b:c", "d:*", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n"));
    System.out.println("workout done");
  }
}
